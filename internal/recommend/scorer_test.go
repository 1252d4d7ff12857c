package recommend

import (
	"fmt"
	"math/rand/v2"
	"reflect"
	"testing"

	"github.com/versus-dev/versus/internal/compare"
)

// randomComparison builds a quiz with 1 to 4 subjects, up to 7 questions of
// 1 to 4 options, weights from -1 to 3 (some for undeclared subjects) and
// citations that are absent, empty or present, so every branch of scoring
// and of the flip search's pruning is exercised.
func randomComparison(r *rand.Rand) *compare.Comparison {
	keys := []string{"a", "b", "c", "d"}[:1+r.IntN(4)]
	c := &compare.Comparison{Slug: "random", Subjects: subjects(keys...)}
	for qi := range r.IntN(8) {
		q := compare.Question{Key: fmt.Sprintf("q%d", qi)}
		for oi := range 1 + r.IntN(4) {
			o := compare.Option{Key: fmt.Sprintf("o%d", oi), Favors: map[string]int{}, Why: "why"}
			for _, k := range append(keys, "undeclared") {
				if r.IntN(2) == 0 {
					o.Favors[k] = r.IntN(5) - 1
				}
			}
			switch r.IntN(3) {
			case 1:
				o.Cites = []string{}
			case 2:
				o.Cites = []string{"s1", "s2"}[:1+r.IntN(2)]
			}
			q.Options = append(q.Options, o)
		}
		c.Quiz.Questions = append(c.Quiz.Questions, q)
	}
	return c
}

// randomRawAnswers answers each question with probability 2/3, sometimes
// with an option the question does not have (ignored by Recommend).
func randomRawAnswers(r *rand.Rand, q *compare.Quiz) Answers {
	a := Answers{}
	for _, qu := range q.Questions {
		switch r.IntN(6) {
		case 0, 1:
		case 2:
			a[qu.Key] = "no-such-option"
		default:
			a[qu.Key] = qu.Options[r.IntN(len(qu.Options))].Key
		}
	}
	return a
}

// TestScorerMatchesReference checks the prepared Scorer and its pruned flip
// search against the original implementation (reference_test.go) on the
// real article, on every answer set of the three-way comparison, and on
// random comparisons: the results must be identical, field for field.
func TestScorerMatchesReference(t *testing.T) {
	check := func(t *testing.T, c *compare.Comparison, sc *Scorer, a Answers) {
		t.Helper()
		want := refRecommend(c, a)
		if got := sc.Recommend(a); !reflect.DeepEqual(got, want) {
			t.Fatalf("answers %v:\n got %+v\nwant %+v", a, got, want)
		}
		if got := Recommend(c, a); !reflect.DeepEqual(got, want) {
			t.Fatalf("Recommend, answers %v:\n got %+v\nwant %+v", a, got, want)
		}
	}
	t.Run("article", func(t *testing.T) {
		c := article(t)
		sc := NewScorer(c)
		r := rand.New(rand.NewPCG(3, 4))
		for range 2000 {
			check(t, c, sc, randomAnswers(r, &c.Quiz))
		}
	})
	t.Run("three-way-exhaustive", func(t *testing.T) {
		c := threeWay()
		sc := NewScorer(c)
		n := 0
		var walk func(qi int, a Answers)
		walk = func(qi int, a Answers) {
			if qi == len(c.Quiz.Questions) {
				check(t, c, sc, a)
				n++
				return
			}
			q := c.Quiz.Questions[qi]
			walk(qi+1, a)
			for _, o := range q.Options {
				b := clone(a)
				b[q.Key] = o.Key
				walk(qi+1, b)
			}
		}
		walk(0, Answers{})
		if n != 5*4*4*4*3 {
			t.Fatalf("walked %d answer sets, want %d", n, 5*4*4*4*3)
		}
	})
	t.Run("random", func(t *testing.T) {
		r := rand.New(rand.NewPCG(5, 6))
		for range 3000 {
			c := randomComparison(r)
			sc := NewScorer(c)
			for range 5 {
				check(t, c, sc, randomRawAnswers(r, &c.Quiz))
			}
		}
	})
}

// TestScorerConcurrent shares one Scorer between goroutines, as the server
// does; run with -race it shows Recommend writes nothing shared.
func TestScorerConcurrent(t *testing.T) {
	c := article(t)
	sc := NewScorer(c)
	r := rand.New(rand.NewPCG(7, 8))
	sets := make([]Answers, 64)
	want := make([]Result, len(sets))
	for i := range sets {
		sets[i] = randomAnswers(r, &c.Quiz)
		want[i] = refRecommend(c, sets[i])
	}
	done := make(chan error, 4)
	for g := range 4 {
		go func() {
			for i := range sets {
				j := (i + g*16) % len(sets)
				if got := sc.Recommend(sets[j]); !reflect.DeepEqual(got, want[j]) {
					done <- fmt.Errorf("answers %v: got %+v, want %+v", sets[j], got, want[j])
					return
				}
			}
			done <- nil
		}()
	}
	for range 4 {
		if err := <-done; err != nil {
			t.Error(err)
		}
	}
}
