package server

import (
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strconv"

	"github.com/a-h/templ"

	"github.com/versus-dev/versus/internal/compare"
	"github.com/versus-dev/versus/internal/recommend"
	"github.com/versus-dev/versus/internal/server/middleware"
	"github.com/versus-dev/versus/web"
)

// maxFormBytes bounds a questionnaire POST: a full set of answers is well
// under 1 KiB, so anything near this is not a reader.
const maxFormBytes = 64 << 10

// quizForm shows the questionnaire. With a query it is prefilled with the
// valid answers, and invalid ones are dropped rather than refused, since
// the reader is about to edit them; each prefilled form is cached under its
// canonical answers.
func (s *Server) quizForm(w http.ResponseWriter, r *http.Request, st *state) error {
	sum, id, err := lookupComparison(r, st)
	if err != nil {
		return err
	}
	if r.URL.RawQuery == "" {
		if s.lookup(w, r, st, kindQuiz, id) {
			return nil
		}
		return s.cachedHTML(w, r, st, kindQuiz, id, s.maxAge(), func() (templ.Component, error) {
			a, err := s.article(st, sum, id)
			if err != nil {
				return nil, err
			}
			return web.QuizPage(s.page(st, quizMeta(a.c)), web.QuizForm{C: a.c}), nil
		})
	}
	if s.lookup(w, r, st, kindQuizFilled, id+"?"+r.URL.RawQuery) {
		return nil
	}
	a, err := s.article(st, sum, id)
	if err != nil {
		return err
	}
	ans, err := readAnswers(a.c, r.URL.RawQuery, prefillAnswers)
	if err != nil {
		return err
	}
	return s.cachedHTML(w, r, st, kindQuizFilled, id+"?"+ans.canonical, resultMaxAge, func() (templ.Component, error) {
		return web.QuizPage(s.page(st, quizMeta(a.c)), web.QuizForm{C: a.c, Answers: ans.valid}), nil
	})
}

// quizSubmit checks the answers: on success it redirects (303) to the
// shareable result URL; on errors it shows the form again with the valid
// answers kept and each problem beside its question (422).
func (s *Server) quizSubmit(w http.ResponseWriter, r *http.Request, st *state) error {
	sum, id, err := lookupComparison(r, st)
	if err != nil {
		return err
	}
	ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if ct != "application/x-www-form-urlencoded" {
		return &httpError{
			status: http.StatusUnsupportedMediaType, title: "Unsupported form encoding",
			msg:   fmt.Sprintf("The questionnaire accepts application/x-www-form-urlencoded, not %q.", r.Header.Get("Content-Type")),
			links: []web.Link{{Label: "Back to the questionnaire", Href: web.QuizPath(sum, "")}},
		}
	}
	back := []web.Link{{Label: "Back to the questionnaire", Href: web.QuizPath(sum, "")}}
	form, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxFormBytes))
	if err != nil {
		if middleware.IsTooLarge(err) {
			return &httpError{
				status: http.StatusRequestEntityTooLarge, title: "Too much data",
				msg:   fmt.Sprintf("The answers sent were larger than %d KiB; a questionnaire needs far less.", maxFormBytes>>10),
				links: back,
			}
		}
		// The cause is the network's (a timeout, a reset): it goes to the
		// log, never on the page, where it would show internal addresses.
		return &httpError{
			status: http.StatusBadRequest, title: "Unreadable form",
			msg:   "The answers did not arrive in full: the connection was too slow or was cut while sending them. Please send the form again.",
			links: back, err: err,
		}
	}
	a, err := s.article(st, sum, id)
	if err != nil {
		return err
	}
	c := a.c
	ans, err := readAnswers(c, string(form), formAnswers)
	if me := (*recommend.MalformedError)(nil); errors.As(err, &me) {
		return &httpError{
			status: http.StatusBadRequest, title: "Unreadable form",
			msg:     "The answers are not encoded as a web form encodes them, so they cannot be read. Please send them from the questionnaire.",
			details: []string{"The " + me.Error() + "."},
			links:   back, err: err,
		}
	}
	if err != nil {
		return err
	}
	if ans.problem == nil {
		http.Redirect(w, r, web.ResultPath(c, ans.canonical), http.StatusSeeOther)
		return nil
	}
	f := web.QuizForm{C: c, Answers: ans.valid, Errors: map[string]string{}}
	for _, p := range ans.problem.Problems {
		if _, ok := c.Quiz.Question(p.Key); ok {
			f.Errors[p.Key] = p.Detail // shown beside, or after, its question
		} else {
			f.Other = append(f.Other, p.Msg)
		}
	}
	if ans.problem.Omitted > 0 {
		f.Other = append(f.Other, fmt.Sprintf("and %d more problems", ans.problem.Omitted))
	}
	m := quizMeta(c)
	m.Title = "Check your answers: " + m.Title
	body, err := renderBytes(r.Context(), web.QuizPage(s.page(st, m), f))
	if err != nil {
		return fmt.Errorf("render quiz errors %s: %w", c.Slug, err)
	}
	writeBody(w, http.StatusUnprocessableEntity, htmlType, "no-store", body)
	return nil
}

func quizMeta(c *compare.Comparison) web.Meta {
	return web.Meta{
		Title:       c.Title + ": which fits your project?",
		Description: strconv.Itoa(len(c.Quiz.Questions)) + " questions about your project; get a recommendation between " + c.Title + " with its reasons and sources.",
		Path:        web.QuizPath(c, ""),
	}
}
