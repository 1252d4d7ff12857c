package server

import (
	"net/http"
	"slices"

	"github.com/a-h/templ"
	"github.com/go-chi/chi/v5"

	"github.com/versus-dev/versus/internal/compare"
	"github.com/versus-dev/versus/web"
)

// subjectPage is /subjects/{subject}: its facts, values, pros and cons,
// and every comparison it is in.
func (s *Server) subjectPage(w http.ResponseWriter, r *http.Request, st *state) error {
	key := chi.URLParam(r, "subject")
	if s.lookup(w, r, st, kindSubject, key) {
		return nil
	}
	sf, g, ok := st.cat.Subject(key)
	if !ok {
		return errNotFound
	}
	return s.cachedHTML(w, r, st, kindSubject, key, s.maxAge(), func() (templ.Component, error) {
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
		return web.SubjectPage(s.page(st, web.Meta{Title: sf.Subject.Name, Description: sf.Subject.Summary, Path: web.SubjectPath(key)}), v), nil
	})
}
