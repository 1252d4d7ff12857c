package recommend

import (
	"fmt"
	"net/url"
	"slices"
	"strings"

	"github.com/versus-dev/versus/internal/compare"
)

// maxProblems caps how many problems an AnswerError lists, so a query with
// thousands of bogus keys cannot make the error page as large as itself.
const maxProblems = 10

// maxQuoted is how many runes of a key or value a message repeats.
const maxQuoted = 40

// Problem is one thing wrong with a submitted answer. Key and Value are the
// raw strings as received (possibly hostile: escape them when displaying);
// Msg already quotes them safely, truncated.
type Problem struct {
	Key   string
	Value string
	Msg   string // names the question: for links and the API, read out of context
	// Detail is Msg without the question's name, for a form that already
	// shows the problem beside its question.
	Detail string
}

// AnswerError is every problem Parse found, together with the answers that
// were fine, so the server can send the reader back to the questionnaire
// with those prefilled rather than make them start over.
type AnswerError struct {
	Problems     []Problem // in quiz order, then unknown keys sorted; at most maxProblems
	Omitted      int       // problems found beyond those listed
	ValidAnswers Answers
}

func (e *AnswerError) Error() string {
	msgs := make([]string, len(e.Problems))
	for i, p := range e.Problems {
		msgs[i] = p.Msg
	}
	s := "invalid answers: " + strings.Join(msgs, "; ")
	if e.Omitted > 0 {
		s += fmt.Sprintf("; and %d more", e.Omitted)
	}
	return s
}

// questionProblem is a problem with the answer to a known question.
func questionProblem(qu *compare.Question, value, detail string) Problem {
	return Problem{Key: qu.Key, Value: value, Detail: detail,
		Msg: fmt.Sprintf("question %s: %s", quote(qu.Key), detail)}
}

func (e *AnswerError) add(p Problem) {
	if len(e.Problems) < maxProblems {
		e.Problems = append(e.Problems, p)
		return
	}
	e.Omitted++
}

// Parse decodes answers from a URL query, checking every key and value
// against the quiz. Errors name the offending key or value. On any problem
// it returns a *AnswerError listing them all (capped) with the valid
// answers; an empty value is a problem rather than "unanswered" because
// forms never send an empty radio button, so it means a hand-edited URL.
func Parse(q *compare.Quiz, v url.Values) (Answers, error) {
	a := Answers{}
	e := &AnswerError{}
	for i := range q.Questions {
		qu := &q.Questions[i]
		vals, ok := v[qu.Key]
		if !ok {
			continue
		}
		switch {
		case len(vals) == 0 || vals[0] == "" && len(vals) == 1:
			e.add(questionProblem(qu, "", "no answer given"))
		case len(vals) > 1:
			e.add(questionProblem(qu, vals[0], fmt.Sprintf("answered %d times, give one answer", len(vals))))
		default:
			if _, ok := qu.Option(vals[0]); !ok {
				e.add(questionProblem(qu, vals[0], fmt.Sprintf(
					"unknown answer %s (want one of %s)", quote(vals[0]), optionList(qu))))
				continue
			}
			a[qu.Key] = vals[0]
		}
	}
	var unknown []string
	for k := range v {
		if _, ok := q.Question(k); !ok {
			unknown = append(unknown, k)
		}
	}
	slices.Sort(unknown)
	for _, k := range unknown {
		val := ""
		if len(v[k]) > 0 {
			val = v[k][0]
		}
		e.add(Problem{Key: k, Value: val, Msg: fmt.Sprintf("unknown question %s", quote(k))})
	}
	if len(e.Problems) > 0 {
		e.ValidAnswers = a
		return nil, e
	}
	return a, nil
}

func optionList(q *compare.Question) string {
	keys := make([]string, len(q.Options))
	for i, o := range q.Options {
		keys[i] = quote(o.Key)
	}
	return strings.Join(keys, ", ")
}

// quote makes s safe to show in a message: Go-quoted (so control
// characters and invalid UTF-8 come out as escapes) and cut to maxQuoted
// runes so a huge value cannot flood a page or a log.
func quote(s string) string {
	n, cut := 0, len(s)
	for i := range s { // ranges by rune; each invalid byte counts as one
		if n == maxQuoted {
			cut = i
			break
		}
		n++
	}
	if cut < len(s) {
		return fmt.Sprintf("%q…", s[:cut])
	}
	return fmt.Sprintf("%q", s)
}

// Encode returns the canonical query string for answers: keys in quiz order.
// Parse(Encode(a)) == a. Keys that name no question are dropped, so the
// canonical URL of a result never carries junk from the request.
func Encode(q *compare.Quiz, a Answers) string {
	var b strings.Builder
	for i := range q.Questions {
		key := q.Questions[i].Key
		val, ok := a[key]
		if !ok {
			continue
		}
		if b.Len() > 0 {
			b.WriteByte('&')
		}
		b.WriteString(url.QueryEscape(key))
		b.WriteByte('=')
		b.WriteString(url.QueryEscape(val))
	}
	return b.String()
}
