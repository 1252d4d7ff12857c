package server

import (
	"bytes"
	"cmp"
	"fmt"
	"net/http"
	"slices"

	"github.com/versus-dev/versus/internal/card"
	"github.com/versus-dev/versus/internal/compare"
	"github.com/versus-dev/versus/internal/recommend"
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
	v := web.ResultView{C: c, Result: a.scorer.RecommendPage(ans.valid)}
	words := v.Summary()
	cd := card.Card{Site: web.SiteName, Title: words.Headline, Subtitle: c.Title, Even: words.Even()}
	cd.Bars = cardBars(c, v.Result)
	return s.cached(w, r, st, kindCard, cd.Key(), "image/png", resultMaxAge, func() ([]byte, error) {
		var buf bytes.Buffer
		if err := card.Render(&buf, cd); err != nil {
			return nil, fmt.Errorf("render card for %s: %w", c.Slug, err)
		}
		return buf.Bytes(), nil
	})
}

// cardBars are the card's bars for res: one per subject in page order,
// each in its page colour; when more subjects than fit (a whole category's
// questionnaire), the ones with the most points, the leader always among
// them.
func cardBars(c *compare.Comparison, res recommend.Result) []card.Bar {
	byPoints := make([]int, len(res.Scores))
	for i := range byPoints {
		byPoints[i] = i
	}
	slices.SortStableFunc(byPoints, func(a, b int) int { return cmp.Compare(res.Scores[b].Points, res.Scores[a].Points) })
	shown := make([]bool, len(res.Scores))
	for _, i := range byPoints[:min(len(byPoints), card.MaxBars)] {
		shown[i] = true
	}
	var bars []card.Bar
	for i, sc := range res.Scores {
		if !shown[i] {
			continue
		}
		name := sc.Subject
		if subj, ok := c.Subject(sc.Subject); ok {
			name = subj.Name
		}
		bars = append(bars, card.Bar{Label: name, Percent: sc.Percent, Leader: sc.Subject == res.Winner, Slot: i})
	}
	return bars
}
