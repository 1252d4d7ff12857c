package server

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/a-h/templ"
	"github.com/go-chi/chi/v5"

	"github.com/versus-dev/versus/internal/catalog"
	"github.com/versus-dev/versus/internal/compare"
	"github.com/versus-dev/versus/internal/recommend"
	"github.com/versus-dev/versus/internal/server/pagecache"
	"github.com/versus-dev/versus/static"
	"github.com/versus-dev/versus/web"
)

const (
	htmlType = "text/html; charset=utf-8"
	jsonType = "application/json; charset=utf-8"
	xmlType  = "application/xml; charset=utf-8"

	// pageMaxAge lets browsers reuse a page briefly; after it they
	// revalidate with the ETag, so a reload shows within a minute.
	pageMaxAge = time.Minute
	// resultMaxAge is for pages that depend on answers (results, the JSON
	// API, prefilled questionnaires, cards): the same query always gives
	// the same answer for one catalog.
	resultMaxAge = 5 * time.Minute
	// assetMaxAge is for content-hashed assets, whose URL changes with them.
	assetMaxAge = 365 * 24 * time.Hour
	// relatedMax is how many related comparisons a page links to.
	relatedMax = 4
)

// The page kinds: the Kind of their cache keys and the label of their
// render metrics. A new page kind adds its constant here.
const (
	kindHome         = "home"
	kindTag          = "tag"
	kindCategory     = "category"
	kindSubject      = "subject"
	kindComparison   = "comparison"
	kindScoring      = "scoring"
	kindQuiz         = "quiz"
	kindQuizFilled   = "quiz_prefilled"
	kindResult       = "result"
	kindAPIQuiz      = "api_quiz"
	kindAPIRecommend = "api_recommendation"
	kindCard         = "card"
	kindSitemap      = "sitemap"
	kindFeed         = "feed"
	kindRobots       = "robots"
	kindNotFound     = "not_found"
	kindArticle      = "article" // a parsed article, not a page
	kindReasons      = "reasons" // an article's rendered result reasons, not a page
)

// renderBytes renders a component into memory, so a failed render never
// sends half a page. Rendering is pure CPU work on values already in
// memory, so it ignores cancellation: templ would otherwise stop at once
// when the client has gone, and that is not a server error worth a 500.
func renderBytes(ctx context.Context, c templ.Component) ([]byte, error) {
	// Pages are rendered into a pooled buffer that has grown to page size
	// before, then copied out at their exact length: growing a fresh
	// buffer page by page was a sixth of a result page's render.
	buf := renderBufs.Get().(*bytes.Buffer)
	buf.Reset()
	defer func() {
		if buf.Cap() <= maxPooledRender {
			renderBufs.Put(buf)
		}
	}()
	if err := c.Render(context.WithoutCancel(ctx), buf); err != nil {
		return nil, err
	}
	return bytes.Clone(buf.Bytes()), nil
}

// renderBufs are renderBytes's buffers; one larger than maxPooledRender
// (a page far beyond the largest the site has) is left to the collector.
var renderBufs = sync.Pool{New: func() any { return new(bytes.Buffer) }}

const maxPooledRender = 2 << 20

// page returns the frame every view needs, with the state's problems.
func (s *Server) page(st *state, m web.Meta) web.Page {
	return web.Page{BaseURL: s.opts.BaseURL, Meta: m, Problems: st.problems, Live: s.live != nil}
}

// maxAge is how long browsers may reuse a page that depends only on the
// catalog: pageMaxAge, or nothing in watch mode, where authors must see
// each save at once.
func (s *Server) maxAge() time.Duration {
	if s.opts.Watch {
		return 0
	}
	return pageMaxAge
}

