package server

import (
	"bytes"
	"fmt"
	"net/http"

	"github.com/versus-dev/versus/internal/card"
	"github.com/versus-dev/versus/web"
)

// resultCard is the og:image of a result page: the same headline and
// shares, drawn as a PNG for link previews. A card depends only on what it
// shows, and many answer sets show the same, so it is cached by its
// content: a render costs about 20 ms.
func (s *Server) resultCard(w http.ResponseWriter, r *http.Request, st *state) error {
	sum, id, err := lookupComparison(r, st)
	if err != nil {
		return err
	}
	a, err := s.article(st, sum, id)
	if err != nil {
		return err
	}
	c := a.c
	ans, err := readLinkAnswers(c, r)
	if err != nil {
		return err
	}
	v := web.ResultView{C: c, Result: a.scorer.Recommend(ans.valid)}
	cd := card.Card{Site: web.SiteName, Title: v.Headline(), Subtitle: c.Title}
	for _, sc := range v.Result.Scores {
		if len(cd.Bars) == card.MaxBars {
			break
		}
		name := sc.Subject
		if subj, ok := c.Subject(sc.Subject); ok {
			name = subj.Name
		}
		cd.Bars = append(cd.Bars, card.Bar{Label: name, Percent: sc.Percent})
	}
	return s.cached(w, r, st, kindCard, cd.Key(), "image/png", resultMaxAge, func() ([]byte, error) {
		var buf bytes.Buffer
		if err := card.Render(&buf, cd); err != nil {
			return nil, fmt.Errorf("render card for %s: %w", c.Slug, err)
		}
		return buf.Bytes(), nil
	})
}
