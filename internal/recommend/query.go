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
	Problems     []Problem // in quiz order, then unknown keys sorted (at most maxProblems), then "too many parameters"
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

// maxPairs is how many name=value pairs ParseQuery reads: a questionnaire
// has a dozen questions, so a query with more is not a reader's, and
// reading past it would only let a long URL buy CPU time.
const maxPairs = 256

// Parse decodes answers from a URL query, checking every key and value
// against the quiz. Errors name the offending key or value. On any problem
// it returns a *AnswerError listing them all (capped) with the valid
// answers; an empty value is a problem rather than "unanswered" because
// forms never send an empty radio button, so it means a hand-edited URL.
//
// Its cost is linear in the number of keys: unknown keys are not sorted
// or formatted, only the maxProblems smallest are kept and described.
func Parse(q *compare.Quiz, v url.Values) (Answers, error) {
	p := newCollector(q)
	for k, vals := range v {
		val := ""
		if len(vals) > 0 {
			val = vals[0]
		}
		p.add(k, val, len(vals), false)
	}
	return p.finish()
}

// QueryOptions say how ParseQuery treats what a form sends and a link
// does not.
type QueryOptions struct {
	// DropEmpty skips pairs with an empty value: the "no preference"
	// a questionnaire form sends for a skipped question.
	DropEmpty bool
	// SkipMalformed skips pairs that cannot be decoded (a bad %-escape, a
	// ";" separator), as url.Values.Query does, instead of failing with a
	// *MalformedError.
	SkipMalformed bool
}

// MalformedError is a query string that cannot be decoded: its answers
// cannot be trusted, so none are read.
type MalformedError struct {
	Pair   string // as received (possibly hostile)
	Reason string
}

func (e *MalformedError) Error() string {
	return fmt.Sprintf("part %s %s", quote(e.Pair), e.Reason)
}

// ParseQuery is Parse on a raw query string (a URL's RawQuery or a form
// body), without building url.Values: it reads at most maxPairs pairs,
// decodes a key or value only when it holds an escape, and gives the same
// answers and problems as Parse(url.ParseQuery(raw)) for queries within
// that limit. Past the limit it stops and reports "too many parameters",
// keeping what it read. A pair that cannot be decoded stops it with a
// *MalformedError, unless o.SkipMalformed.
func ParseQuery(q *compare.Quiz, raw string, o QueryOptions) (Answers, error) {
	p := newCollector(q)
	pairs := 0
	for raw != "" {
		var pair string
		pair, raw, _ = strings.Cut(raw, "&")
		if pair == "" {
			continue
		}
		if pairs == maxPairs {
			p.tooMany = true
			break
		}
		pairs++
		k, v, err := splitPair(pair)
		if err != nil {
			if o.SkipMalformed {
				continue
			}
			return nil, err
		}
		if o.DropEmpty && v == "" {
			continue
		}
		p.add(k, v, 1, true)
	}
	return p.finish()
}

// splitPair decodes one key=value pair as url.ParseQuery does.
func splitPair(pair string) (key, value string, err error) {
	if strings.IndexByte(pair, ';') >= 0 {
		return "", "", &MalformedError{Pair: pair, Reason: `separates answers with ";": only "&" is allowed`}
	}
	k, v, _ := strings.Cut(pair, "=")
	if key, err = unescape(k); err == nil {
		value, err = unescape(v)
	}
	if err != nil {
		return "", "", &MalformedError{Pair: pair, Reason: `has a "%" that is not followed by two hexadecimal digits`}
	}
	return key, value, nil
}

// unescape is url.QueryUnescape, which allocates only when s needs it.
func unescape(s string) (string, error) {
	if strings.IndexByte(s, '%') < 0 && strings.IndexByte(s, '+') < 0 {
		return s, nil
	}
	return url.QueryUnescape(s)
}

// collector gathers a query's pairs for Parse and ParseQuery: per question
// its first value and how many it got; of the unknown keys, how many there
// are and the maxProblems smallest, which are all that can be reported.
type collector struct {
	q        *compare.Quiz
	answers  []seenAnswer // by question index
	unknown  []unknownKey // sorted by key, at most maxProblems
	nUnknown int          // distinct unknown keys
	seen     map[string]struct{}
	tooMany  bool
}

type seenAnswer struct {
	present bool
	n       int
	first   string
}

type unknownKey struct{ key, value string }

func newCollector(q *compare.Quiz) *collector {
	return &collector{q: q, answers: make([]seenAnswer, len(q.Questions))}
}

// add records n values of key, the first being value. dedupe is for a
// source that can repeat a key (a raw query); url.Values cannot.
func (p *collector) add(key, value string, n int, dedupe bool) {
	for i := range p.q.Questions {
		if p.q.Questions[i].Key == key {
			a := &p.answers[i]
			if !a.present {
				a.present, a.first = true, value
			}
			a.n += n
			return
		}
	}
	if dedupe {
		if p.seen == nil {
			p.seen = map[string]struct{}{}
		}
		if _, dup := p.seen[key]; dup {
			return
		}
		p.seen[key] = struct{}{}
	}
	p.nUnknown++
	if len(p.unknown) == maxProblems && key >= p.unknown[maxProblems-1].key {
		return
	}
	at, _ := slices.BinarySearchFunc(p.unknown, key, func(u unknownKey, k string) int { return strings.Compare(u.key, k) })
	if len(p.unknown) == maxProblems {
		p.unknown = p.unknown[:maxProblems-1]
	}
	p.unknown = slices.Insert(p.unknown, at, unknownKey{key, value})
}

// finish checks what was gathered: the problems in quiz order, then the
// unknown keys sorted, then too many parameters.
func (p *collector) finish() (Answers, error) {
	a := Answers{}
	e := &AnswerError{}
	for i := range p.q.Questions {
		qu, got := &p.q.Questions[i], p.answers[i]
		switch {
		case !got.present:
		case got.n == 0 || got.first == "" && got.n == 1:
			e.add(questionProblem(qu, "", "no answer given"))
		case got.n > 1:
			e.add(questionProblem(qu, got.first, fmt.Sprintf("answered %d times, give one answer", got.n)))
		default:
			if _, ok := qu.Option(got.first); !ok {
				e.add(questionProblem(qu, got.first, fmt.Sprintf(
					"unknown answer %s (want one of %s)", quote(got.first), optionList(qu))))
				continue
			}
			a[qu.Key] = got.first
		}
	}
	listed := 0
	for _, u := range p.unknown {
		if len(e.Problems) == maxProblems {
			break
		}
		e.add(Problem{Key: u.key, Value: u.value, Msg: fmt.Sprintf("unknown question %s", quote(u.key))})
		listed++
	}
	e.Omitted += p.nUnknown - listed
	if p.tooMany {
		e.Problems = append(e.Problems, Problem{Msg: fmt.Sprintf(
			"too many parameters: only the first %d were read, and the questionnaire has %d questions", maxPairs, len(p.q.Questions))})
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
	n := 0
	for k, v := range a {
		n += len(k) + len(v) + 2
	}
	b.Grow(n) // enough unless an answer needs escaping
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
