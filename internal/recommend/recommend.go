// Package recommend scores a comparison's questionnaire answers. It is pure:
// no I/O, no globals, deterministic, and monotonic (an answer that favours a
// subject never lowers that subject's score).
package recommend

import (
	"net/url"

	"github.com/versus-dev/versus/internal/compare"
)

// Confidence says how far apart the top two subjects are.
type Confidence string

const (
	Clear   Confidence = "clear"
	Leaning Confidence = "leaning"
	Close   Confidence = "close" // a close call or an exact tie: "either fits"
)

// Answers holds one option key per answered question. Unanswered questions
// are absent and neutral.
type Answers map[string]string

// Score is one subject's standing.
type Score struct {
	Subject string // subject key
	Points  int    // sum of the weights the answers gave it
	Percent int    // 0-100, share of all points; equal shares when no points
}

// Reason is one answer's contribution to one subject.
type Reason struct {
	Question string // question key
	Answer   string // option key
	Subject  string // subject key the answer favours
	Weight   int
	Why      string
	Section  string // anchor on the comparison page, may be ""
	Cites    []string
}

// Change is one answer changed (From is "" when it was unanswered).
type Change struct {
	Question string
	From     string
	To       string
}

// Flip is a smallest set of answer changes that makes Winner win instead.
type Flip struct {
	Changes []Change
	Winner  string
}

// Result is the recommendation for one set of answers.
type Result struct {
	Winner     string  // subject key, "" on an exact tie
	Scores     []Score // in the comparison's subject order
	Confidence Confidence
	Reasons    []Reason // strongest first
	Flips      []Flip
	Answered   int
	Questions  int
}

// Recommend scores answers against the comparison's quiz. Answers must have
// been checked by Parse.
func Recommend(c *compare.Comparison, a Answers) Result {
	panic("recommend: not implemented yet")
}

// Parse decodes answers from a URL query, checking every key and value
// against the quiz. Errors name the offending key or value.
func Parse(q *compare.Quiz, v url.Values) (Answers, error) {
	panic("recommend: not implemented yet")
}

// Encode returns the canonical query string for answers: keys in quiz order.
// Parse(Encode(a)) == a.
func Encode(q *compare.Quiz, a Answers) string {
	panic("recommend: not implemented yet")
}
