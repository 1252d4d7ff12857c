package server

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/a-h/templ"

	"github.com/versus-dev/versus/internal/catalog"
	"github.com/versus-dev/versus/internal/compare"
	"github.com/versus-dev/versus/internal/server/pagecache"
	"github.com/versus-dev/versus/static"
	"github.com/versus-dev/versus/web"
)

const (
	htmlType = "text/html; charset=utf-8"
	jsonType = "application/json; charset=utf-8"

	// pageMaxAge lets browsers reuse a prerendered page briefly; after it
	// they revalidate with the ETag, so a reload shows within a minute.
	pageMaxAge = time.Minute
	// resultMaxAge is for per-request answers (results, the JSON API):
	// the same query always gives the same answer for one catalog.
	resultMaxAge = 5 * time.Minute
	// assetMaxAge is for content-hashed assets, whose URL changes with them.
	assetMaxAge = 365 * 24 * time.Hour
	// relatedMax is how many related comparisons a page links to.
	relatedMax = 4
)

// renderBytes renders a component into memory, so a failed render never
// sends half a page. Rendering is pure CPU work on values already in
// memory, so it ignores cancellation: templ would otherwise stop at once
// when the client has gone, and that is not a server error worth a 500.
func renderBytes(ctx context.Context, c templ.Component) ([]byte, error) {
	var buf bytes.Buffer
	if err := c.Render(context.WithoutCancel(ctx), &buf); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// page returns the frame every view needs, with the current problems.
func (s *Server) page(st *state, m web.Meta) web.Page {
	return web.Page{BaseURL: s.opts.BaseURL, Meta: m, Problems: st.problems}
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
	s.internal = pagecache.NewStatus(http.StatusInternalServerError, htmlType, body, 0)
	return nil
}

// prerender renders every request-independent page of cat.
func (s *Server) prerender(cat *catalog.Catalog, problems compare.Problems) (*state, error) {
	st := &state{cat: cat, problems: problems, pages: map[string]*pagecache.Page{}}
	ctx := context.Background()
	maxAge := pageMaxAge
	if s.opts.Watch {
		maxAge = 0 // authors must see each save at once
	}
	add := func(path, ctype string, body []byte) {
		st.pages[path] = pagecache.New(ctype, body, maxAge)
	}
	html := func(path string, c templ.Component) error {
		body, err := renderBytes(ctx, c)
		if err != nil {
			return fmt.Errorf("render %s: %w", path, err)
		}
		add(path, htmlType, body)
		return nil
	}

	tags := make([]web.TagCount, 0, len(cat.Tags()))
	for _, t := range cat.Tags() {
		tags = append(tags, web.TagCount{Name: t.Name, Count: t.Count})
	}
	if err := html("/", web.Home(s.page(st, web.Meta{
		Description: "Technology comparisons where every claim cites its source, with a questionnaire that recommends one for your project.",
		Path:        "/",
	}), cat.All(), tags)); err != nil {
		return nil, err
	}
	for _, t := range cat.Tags() {
		// Keyed by the decoded path, which is what the router sees.
		p := "/tags/" + t.Name
		if err := html(p, web.TagPage(s.page(st, web.Meta{
			Title:       "Comparisons tagged " + t.Name,
			Description: fmt.Sprintf("%d comparison(s) tagged %s, each with cited sources and a questionnaire.", t.Count, t.Name),
			Path:        web.TagPath(t.Name),
		}), t.Name, cat.Tagged(t.Name))); err != nil {
			return nil, err
		}
	}
	for _, c := range cat.All() {
		p := web.ComparePath(c)
		if err := html(p, web.ComparisonPage(s.page(st, comparisonMeta(s.opts.BaseURL, c)), c, cat.Related(c.Slug, relatedMax))); err != nil {
			return nil, err
		}
		if err := html(web.ScoringPath(c), web.ScoringPage(s.page(st, web.Meta{
			Title:       "How we score " + c.Title,
			Description: "Every question of the " + c.Title + " questionnaire, the points each answer gives, and why.",
			Path:        web.ScoringPath(c),
		}), c)); err != nil {
			return nil, err
		}
		if err := html(web.QuizPath(c, ""), web.QuizPage(s.page(st, quizMeta(c)), web.QuizForm{C: c})); err != nil {
			return nil, err
		}
		body, err := quizJSON(c)
		if err != nil {
			return nil, fmt.Errorf("render quiz JSON for %s: %w", c.Slug, err)
		}
		add(apiQuizPath(c), jsonType, body)
	}
	add("/sitemap.xml", "application/xml; charset=utf-8", sitemap(s.opts.BaseURL, cat))
	feed, err := atomFeed(s.opts.BaseURL, cat)
	if err != nil {
		return nil, err
	}
	add("/feed.xml", "application/atom+xml; charset=utf-8", feed)
	add("/robots.txt", "text/plain; charset=utf-8", robots(s.opts.BaseURL))

	body, err := renderBytes(ctx, web.ErrorPage(s.page(st, web.Meta{Title: "Page not found", Path: "/", NoIndex: true}), notFoundView()))
	if err != nil {
		return nil, fmt.Errorf("render 404 page: %w", err)
	}
	st.notFound = pagecache.NewStatus(http.StatusNotFound, htmlType, body, 0)
	return st, nil
}

func notFoundView() web.ErrorView {
	return web.ErrorView{
		Status:  http.StatusNotFound,
		Title:   "Page not found",
		Message: "There is no page at this address. It may have moved, or the link may be mistyped.",
		Links:   []web.Link{{Label: "See all comparisons", Href: "/"}},
	}
}

func comparisonMeta(base string, c *compare.Comparison) web.Meta {
	m := web.Meta{
		Title:       c.Title,
		Description: c.Description,
		Path:        web.ComparePath(c),
		Type:        "article",
	}
	m.JSONLD = append(m.JSONLD, map[string]any{
		"@context":         "https://schema.org",
		"@type":            "Article",
		"headline":         c.Title,
		"description":      c.Description,
		"dateModified":     web.ISODate(c.Reviewed),
		"url":              base + web.ComparePath(c),
		"mainEntityOfPage": base + web.ComparePath(c),
	})
	if len(c.FAQ) > 0 {
		qs := make([]any, 0, len(c.FAQ))
		for _, f := range c.FAQ {
			qs = append(qs, map[string]any{
				"@type":          "Question",
				"name":           f.Question,
				"acceptedAnswer": map[string]any{"@type": "Answer", "text": f.AnswerText},
			})
		}
		m.JSONLD = append(m.JSONLD, map[string]any{
			"@context":   "https://schema.org",
			"@type":      "FAQPage",
			"mainEntity": qs,
		})
	}
	return m
}

func quizMeta(c *compare.Comparison) web.Meta {
	return web.Meta{
		Title:       c.Title + ": which fits your project?",
		Description: strconv.Itoa(len(c.Quiz.Questions)) + " questions about your project; get a recommendation between " + c.Title + " with its reasons and sources.",
		Path:        web.QuizPath(c, ""),
	}
}

// immutable marks a content-hashed asset as never changing. pagecache
// sets Cache-Control itself, so the value is replaced as the header is sent.
func immutable(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h.ServeHTTP(&immutableWriter{ResponseWriter: w}, r)
	})
}

var immutableH = []string{"public, max-age=31536000, immutable"}

type immutableWriter struct{ http.ResponseWriter }

func (w *immutableWriter) WriteHeader(code int) {
	if code == http.StatusOK || code == http.StatusNotModified {
		w.Header()["Cache-Control"] = immutableH
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *immutableWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }
