package server

import (
	"net/http"

	"github.com/a-h/templ"

	"github.com/versus-dev/versus/web"
)

// home is the list of every comparison and tag, from the catalog's index.
func (s *Server) home(w http.ResponseWriter, r *http.Request, st *state) error {
	if s.lookup(w, r, st, kindHome, "/") {
		return nil
	}
	return s.cachedHTML(w, r, st, kindHome, "/", s.maxAge(), func() (templ.Component, error) {
		tags := make([]web.TagCount, 0, len(st.cat.Tags()))
		for _, t := range st.cat.Tags() {
			tags = append(tags, web.TagCount{Name: t.Name, Count: t.Count})
		}
		return web.Home(s.page(st, web.Meta{
			Description: "Technology comparisons where every claim cites its source, with a questionnaire that recommends one for your project.",
			Path:        "/",
		}), categoryCards(st.cat), st.cat.All(), tags), nil
	})
}
