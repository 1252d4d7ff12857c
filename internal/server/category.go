package server

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"

	"github.com/a-h/templ"
	"github.com/go-chi/chi/v5"

	"github.com/versus-dev/versus/internal/compare"
	"github.com/versus-dev/versus/web"
)

// categoryPage is /categories/{category}: the matrix of every subject, the
// picker, the questionnaire that ranks them all, and the category's
// comparisons.
func (s *Server) categoryPage(w http.ResponseWriter, r *http.Request, st *state) error {
	key := chi.URLParam(r, "category")
	if s.lookup(w, r, st, kindCategory, key) {
		return nil
	}
	if _, ok := st.cat.Category(key); !ok {
		return errNotFound
	}
	return s.cachedHTML(w, r, st, kindCategory, key, s.maxAge(), func() (templ.Component, error) {
		return s.categoryView(st, key, nil, "", false)
	})
}

// categoryView is the category page, with the picker showing picked and
// pickErr when a pick was refused (and then not indexed).
func (s *Server) categoryView(st *state, key string, picked map[string]bool, pickErr string, refused bool) (templ.Component, error) {
	all, ok := st.cat.CategoryComparison(key)
	if !ok {
		return nil, errNotFound
	}
	g, _ := st.cat.Category(key)
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
	meta := web.Meta{Title: all.Title, Description: all.Description, Path: web.CategoryPath(all.Category.Key), NoIndex: refused}
	return web.CategoryPage(s.page(st, meta), v), nil
}

// pick is the category picker's GET form: /compare?category=c&s=a&s=b
// redirects to the comparison of the picked subjects, or shows the
// category again with what is wrong (400).
func (s *Server) pick(w http.ResponseWriter, r *http.Request, st *state) error {
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
		view, err := s.categoryView(st, key, picked, "Pick two to four to compare; you picked "+countWord(n)+".", true)
		if err != nil {
			return err
		}
		body, err := renderBytes(r.Context(), view)
		if err != nil {
			return err
		}
		writeBody(w, http.StatusBadRequest, htmlType, "no-store", body)
		return nil
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