// cached answers r with the page of kind and id in st's generation,
// rendering it with render on a miss: body and content type, served with
// status 200, maxAge, a strong ETag (304s) and each compressed variant made
// once, on first demand.
func (s *Server) cached(w http.ResponseWriter, r *http.Request, st *state, kind, id, ctype string, maxAge time.Duration, render func() ([]byte, error)) error {
	p, err := s.cache.Page(pagecache.Key{Gen: st.gen, Kind: kind, ID: id}, func() (*pagecache.Page, error) {
		body, err := render()
		if err != nil {
			return nil, err
		}
		if cap(body)-len(body) > len(body)/16 {
			// The page keeps its body as long as it is cached: not the
			// spare room a buffer or an append left after it.
			body = bytes.Clone(body)
		}
		return pagecache.NewDeferred(http.StatusOK, ctype, body, maxAge), nil
	})
	if err != nil {
		return err
	}
	p.ServeHTTP(w, r)
	return nil
}

// cachedHTML is cached for a templ view.
func (s *Server) cachedHTML(w http.ResponseWriter, r *http.Request, st *state, kind, id string, maxAge time.Duration, view func() (templ.Component, error)) error {
	return s.cached(w, r, st, kind, id, htmlType, maxAge, func() ([]byte, error) {
		c, err := view()
		if err != nil {
			return nil, err
		}
		body, err := renderBytes(r.Context(), c)
		if err != nil {
			return nil, fmt.Errorf("render %s %s: %w", kind, id, err)
		}
		return body, nil
	})
}

// article is a whole comparison with its prepared scorer, as the cache
// keeps it.
type article struct {
	c      *compare.Comparison
	scorer *recommend.Scorer
	size   int
}

func (a *article) Size() int { return a.size }

// lookupComparison finds the comparison a URL names: under
// /categories/{category} the whole category, under /compare/{slug} a
// self-contained article (its summary, from the index) or any 2-4 subjects
// of a category (composed from their resident files). A set named in
// another order redirects to its canonical URL; a set that names nothing
// gets a 404 that says why. id names the comparison in cache keys. A
// handler renders from the whole article (s.article) only on a miss, so a
// cached page never waits for its article to be parsed again.
func lookupComparison(r *http.Request, st *state) (c *compare.Comparison, id string, err error) {
	if key := chi.URLParam(r, "category"); key != "" {
		c, ok := st.cat.CategoryComparison(key)
		if !ok {
			return nil, "", errNotFound
		}
		return c, "category:" + key, nil
	}
	slug := slugParam(r)
	c, canonical, err := st.cat.Lookup(slug)
	if err != nil {
		return nil, "", lookupError(err)
	}
	if canonical != slug {
		return nil, "", &redirectError{to: canonicalURL(r, slug, canonical)}
	}
	return c, canonical, nil
}

// lookupError is what the reader is told when Lookup finds nothing. It is
// a function of its own so that the hit path, which every cached
// comparison page takes, does not allocate the *SetError errors.As needs.
func lookupError(err error) error {
	var se *catalog.SetError
	switch {
	case errors.Is(err, catalog.ErrNotFound):
		return errNotFound
	case errors.As(err, &se):
		return &httpError{status: http.StatusNotFound, title: "No such comparison", msg: se.Msg,
			links: []web.Link{{Label: "All categories", Href: "/"}}}
	}
	return err
}

// redirectError answers a permanent redirect to the canonical URL of the
// same page: a set of subjects named in another order.
type redirectError struct{ to string }

func (e *redirectError) Error() string { return "moved permanently to " + e.to }

// canonicalURL is the request's URL with the set's slug put in canonical
// order, its query kept.
func canonicalURL(r *http.Request, slug, canonical string) string {
	p := strings.Replace(r.URL.Path, "/compare/"+slug, "/compare/"+canonical, 1)
	if r.URL.RawQuery != "" {
		p += "?" + r.URL.RawQuery
	}
	return p
}

