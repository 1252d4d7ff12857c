package server

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"

	"github.com/go-chi/chi/v5"

	"github.com/versus-dev/versus/internal/compare"
	"github.com/versus-dev/versus/internal/recommend"
	"github.com/versus-dev/versus/web"
)

// The JSON API's shapes. Field names are a public contract: scripts and
// other sites read them, so add fields rather than rename them.
type (
	apiQuizBody struct {
		Slug      string        `json:"slug"`
		Title     string        `json:"title"`
		Subjects  []apiSubject  `json:"subjects"`
		Questions []apiQuestion `json:"questions"`
	}
	apiSubject struct {
		Key  string `json:"key"`
		Name string `json:"name"`
	}
	apiQuestion struct {
		Key     string      `json:"key"`
		Ask     string      `json:"ask"`
		Help    string      `json:"help,omitempty"`
		Options []apiOption `json:"options"`
	}
	apiOption struct {
		Key    string         `json:"key"`
		Label  string         `json:"label"`
		Favors map[string]int `json:"favors"`
	}
	apiRecommendationBody struct {
		Winner     string         `json:"winner"`
		Scores     map[string]int `json:"scores"`
		Confidence string         `json:"confidence"`
		Reasons    []apiReason    `json:"reasons"`
		Flips      []apiFlip      `json:"flips"`
		URL        string         `json:"url"`
		// Added with N-way comparisons: the result in the site's words,
		// and one entry per answer with every subject's points and why.
		Summary apiSummary  `json:"summary"`
		Answers []apiEffect `json:"answers"`
	}
	apiReason struct {
		Question string   `json:"question"`
		Answer   string   `json:"answer"`
		Subject  string   `json:"subject"`
		Weight   int      `json:"weight"`
		Why      string   `json:"why"` // this subject's own why
		Cites    []string `json:"cites"`
	}
	apiSummary struct {
		Kind     string   `json:"kind"`
		Headline string   `json:"headline"`
		Standing string   `json:"standing"`
		Detail   string   `json:"detail"`
		Leaders  []string `json:"leaders"`
		Near     []string `json:"near"`
	}
	apiEffect struct {
		Question string             `json:"question"`
		Answer   string             `json:"answer"`
		Why      string             `json:"why,omitempty"` // shared by every subject
		Cites    []string           `json:"cites,omitempty"`
		Subjects []apiSubjectEffect `json:"subjects"`
	}
	apiSubjectEffect struct {
		Subject string   `json:"subject"`
		Points  int      `json:"points"`
		None    bool     `json:"no_bearing,omitempty"`
		Why     string   `json:"why,omitempty"`
		Cites   []string `json:"cites,omitempty"`
	}
	apiFlip struct {
		Changes []apiChange `json:"changes"`
		Winner  string      `json:"winner"`
	}
	apiChange struct {
		Question string `json:"question"`
		From     string `json:"from"`
		To       string `json:"to"`
	}
)

// quizJSON is the body of apiQuiz: it only changes with the catalog.
func quizJSON(c *compare.Comparison) ([]byte, error) {
	b := apiQuizBody{Slug: c.Slug, Title: c.Title, Subjects: []apiSubject{}, Questions: []apiQuestion{}}
	for _, s := range c.Subjects {
		b.Subjects = append(b.Subjects, apiSubject{Key: s.Key, Name: s.Name})
	}
	for _, q := range c.Quiz.Questions {
		aq := apiQuestion{Key: q.Key, Ask: q.Ask, Help: q.Help, Options: []apiOption{}}
		for _, o := range q.Options {
			favors := map[string]int{}
			for _, s := range c.Subjects {
				favors[s.Key] = o.Favors[s.Key]
			}
			aq.Options = append(aq.Options, apiOption{Key: o.Key, Label: o.Label, Favors: favors})
		}
		b.Questions = append(b.Questions, aq)
	}
	out, err := json.Marshal(b)
	if err != nil {
		return nil, err
	}
	return append(out, '\n'), nil
}

