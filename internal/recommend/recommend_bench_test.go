package recommend

import (
	"net/url"
	"testing"

	"github.com/versus-dev/versus/internal/compare"
)

// fullAnswers answers every question with its first option: the largest
// answer set a reader can send, and the one the load test's result URL uses.
func fullAnswers(c *compare.Comparison) Answers {
	a := Answers{}
	for _, q := range c.Quiz.Questions {
		a[q.Key] = q.Options[0].Key
	}
	return a
}

// BenchmarkRecommendFull scores a complete answer set (every question
// answered), as a result page does per request.
func BenchmarkRecommendFull(b *testing.B) {
	c := article(b)
	a := fullAnswers(c)
	if r := Recommend(c, a); r.Answered != len(c.Quiz.Questions) {
		b.Fatalf("answered %d of %d", r.Answered, len(c.Quiz.Questions))
	}
	b.ReportAllocs()
	for b.Loop() {
		Recommend(c, a)
	}
}

// BenchmarkScorerFull is the same through a Scorer prepared once, as the
// server keeps one per comparison.
func BenchmarkScorerFull(b *testing.B) {
	c := article(b)
	a := fullAnswers(c)
	sc := NewScorer(c)
	if r := sc.Recommend(a); r.Answered != len(c.Quiz.Questions) {
		b.Fatalf("answered %d of %d", r.Answered, len(c.Quiz.Questions))
	}
	b.ReportAllocs()
	for b.Loop() {
		sc.Recommend(a)
	}
}

// BenchmarkEncode and BenchmarkParse are the two halves of a shareable
// result URL: answers to the canonical query, and a query back to answers.
func BenchmarkEncode(b *testing.B) {
	c := article(b)
	a := fullAnswers(c)
	b.ReportAllocs()
	for b.Loop() {
		Encode(&c.Quiz, a)
	}
}

func BenchmarkParse(b *testing.B) {
	c := article(b)
	a := fullAnswers(c)
	q, err := url.ParseQuery(Encode(&c.Quiz, a))
	if err != nil {
		b.Fatal(err)
	}
	if got, err := Parse(&c.Quiz, q); err != nil || len(got) != len(a) {
		b.Fatalf("Parse = %v, %v; want %d answers", got, err, len(a))
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Parse(&c.Quiz, q); err != nil {
			b.Fatal(err)
		}
	}
}
