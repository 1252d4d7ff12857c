package server

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"

	"github.com/versus-dev/versus/internal/compare"
	"github.com/versus-dev/versus/internal/recommend"
	"github.com/versus-dev/versus/web"
)

// answers is what a request says about a questionnaire's answers: the
// valid ones, their canonical query (recommend.Encode: questionnaire
// order, so every ordering or repetition of one set is one cache key and
// one canonical URL), and what was wrong with the rest.
type answers struct {
	valid     recommend.Answers
	canonical string
	problem   *recommend.AnswerError // nil when every answer was valid
}

// How each caller reads answers. A form's "no preference" (an empty value,
// which a form sends for a skipped question) is neutral, not an error; a
// prefilled questionnaire link also skips what it cannot decode, since the
// reader is about to edit the answers; a shareable link (result, card,
// API) is read strictly.
var (
	formAnswers    = recommend.QueryOptions{DropEmpty: true}
	prefillAnswers = recommend.QueryOptions{DropEmpty: true, SkipMalformed: true}
	linkAnswers    = recommend.QueryOptions{}
)

// readAnswers is the one reader of answers, for the questionnaire (form
// and prefilled link), the result page, its card and the API: raw is the
// query or form body, read with opts. A query that cannot be decoded is a
// *recommend.MalformedError; answers that do not fit the questionnaire are
// kept in answers.problem, with the valid ones.
func readAnswers(c *compare.Comparison, raw string, opts recommend.QueryOptions) (answers, error) {
	a, err := recommend.ParseQuery(&c.Quiz, raw, opts)
	if err == nil {
		return answers{valid: a, canonical: recommend.Encode(&c.Quiz, a)}, nil
	}
	var ae *recommend.AnswerError
	if !errors.As(err, &ae) {
		return answers{}, err
	}
	return answers{valid: ae.ValidAnswers, canonical: recommend.Encode(&c.Quiz, ae.ValidAnswers), problem: ae}, nil
}

// readLinkAnswers reads the answers of a shareable link (a result, its
// card, the API) strictly: a malformed query (bad %-escapes, ";"
// separators) would otherwise show a reader a result for answers other
// than the ones in their link, and an answer the questionnaire does not
// know is refused, with where to go to fix it.
func readLinkAnswers(c *compare.Comparison, r *http.Request) (answers, error) {
	a, err := readAnswers(c, r.URL.RawQuery, linkAnswers)
	if me := (*recommend.MalformedError)(nil); errors.As(err, &me) {
		return answers{}, &httpError{
			status:  http.StatusBadRequest,
			title:   "This link's answers cannot be read",
			msg:     "The link's query string is malformed, so its answers cannot be trusted.",
			details: []string{"The " + me.Error() + "."},
			links:   []web.Link{{Label: "Take the questionnaire", Href: web.QuizPath(c, "")}},
			err:     err,
		}
	}
	if err != nil {
		return answers{}, fmt.Errorf("parse answers: %w", err)
	}
	if a.problem == nil {
		return a, nil
	}
	he := &httpError{
		status: http.StatusBadRequest,
		title:  "These answers do not fit the questionnaire",
		msg:    "The link has answers the questionnaire does not know. Your other answers are kept if you go back to it.",
		links: []web.Link{
			{Label: "Back to the questionnaire with your valid answers", Href: web.QuizPath(c, a.canonical)},
			{Label: "Read the comparison", Href: web.ComparePath(c)},
		},
		apiMsg: a.problem.Error(),
		err:    a.problem,
	}
	for _, p := range a.problem.Problems {
		he.details = append(he.details, p.Msg)
	}
	if a.problem.Omitted > 0 {
		he.details = append(he.details, "and "+strconv.Itoa(a.problem.Omitted)+" more")
	}
	return answers{}, he
}
