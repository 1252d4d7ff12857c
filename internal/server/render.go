package server

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
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

// resultCacheControl is the Cache-Control pagecache sends for
// resultMaxAge, for the per-request answers written without it (a
// prefilled questionnaire, a result card).
var resultCacheControl = "public, max-age=" + strconv.Itoa(int(resultMaxAge/time.Second))

// renderBytes renders a component into memory, so a failed render never
// sends half a page. Rendering is pure CPU work on values already in
// memory, so it ignores cancellation: templ would otherwise stop at once
// when the client has gone, and that is not a server error worth a 500.
func renderBytes(ctx context.Context, c templ.Component) ([]byte, error) {
	return renderInto(ctx, new(bytes.Buffer), c)
}

// renderInto renders c into buf, reset first; see renderBytes.
func renderInto(ctx context.Context, buf *bytes.Buffer, c templ.Component) ([]byte, error) {
	buf.Reset()
	if err := c.Render(context.WithoutCancel(ctx), buf); err != nil {
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
	s.internal = body
	return nil
}

// prerenderJob is one request-independent page to build.
type prerenderJob struct {
	path   string // "" for the 404 page, which has no path of its own
	ctype  string
	status int
	// render returns the body, which may live in buf (a reused buffer);
	// its errors name the page.
	render func(buf *bytes.Buffer) ([]byte, error)
}

// prerender renders every request-independent page of cat, on every core,
// and starts compressing them in the background: the returned state can
// serve as soon as the pages are rendered. The pages and the error are the
// same as a one-by-one render would give: on failure, the error is the one
// of the first failing page in the order below.
//
// The caller must store the state: prerender stops the current state's
// compression when it succeeds, since its pages are about to be replaced.
func (s *Server) prerender(cat *catalog.Catalog, problems compare.Problems) (*state, error) {
	st := &state{cat: cat, problems: problems}
	ctx := context.Background()
	maxAge := pageMaxAge
	if s.opts.Watch {
		maxAge = 0 // authors must see each save at once
	}
	var jobs []prerenderJob
	add := func(path, ctype string, render func(*bytes.Buffer) ([]byte, error)) {
		jobs = append(jobs, prerenderJob{path: path, ctype: ctype, status: http.StatusOK, render: render})
	}
	html := func(path string, c templ.Component) {
		add(path, htmlType, func(buf *bytes.Buffer) ([]byte, error) {
			body, err := renderInto(ctx, buf, c)
			if err != nil {
				return nil, fmt.Errorf("render %s: %w", path, err)
			}
			return body, nil
		})
	}

	tags := make([]web.TagCount, 0, len(cat.Tags()))
	for _, t := range cat.Tags() {
		tags = append(tags, web.TagCount{Name: t.Name, Count: t.Count})
	}
	html("/", web.Home(s.page(st, web.Meta{
		Description: "Technology comparisons where every claim cites its source, with a questionnaire that recommends one for your project.",
		Path:        "/",
	}), categoryCards(cat), cat.All(), tags))
	for _, t := range cat.Tags() {
		// Keyed by the decoded path, which is what the router sees.
		html("/tags/"+t.Name, web.TagPage(s.page(st, web.Meta{
			Title:       "Comparisons tagged " + t.Name,
			Description: fmt.Sprintf("%d comparison(s) tagged %s, each with cited sources and a questionnaire.", t.Count, t.Name),
			Path:        web.TagPath(t.Name),
		}), t.Name, cat.Tagged(t.Name)))
	}
	for _, c := range cat.All() {
		// Related scans the catalog, so it runs in the job, on every core.
		add(web.ComparePath(c), htmlType, func(buf *bytes.Buffer) ([]byte, error) {
			p := web.ComparePath(c)
			body, err := renderInto(ctx, buf, web.ComparisonPage(s.page(st, comparisonMeta(s.opts.BaseURL, c)), c, cat.Related(c.Slug, relatedMax)))
			if err != nil {
				return nil, fmt.Errorf("render %s: %w", p, err)
			}
			return body, nil
		})
		html(web.ScoringPath(c), web.ScoringPage(s.page(st, scoringMeta(c)), c))
		html(web.QuizPath(c, ""), web.QuizPage(s.page(st, quizMeta(c)), web.QuizForm{C: c}))
		add(apiQuizPath(c), jsonType, func(*bytes.Buffer) ([]byte, error) {
			body, err := quizJSON(c)
			if err != nil {
				return nil, fmt.Errorf("render quiz JSON for %s: %w", c.Slug, err)
			}
			return body, nil
		})
	}
	add("/sitemap.xml", "application/xml; charset=utf-8", func(*bytes.Buffer) ([]byte, error) { return sitemap(s.opts.BaseURL, cat), nil })
	add("/feed.xml", "application/atom+xml; charset=utf-8", func(*bytes.Buffer) ([]byte, error) { return atomFeed(s.opts.BaseURL, cat) })
	add("/robots.txt", "text/plain; charset=utf-8", func(*bytes.Buffer) ([]byte, error) { return robots(s.opts.BaseURL), nil })
	jobs = append(jobs, prerenderJob{ctype: htmlType, status: http.StatusNotFound, render: func(buf *bytes.Buffer) ([]byte, error) {
		body, err := renderInto(ctx, buf, web.ErrorPage(s.page(st, web.Meta{Title: "Page not found", Path: "/", NoIndex: true}), notFoundView()))
		if err != nil {
			return nil, fmt.Errorf("render 404 page: %w", err)
		}
		return body, nil
	}})

	pages, err := runPrerender(jobs, maxAge, runtime.GOMAXPROCS(0))
	if err != nil {
		return nil, err
	}
	st.pages = make(map[string]*pagecache.Page, len(jobs)-1)
	// Compression order: the pages readers land on first (home and
	// comparisons), then the rest, each group in job order.
	landing := func(j prerenderJob) bool {
		return j.path == "/" || strings.HasPrefix(j.path, "/compare/") && strings.Count(j.path, "/") == 2
	}
	order := make([]*pagecache.Page, 0, len(jobs))
	for i, j := range jobs {
		if j.status == http.StatusNotFound {
			st.notFound = pages[i]
		} else {
			st.pages[j.path] = pages[i]
		}
		if landing(j) {
			order = append(order, pages[i])
		}
	}
	for i, j := range jobs {
		if !landing(j) {
			order = append(order, pages[i])
		}
	}
	if old := s.state.Load(); old != nil {
		old.compress.Stop()
	}
	st.compress = pagecache.Compress(order, runtime.GOMAXPROCS(0))
	return st, nil
}

// runPrerender renders jobs on workers goroutines into deferred pages (in
// the order of jobs). On failure it returns the error of the lowest-indexed
// failing job, whatever order the workers met them in; jobs after a known
// failure are skipped, since their result could not change the answer.
func runPrerender(jobs []prerenderJob, maxAge time.Duration, workers int) ([]*pagecache.Page, error) {
	pages := make([]*pagecache.Page, len(jobs))
	errs := make([]error, len(jobs))
	var next, firstErr atomic.Int64
	firstErr.Store(int64(len(jobs)))
	var wg sync.WaitGroup
	for range max(1, min(workers, len(jobs))) {
		wg.Go(func() {
			buf := new(bytes.Buffer)
			for {
				i := next.Add(1) - 1
				if i >= int64(len(jobs)) {
					return
				}
				if i > firstErr.Load() {
					continue
				}
				j := jobs[i]
				body, err := j.render(buf)
				if err != nil {
					errs[i] = err
					for {
						cur := firstErr.Load()
						if i >= cur || firstErr.CompareAndSwap(cur, i) {
							break
						}
					}
					continue
				}
				pages[i] = pagecache.NewDeferred(j.status, j.ctype, body, maxAge)
			}
		})
	}
	wg.Wait()
	if i := firstErr.Load(); i < int64(len(jobs)) {
		return nil, errs[i]
	}
	return pages, nil
}

// Compressed is closed once every prerendered page of the content being
// served has its compressed variants, or once that content was replaced.
// Nothing needs to wait for it (a request that arrives first compresses the
// page it asks for); it is for measuring start-up and for benchmarks.
func (s *Server) Compressed() <-chan struct{} {
	return s.state.Load().compress.Done()
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

func scoringMeta(c *compare.Comparison) web.Meta {
	return web.Meta{
		Title:       "How we score " + c.Title,
		Description: "Every question of the " + c.Title + " questionnaire, the points each answer gives, and why.",
		Path:        web.ScoringPath(c),
	}
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

var immutableH = []string{"public, max-age=" + strconv.Itoa(int(assetMaxAge/time.Second)) + ", immutable"}

type immutableWriter struct{ http.ResponseWriter }

func (w *immutableWriter) WriteHeader(code int) {
	if code == http.StatusOK || code == http.StatusNotModified {
		w.Header()["Cache-Control"] = immutableH
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *immutableWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

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
