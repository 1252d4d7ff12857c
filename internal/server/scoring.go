package server

import (
	"net/http"

	"github.com/a-h/templ"

	"github.com/versus-dev/versus/internal/compare"
	"github.com/versus-dev/versus/web"
)

// scoring is the "How we score" page: every question, the points each
// answer gives and why.
func (s *Server) scoring(w http.ResponseWriter, r *http.Request, st *state) error {
	sum, id, err := lookupComparison(r, st)
	if err != nil {
		return err
	}
	if s.lookup(w, r, st, kindScoring, id) {
		return nil
	}
	return s.cachedHTML(w, r, st, kindScoring, id, s.maxAge(), func() (templ.Component, error) {
		a, err := s.article(st, sum, id)
		if err != nil {
			return nil, err
		}
		return web.ScoringPage(s.page(st, scoringMeta(a.c)), a.c), nil
	})
}

func scoringMeta(c *compare.Comparison) web.Meta {
	return web.Meta{
		Title:       "How we score " + c.Title,
		Description: "Every question of the " + c.Title + " questionnaire, the points each answer gives, and why.",
		Path:        web.ScoringPath(c),
	}
}