// lookup serves the page of kind and id if the cache has it, and reports
// whether it did. Handlers call it before cached: a hit then builds no
// render closure (two allocations a request on the hottest path), and
// handlers whose key needs work (parsing answers against the article) try
// the request's own form of the key first.
func (s *Server) lookup(w http.ResponseWriter, r *http.Request, st *state, kind, id string) bool {
	p, ok := s.cache.Lookup(pagecache.Key{Gen: st.gen, Kind: kind, ID: id})
	if ok {
		p.ServeHTTP(w, r)
	}
	return ok
}

// article returns the whole comparison that c (found by lookupComparison
// under id) stands for, parsing its file on a miss; the parse is counted
// and timed as a render of kind "article". A composed comparison is whole
// already and costs nothing to "load".
func (s *Server) article(st *state, sum *compare.Comparison, id string) (*article, error) {
	v, err := s.cache.Get(pagecache.Key{Gen: st.gen, Kind: kindArticle, ID: id}, func() (pagecache.Value, error) {
		c, err := st.cat.Article(sum)
		if err != nil {
			return nil, err
		}
		return &article{c: c, scorer: recommend.NewScorer(c), size: 512 + st.cat.ArticleSize(sum)}, nil
	})
	if err != nil {
		return nil, err
	}
	return v.(*article), nil
}

// reasons is every answer's reason on the result pages of article a, kept
// in the cache beside it.
func (s *Server) reasons(st *state, a *article, id string) (web.Reasons, error) {
	v, err := s.cache.Get(pagecache.Key{Gen: st.gen, Kind: kindReasons, ID: id}, func() (pagecache.Value, error) {
		return web.RenderReasons(context.Background(), a.c, a.scorer.OptionEffects())
	})
	if err != nil {
		return web.Reasons{}, err
	}
	return v.(web.Reasons), nil
}

// categoryCards lists the catalog's categories for the home page.
func categoryCards(cat *catalog.Catalog) []web.CategoryCard {
	out := make([]web.CategoryCard, 0, len(cat.Categories()))
	for _, g := range cat.Categories() {
		cc := web.CategoryCard{Key: g.Category.Key, Title: g.Category.Title, Description: g.Category.Description}
		for _, sf := range g.Subjects {
			cc.Subjects = append(cc.Subjects, sf.Subject.Name)
		}
		out = append(out, cc)
	}
	return out
}

func (s *Server) prepareAssets() error {
	s.assets = map[string]http.Handler{}
	for _, a := range static.All() {
		s.assets[a.URL] = immutable(pagecache.New(a.ContentType, a.Body, assetMaxAge))
	}
	ico, ok := static.Get("favicon.ico")
	if !ok {
		return fmt.Errorf("prepare assets: favicon.ico is not embedded")
	}
	s.favicon = pagecache.New(ico.ContentType, ico.Body, 24*time.Hour)
	body, err := renderBytes(context.Background(), web.ErrorPage(
		web.Page{BaseURL: s.opts.BaseURL, Meta: web.Meta{Title: "Something went wrong", Path: "/", NoIndex: true}},
		web.ErrorView{
			Status:  http.StatusInternalServerError,
			Title:   "Something went wrong on our side",
			Message: "The error has been logged. Please try again in a moment.",
			Links:   []web.Link{{Label: "Go to the home page", Href: "/"}},
		}))
	if err != nil {
		return fmt.Errorf("render 500 page: %w", err)
	}
	s.internal = body
	return nil
}

// immutable marks a content-hashed asset as never changing. pagecache
// sets Cache-Control itself, so the value is replaced as the header is sent.
func immutable(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h.ServeHTTP(&immutableWriter{ResponseWriter: w}, r)
	})
}

var immutableH = []string{"public, max-age=" + strconv.Itoa(int(assetMaxAge/time.Second)) + ", immutable"}

type immutableWriter struct{ http.ResponseWriter }

func (w *immutableWriter) WriteHeader(code int) {
	if code == http.StatusOK || code == http.StatusNotModified {
		w.Header()["Cache-Control"] = immutableH
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *immutableWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }
