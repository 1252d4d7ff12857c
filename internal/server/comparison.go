package server

import (
	"net/http"

	"github.com/a-h/templ"

	"github.com/versus-dev/versus/internal/compare"
	"github.com/versus-dev/versus/web"
)

// comparison is the article page: the whole comparison (parsed again on a
// miss) and the related comparisons from the index.
func (s *Server) comparison(w http.ResponseWriter, r *http.Request, st *state) error {
	sum, id, err := lookupComparison(r, st)
	if err != nil {
		return err
	}
	if s.lookup(w, r, st, kindComparison, id) {
		return nil
	}
	return s.cachedHTML(w, r, st, kindComparison, id, s.maxAge(), func() (templ.Component, error) {
		a, err := s.article(st, sum, id)
		if err != nil {
			return nil, err
		}
		return web.ComparisonPage(s.page(st, comparisonMeta(s.opts.BaseURL, a.c)), a.c, st.cat.Related(sum.Slug, relatedMax)), nil
	})
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
