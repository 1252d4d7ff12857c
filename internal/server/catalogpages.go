package server

import (
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/go-chi/chi/v5"

	"github.com/versus-dev/versus/internal/catalog"
	"github.com/versus-dev/versus/internal/compare"
	"github.com/versus-dev/versus/internal/server/pagecache"
	"github.com/versus-dev/versus/web"
)

// redirectError answers a permanent redirect to the canonical URL of the
// same page: a set of subjects named in another order.
type redirectError struct{ to string }

func (e *redirectError) Error() string { return "moved permanently to " + e.to }

// lookupComparison finds the comparison a URL names: under
// /categories/{category} the whole category, under /compare/{slug} a
// self-contained article or any 2-4 subjects of a category. A set named in
// another order redirects to its canonical URL; a set that names nothing
// gets a 404 that says why.
func (s *Server) lookupComparison(r *http.Request) (*state, *compare.Comparison, error) {
	st := s.state.Load()
	if key := chi.URLParam(r, "category"); key != "" {
		c, ok := st.cat.CategoryComparison(key)
		if !ok {
			return st, nil, errNotFound
		}
		return st, c, nil
	}
	slug := chi.URLParam(r, "slug")
	c, canonical, err := st.cat.Lookup(slug)
	var se *catalog.SetError
	switch {
	case errors.Is(err, catalog.ErrNotFound):
		return st, nil, errNotFound
	case errors.As(err, &se):
		return st, nil, &httpError{status: http.StatusNotFound, title: "No such comparison", msg: se.Msg,
			links: []web.Link{{Label: "All categories", Href: "/"}}}
	case err != nil:
		return st, nil, err
	case canonical != slug:
		return st, nil, &redirectError{to: canonicalURL(r, slug, canonical)}
	}
	return st, c, nil
}

// canonicalURL is the request's URL with the set's slug put in canonical
// order, its query kept.
func canonicalURL(r *http.Request, slug, canonical string) string {
	p := strings.Replace(r.URL.Path, "/compare/"+slug, "/compare/"+canonical, 1)
	if r.URL.RawQuery != "" {
		p += "?" + r.URL.RawQuery
	}
	return p
}

// onDemand renders a comparison's page that was not prerendered: a set
// composed from its subjects' files (with its hand-written article if it
// has one) or a whole category, or a redirect or 404 for a set named
// wrongly. The route says which page of the comparison it is.
func (s *Server) onDemand(w http.ResponseWriter, r *http.Request) error {
	st, c, err := s.lookupComparison(r)
	if err != nil {
		return err
	}
	pattern := chi.RouteContext(r.Context()).RoutePattern()
	ctype := htmlType
	var body []byte
	switch {
	case strings.HasPrefix(pattern, "/api/"):
		ctype = jsonType
		body, err = quizJSON(c)
	case strings.HasSuffix(pattern, "/scoring"):
		body, err = renderBytes(r.Context(), web.ScoringPage(s.page(st, scoringMeta(c)), c))
	case strings.HasSuffix(pattern, "/quiz"):
		body, err = renderBytes(r.Context(), web.QuizPage(s.page(st, quizMeta(c)), web.QuizForm{C: c}))
	default:
		body, err = renderBytes(r.Context(), web.ComparisonPage(s.page(st, comparisonMeta(s.opts.BaseURL, c)), c, nil))
	}
	if err != nil {
		return err
	}
	pagecache.New(ctype, body, s.maxAge()).ServeHTTP(w, r)
	return nil
}

// categoryPage is /categories/{category}: the matrix of every subject, the
// picker, the questionnaire that ranks them all, and the category's
// comparisons.
func (s *Server) categoryPage(w http.ResponseWriter, r *http.Request) error {
	return s.renderCategory(w, r, nil, "", http.StatusOK)
}

