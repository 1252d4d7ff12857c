package server

import (
	"fmt"
	"net/http"

	"github.com/a-h/templ"

	"github.com/versus-dev/versus/internal/compare"
	"github.com/versus-dev/versus/internal/recommend"
	"github.com/versus-dev/versus/web"
)

// result is the shareable recommendation for the answers in the URL,
// cached under its canonical answers. A link with the answers in canonical
// order, which is every link the site makes, is found before its query is
// even parsed.
func (s *Server) result(w http.ResponseWriter, r *http.Request, st *state) error {
	sum, id, err := lookupComparison(r, st)
	if err != nil {
		return err
	}
	if s.lookup(w, r, st, kindResult, id+"?"+r.URL.RawQuery) {
		return nil
	}
	a, err := s.article(st, sum, id)
	if err != nil {
		return err
	}
	ans, err := readLinkAnswers(a.c, r)
	if err != nil {
		return err
	}
	return s.cachedHTML(w, r, st, kindResult, id+"?"+ans.canonical, resultMaxAge, func() (templ.Component, error) {
		reasons, err := s.reasons(st, a, id)
		if err != nil {
			return nil, err
		}
		return s.resultPage(st, a.c, a.scorer.RecommendPage(ans.valid), ans.canonical, reasons), nil
	})
}

// resultPage is the view of recommendation res for the answers whose
// canonical query is q, with the article's rendered reasons.
func (s *Server) resultPage(st *state, c *compare.Comparison, res recommend.Result, q string, reasons web.Reasons) templ.Component {
	v := web.ResultView{
		C:        c,
		Result:   res,
		Query:    q,
		ShareURL: s.opts.BaseURL + web.ResultPath(c, q),
		Reasons:  reasons,
	}.Described()
	return web.ResultPage(s.page(st, web.Meta{
		Title:       v.Headline(),
		Description: fmt.Sprintf("A recommendation between %s from %d answers, with the reasons and sources behind it.", c.Title, v.Result.Answered),
		// The canonical link uses the encoded answers, so any order or
		// repetition of the same answers is indexed as one page.
		Path:  web.ResultPath(c, q),
		Image: s.opts.BaseURL + web.ResultImagePath(c, q),
	}), v)
}
