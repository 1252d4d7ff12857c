package server

import (
	"fmt"
	"net/http"

	"github.com/versus-dev/versus/internal/card"
	"github.com/versus-dev/versus/web"
)

// resultCard is the og:image of a result page: the same headline and
// shares, drawn as a PNG for link previews.
func (s *Server) resultCard(w http.ResponseWriter, r *http.Request) error {
	st, c, err := s.comparison(r)
	if err != nil {
		return err
	}
	a, err := parseAnswers(c, r)
	if err != nil {
		return err
	}
	v := web.ResultView{C: c, Result: st.results.scorer(c).Recommend(a)}
	sum := v.Summary()
	cd := card.Card{Site: web.SiteName, Title: sum.Headline, Subtitle: c.Title, Even: sum.Even()}
	for _, sc := range v.Result.Scores {
		if len(cd.Bars) == card.MaxBars {
			break
		}
		name := sc.Subject
		if subj, ok := c.Subject(sc.Subject); ok {
			name = subj.Name
		}
		cd.Bars = append(cd.Bars, card.Bar{Label: name, Percent: sc.Percent, Leader: sc.Subject == v.Result.Winner})
	}
	png, err := s.cards.PNG(cd)
	if err != nil {
		return fmt.Errorf("render card for %s: %w", c.Slug, err)
	}
	writeBody(w, http.StatusOK, "image/png", resultCacheControl, png)
	return nil
}