func (s *Server) renderCategory(w http.ResponseWriter, r *http.Request, picked map[string]bool, pickErr string, status int) error {
	st, all, err := s.lookupComparison(r)
	if err != nil {
		return err
	}
	g, _ := st.cat.Category(all.Category.Key)
	v := web.CategoryView{All: all, Picked: picked, PickError: pickErr}
	for _, a := range g.Articles {
		if c, ok := st.cat.Get(a.Slug); ok && !a.Draft {
			v.Articles = append(v.Articles, c)
		}
	}
	for i, a := range g.Subjects {
		for _, b := range g.Subjects[i+1:] {
			v.Pairs = append(v.Pairs, web.Link{Label: a.Subject.Name + " vs " + b.Subject.Name, Href: "/compare/" + compare.SetSlug([]string{a.Subject.Key, b.Subject.Key})})
		}
	}
	meta := web.Meta{Title: all.Title, Description: all.Description, Path: web.CategoryPath(all.Category.Key), NoIndex: status != http.StatusOK}
	body, err := renderBytes(r.Context(), web.CategoryPage(s.page(st, meta), v))
	if err != nil {
		return err
	}
	if status != http.StatusOK {
		writeBody(w, status, htmlType, "no-store", body)
		return nil
	}
	pagecache.New(htmlType, body, s.maxAge()).ServeHTTP(w, r)
	return nil
}

// pick is the category picker's GET form: /compare?category=c&s=a&s=b
// redirects to the comparison of the picked subjects, or shows the
// category again with what is wrong (400).
func (s *Server) pick(w http.ResponseWriter, r *http.Request) error {
	st := s.state.Load()
	q := r.URL.Query()
	key := q.Get("category")
	g, ok := st.cat.Category(key)
	if !ok {
		return &httpError{status: http.StatusBadRequest, title: "Pick a category", msg: "The comparison form names no category we have.",
			links: []web.Link{{Label: "All categories", Href: "/"}}}
	}
	picked := map[string]bool{}
	var keys []string
	for _, k := range q["s"] {
		if _, ok := g.Subject(k); ok && !picked[k] {
			picked[k] = true
			keys = append(keys, k)
		}
	}
	if n := len(keys); n < compare.MinSet || n > compare.MaxSet {
		msg := "Pick two to four to compare; you picked " + countWord(n) + "."
		rctx := chi.RouteContext(r.Context())
		rctx.URLParams.Add("category", key)
		return s.renderCategory(w, r, picked, msg, http.StatusBadRequest)
	}
	slices.Sort(keys)
	http.Redirect(w, r, "/compare/"+url.PathEscape(compare.SetSlug(keys)), http.StatusSeeOther)
	return nil
}

func countWord(n int) string {
	switch n {
	case 0:
		return "none"
	case 1:
		return "one"
	}
	return strconv.Itoa(n)
}

// subjectPage is /subjects/{subject}: its facts, values, pros and cons,
// and every comparison it is in.
func (s *Server) subjectPage(w http.ResponseWriter, r *http.Request) error {
	st := s.state.Load()
	key := chi.URLParam(r, "subject")
	sf, g, ok := st.cat.Subject(key)
	if !ok {
		return errNotFound
	}
	c, _ := st.cat.SubjectComparison(key)
	v := web.SubjectView{S: sf.Subject, C: c}
	for _, a := range g.Articles {
		if slices.Contains(a.Subjects, key) && !a.Draft {
			if ac, ok := st.cat.Get(a.Slug); ok {
				v.Articles = append(v.Articles, ac)
			}
		}
	}
	for _, o := range g.Subjects {
		if o.Subject.Key != key {
			v.Pairs = append(v.Pairs, web.Link{Label: sf.Subject.Name + " vs " + o.Subject.Name, Href: "/compare/" + compare.SetSlug([]string{key, o.Subject.Key})})
		}
	}
	meta := web.Meta{Title: sf.Subject.Name, Description: sf.Subject.Summary, Path: web.SubjectPath(key)}
	body, err := renderBytes(r.Context(), web.SubjectPage(s.page(st, meta), v))
	if err != nil {
		return err
	}
	pagecache.New(htmlType, body, s.maxAge()).ServeHTTP(w, r)
	return nil
}

// maxAge is how long browsers may keep a page: none in watch mode, where
// authors must see each save at once.
func (s *Server) maxAge() time.Duration {
	if s.opts.Watch {
		return 0
	}
	return pageMaxAge
}