// apiQuiz is the questionnaire as JSON.
func (s *Server) apiQuiz(w http.ResponseWriter, r *http.Request, st *state) error {
	sum, id, err := lookupComparison(r, st)
	if err == errNotFound {
		return &httpError{status: http.StatusNotFound, msg: "no comparison with slug " + quoteSlug(r)}
	} else if err != nil {
		return err
	}
	if s.lookup(w, r, st, kindAPIQuiz, id) {
		return nil
	}
	return s.cached(w, r, st, kindAPIQuiz, id, jsonType, s.maxAge(), func() ([]byte, error) {
		a, err := s.article(st, sum, id)
		if err != nil {
			return nil, err
		}
		body, err := quizJSON(a.c)
		if err != nil {
			return nil, fmt.Errorf("render quiz JSON for %s: %w", sum.Slug, err)
		}
		return body, nil
	})
}

// apiRecommendation answers with the recommendation as JSON. Like the
// result page, its body depends only on the catalog and the canonical
// answers, so it is cached under them.
func (s *Server) apiRecommendation(w http.ResponseWriter, r *http.Request, st *state) error {
	sum, id, err := lookupComparison(r, st)
	if err == errNotFound {
		return &httpError{status: http.StatusNotFound, msg: "no comparison with slug " + quoteSlug(r)}
	} else if err != nil {
		return err
	}
	if s.lookup(w, r, st, kindAPIRecommend, id+"?"+r.URL.RawQuery) {
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
	return s.cached(w, r, st, kindAPIRecommend, id+"?"+ans.canonical, jsonType, resultMaxAge, func() ([]byte, error) {
		body, err := recommendationJSON(a.c, a.scorer.Recommend(ans.valid), ans.canonical)
		if err != nil {
			return nil, fmt.Errorf("encode recommendation for %s: %w", sum.Slug, err)
		}
		return body, nil
	})
}

// recommendationJSON is the API body for res, the recommendation for the
// answers whose canonical query is query.
func recommendationJSON(c *compare.Comparison, res recommend.Result, query string) ([]byte, error) {
	b := apiRecommendationBody{
		Winner:     res.Winner,
		Scores:     make(map[string]int, len(res.Scores)),
		Confidence: string(res.Confidence),
		Reasons:    make([]apiReason, 0, len(res.Reasons)),
		Flips:      make([]apiFlip, 0, len(res.Flips)),
		URL:        web.ResultPath(c, query),
	}
	for _, sc := range res.Scores {
		b.Scores[sc.Subject] = sc.Percent
	}
	for _, rs := range res.Reasons {
		b.Reasons = append(b.Reasons, apiReason{Question: rs.Question, Answer: rs.Answer, Subject: rs.Subject, Weight: rs.Weight, Why: rs.Why, Cites: nonNil(rs.Cites)})
	}
	sum := web.ResultView{C: c, Result: res}.Summary()
	b.Summary = apiSummary{Kind: string(sum.Kind), Headline: sum.Headline, Standing: sum.Standing, Detail: sum.Detail,
		Leaders: nonNil(sum.Leaders), Near: nonNil(sum.Near)}
	b.Answers = make([]apiEffect, 0, len(res.Effects))
	for _, e := range res.Effects {
		ae := apiEffect{Question: e.Question, Answer: e.Answer, Why: e.Why, Cites: e.Cites, Subjects: make([]apiSubjectEffect, 0, len(e.Subjects))}
		for _, se := range e.Subjects {
			ae.Subjects = append(ae.Subjects, apiSubjectEffect{Subject: se.Subject, Points: se.Points, None: se.None, Why: se.Why, Cites: se.Cites})
		}
		b.Answers = append(b.Answers, ae)
	}
	for _, f := range res.Flips {
		af := apiFlip{Winner: f.Winner, Changes: make([]apiChange, 0, len(f.Changes))}
		for _, ch := range f.Changes {
			af.Changes = append(af.Changes, apiChange{Question: ch.Question, From: ch.From, To: ch.To})
		}
		b.Flips = append(b.Flips, af)
	}
	out, err := json.Marshal(b)
	if err != nil {
		return nil, err
	}
	return append(out, '\n'), nil
}

// nonNil makes an absent list encode as [] rather than null.
func nonNil(xs []string) []string {
	if xs == nil {
		return []string{}
	}
	return xs
}

// quoteSlug repeats the requested slug safely in a message.
func quoteSlug(r *http.Request) string {
	s := chi.URLParam(r, "slug")
	if len(s) > 60 {
		s = s[:60] + "…"
	}
	return strconv.Quote(s)
}
