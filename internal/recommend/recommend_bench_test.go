package recommend_test

import (
	"net/url"
	"testing"

	"github.com/versus-dev/versus/content"
	"github.com/versus-dev/versus/internal/catalog"
	"github.com/versus-dev/versus/internal/compare"
	"github.com/versus-dev/versus/internal/recommend"
)

func benchArticle(b *testing.B) *compare.Comparison {
	b.Helper()
	cat, err := catalog.Load(content.FS)
	if err != nil {
		b.Fatalf("load content: %v", err)
	}
	c, ok := cat.Get("django-vs-flask")
	if !ok {
		b.Fatal("no django-vs-flask in the embedded content")
	}
	return c
}

// fullAnswers answers every question with its first option: the largest
// answer set a reader can send, and the one the load test's result URL uses.
func fullAnswers(c *compare.Comparison) recommend.Answers {
	a := recommend.Answers{}
	for _, q := range c.Quiz.Questions {
		a[q.Key] = q.Options[0].Key
	}
	return a
}

// BenchmarkRecommendFull scores a complete answer set (every question
// answered), as a result page does per request.
func BenchmarkRecommendFull(b *testing.B) {
	c := benchArticle(b)
	a := fullAnswers(c)
	if r := recommend.Recommend(c, a); r.Answered != len(c.Quiz.Questions) {
		b.Fatalf("answered %d of %d", r.Answered, len(c.Quiz.Questions))
	}
	b.ReportAllocs()
	for b.Loop() {
		recommend.Recommend(c, a)
	}
}

// BenchmarkScorerFull is the same through a Scorer prepared once, as the
// server keeps one per comparison.
func BenchmarkScorerFull(b *testing.B) {
	c := benchArticle(b)
	a := fullAnswers(c)
	sc := recommend.NewScorer(c)
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
	c := benchArticle(b)
	a := fullAnswers(c)
	b.ReportAllocs()
	for b.Loop() {
		recommend.Encode(&c.Quiz, a)
	}
}

func BenchmarkParse(b *testing.B) {
	c := benchArticle(b)
	a := fullAnswers(c)
	q, err := url.ParseQuery(recommend.Encode(&c.Quiz, a))
	if err != nil {
		b.Fatal(err)
	}
	if got, err := recommend.Parse(&c.Quiz, q); err != nil || len(got) != len(a) {
		b.Fatalf("Parse = %v, %v; want %d answers", got, err, len(a))
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := recommend.Parse(&c.Quiz, q); err != nil {
			b.Fatal(err)
		}
	}
}
