package recommend

import (
	"math/rand/v2"
	"reflect"
	"slices"
	"testing"

	"github.com/versus-dev/versus/internal/compare"
)

// TestReaders runs the five readers of the brief through the real article:
// the query a reader's form would send, parsed and scored.
func TestReaders(t *testing.T) {
	c := article(t)
	tests := []struct {
		name  string
		query string
		want  string
	}{
		{"beginner learning on a small project", "experience=beginner&size=small&kind=learning", "flask"},
		{"large secure shop on a deadline", "size=large&kind=ecommerce&deadline=tight&admin=yes&auth=yes&security=sensitive", "django"},
		{"machine-learning microservices", "kind=ml&architecture=microservices", "flask"},
		{"medium content site with an admin", "size=medium&kind=content&admin=yes", "django"},
		{"small NoSQL prototype", "size=small&data=nosql&kind=prototype", "flask"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, err := Parse(&c.Quiz, query(t, tt.query))
			if err != nil {
				t.Fatalf("Parse(%q): %v", tt.query, err)
			}
			r := Recommend(c, a)
			if r.Winner != tt.want {
				t.Fatalf("winner = %q, want %q (scores %+v)", r.Winner, tt.want, r.Scores)
			}
			if r.Answered != len(a) || r.Questions != len(c.Quiz.Questions) {
				t.Errorf("answered %d of %d, want %d of %d", r.Answered, r.Questions, len(a), len(c.Quiz.Questions))
			}
			if w := score(r, tt.want); w.Percent <= 50 {
				t.Errorf("winner %s has %d%%, want more than half", tt.want, w.Percent)
			}
			if !slices.ContainsFunc(r.Reasons, func(rs Reason) bool { return rs.Subject == tt.want }) {
				t.Errorf("reasons = %+v, want the winner's reasons listed", r.Reasons)
			}
			for _, rs := range r.Reasons {
				if rs.Why == "" {
					t.Errorf("reason %s=%s for %s has no why", rs.Question, rs.Answer, rs.Subject)
				}
			}
		})
	}
}

func TestRecommendNoAnswers(t *testing.T) {
	for _, c := range []*compare.Comparison{article(t), threeWay()} {
		t.Run(c.Slug, func(t *testing.T) {
			for _, a := range []Answers{nil, {}, {"no-such-question": "x"}} {
				r := Recommend(c, a)
				if r.Winner != "" || r.Confidence != Close {
					t.Errorf("winner %q, confidence %q; want a tie and close", r.Winner, r.Confidence)
				}
				if r.Answered != 0 || r.Questions != len(c.Quiz.Questions) || len(r.Reasons) != 0 {
					t.Errorf("answered %d of %d, %d reasons; want 0 of %d and none", r.Answered, r.Questions, len(r.Reasons), len(c.Quiz.Questions))
				}
				if len(r.Scores) != len(c.Subjects) {
					t.Fatalf("%d scores for %d subjects", len(r.Scores), len(c.Subjects))
				}
				total := 0
				for i, s := range r.Scores {
					if s.Subject != c.Subjects[i].Key || s.Points != 0 {
						t.Errorf("score %d = %+v, want %s with 0 points", i, s, c.Subjects[i].Key)
					}
					if d := s.Percent - r.Scores[0].Percent; d > 0 || d < -1 {
						t.Errorf("shares not equal: %+v", r.Scores)
					}
					total += s.Percent
				}
				if total != 100 {
					t.Errorf("percents sum to %d", total)
				}
				if len(r.Flips) == 0 {
					t.Error("no flips from a tie: any one answer should break it")
				}
			}
		})
	}
	if r := Recommend(article(t), Answers{}); r.Scores[0].Percent != 50 || r.Scores[1].Percent != 50 {
		t.Errorf("two subjects with no answers: %+v, want 50/50", r.Scores)
	}
}

func TestRecommendConstructed(t *testing.T) {
	c := threeWay()
	tests := []struct {
		name       string
		answers    Answers
		winner     string
		confidence Confidence
		points     []int
		percents   []int
	}{
		{"exact two-way tie at the top", Answers{"q4": "x"}, "", Close, []int{3, 3, 0}, []int{50, 50, 0}},
		{"three-way tie", Answers{"q1": "z", "q4": "x"}, "", Close, []int{3, 3, 3}, []int{34, 33, 33}},
		{"tie broken by one point is still close", Answers{"q1": "x", "q2": "y"}, "a", Close, []int{3, 2, 1}, []int{50, 33, 17}},
		{"leaning", Answers{"q1": "x", "q2": "x", "q4": "y"}, "a", Leaning, []int{5, 1, 2}, []int{63, 12, 25}},
		{"clear", Answers{"q1": "z", "q2": "z", "q3": "z"}, "c", Clear, []int{1, 0, 6}, []int{14, 0, 86}},
		{"only a zero-weight answer", Answers{"q4": "n"}, "", Close, []int{0, 0, 0}, []int{34, 33, 33}},
		{"unknown option ignored", Answers{"q1": "nope", "q3": "y"}, "b", Close, []int{0, 1, 0}, []int{0, 100, 0}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := Recommend(c, tt.answers)
			var points, percents []int
			for _, s := range r.Scores {
				points = append(points, s.Points)
				percents = append(percents, s.Percent)
			}
			if r.Winner != tt.winner || r.Confidence != tt.confidence {
				t.Errorf("winner %q %s, want %q %s", r.Winner, r.Confidence, tt.winner, tt.confidence)
			}
			if !slices.Equal(points, tt.points) || !slices.Equal(percents, tt.percents) {
				t.Errorf("points %v percents %v, want %v %v", points, percents, tt.points, tt.percents)
			}
		})
	}
}

func TestConfidence(t *testing.T) {
	tests := []struct {
		winner        string
		margin, total int
		want          Confidence
	}{
		{"", 0, 10, Close},
		{"a", 1, 1, Close},    // a single weak answer
		{"a", 2, 20, Close},   // share gap 0.10
		{"a", 3, 20, Leaning}, // share gap 0.15
		{"a", 3, 3, Leaning},  // gap 1.0 but one answer's worth
		{"a", 4, 11, Leaning},
		{"a", 4, 10, Clear}, // gap 0.40
		{"a", 9, 12, Clear},
	}
	for _, tt := range tests {
		if got := confidence(tt.winner, tt.margin, tt.total); got != tt.want {
			t.Errorf("confidence(%q, margin %d, total %d) = %s, want %s", tt.winner, tt.margin, tt.total, got, tt.want)
		}
	}
}

func TestReasonsOrder(t *testing.T) {
	c := threeWay()
	r := Recommend(c, Answers{"q1": "x", "q2": "z", "q3": "y", "q4": "x"})
	type key struct {
		q, a, s string
		w       int
	}
	want := []key{
		{"q1", "x", "a", 3}, {"q4", "x", "a", 3}, {"q4", "x", "b", 3}, // weight 3, quiz then subject order
		{"q2", "z", "c", 2},
		{"q2", "z", "a", 1}, {"q3", "y", "b", 1},
	}
	var got []key
	for _, rs := range r.Reasons {
		got = append(got, key{rs.Question, rs.Answer, rs.Subject, rs.Weight})
		if rs.Why != "why "+rs.Answer || rs.Section != "sec-"+rs.Answer || !slices.Equal(rs.Cites, []string{"src-" + rs.Answer}) {
			t.Errorf("reason %+v does not carry its option's why, section and cites", rs)
		}
	}
	if !slices.Equal(got, want) {
		t.Errorf("reasons\n got %v\nwant %v", got, want)
	}
	// The real article: weight never increases down the list, and every
	// reason is a positive weight of an answer actually given.
	art := article(t)
	rnd := rand.New(rand.NewPCG(7, 7))
	for range 200 {
		a := randomAnswers(rnd, &art.Quiz)
		r := Recommend(art, a)
		for i, rs := range r.Reasons {
			q, _ := art.Quiz.Question(rs.Question)
			o, _ := q.Option(a[rs.Question])
			if o == nil || o.Key != rs.Answer || o.Favors[rs.Subject] != rs.Weight || rs.Weight <= 0 {
				t.Fatalf("reason %+v is not a positive weight of answer %s=%s", rs, rs.Question, a[rs.Question])
			}
			if i > 0 && r.Reasons[i-1].Weight < rs.Weight {
				t.Fatalf("reasons not strongest first: %+v", r.Reasons)
			}
		}
	}
}

// apply returns a with a flip's changes made, checking each From.
func apply(t *testing.T, a Answers, f Flip) Answers {
	t.Helper()
	b := clone(a)
	for _, ch := range f.Changes {
		if b[ch.Question] != ch.From {
			t.Fatalf("flip %+v: %s is %q, not %q", f, ch.Question, b[ch.Question], ch.From)
		}
		if ch.To == ch.From {
			t.Fatalf("flip %+v changes nothing in %s", f, ch.Question)
		}
		b[ch.Question] = ch.To
	}
	return b
}

// singleFlips is the brute-force answer to "does one change make a
// different subject win?", computed with Recommend itself.
func singleFlips(c *compare.Comparison, a Answers, winner string) int {
	n := 0
	for _, q := range c.Quiz.Questions {
		for _, o := range q.Options {
			if a[q.Key] == o.Key {
				continue
			}
			b := clone(a)
			b[q.Key] = o.Key
			if w := Recommend(c, b).Winner; w != "" && w != winner {
				n++
			}
		}
	}
	return n
}

func TestFlips(t *testing.T) {
	for _, c := range []*compare.Comparison{article(t), threeWay()} {
		t.Run(c.Slug, func(t *testing.T) {
			rnd := rand.New(rand.NewPCG(1, 2))
			sizes := map[int]int{}
			for range 300 {
				a := randomAnswers(rnd, &c.Quiz)
				r := Recommend(c, a)
				if len(r.Flips) > MaxFlips {
					t.Fatalf("%d flips, want at most %d", len(r.Flips), MaxFlips)
				}
				single := singleFlips(c, a, r.Winner)
				if single > 0 && (len(r.Flips) == 0 || len(r.Flips[0].Changes) != 1) {
					t.Fatalf("answers %v: one change can flip the result (%d ways) but flips are %+v", a, single, r.Flips)
				}
				lastMargin := -1
				for _, f := range r.Flips {
					sizes[len(f.Changes)]++
					if len(f.Changes) != len(r.Flips[0].Changes) || len(f.Changes) > MaxFlipChanges {
						t.Fatalf("flips of mixed or too large sizes: %+v", r.Flips)
					}
					if len(f.Changes) > 1 && single > 0 {
						t.Fatalf("flip %+v is not smallest: a single change works", f)
					}
					after := Recommend(c, apply(t, a, f))
					if after.Winner != f.Winner || f.Winner == "" || f.Winner == r.Winner {
						t.Fatalf("answers %v (winner %q): flip %+v gives winner %q", a, r.Winner, f, after.Winner)
					}
					m := score(after, f.Winner).Points
					for _, s := range after.Scores {
						if s.Subject != f.Winner {
							m = min(m, score(after, f.Winner).Points-s.Points)
						}
					}
					if lastMargin >= 0 && m > lastMargin {
						t.Fatalf("flips not ordered by resulting lead: %+v", r.Flips)
					}
					lastMargin = m
				}
			}
			if sizes[1] == 0 {
				t.Errorf("no single-change flips seen in 300 answer sets: %v", sizes)
			}
		})
	}
}

// TestFlipsTwoChanges pins a case where no single change is enough.
func TestFlipsTwoChanges(t *testing.T) {
	c := threeWay()
	a := Answers{"q1": "x", "q2": "x", "q3": "x", "q5": "x"} // a 9, b 1, c 0
	r := Recommend(c, a)
	if r.Winner != "a" {
		t.Fatalf("winner %q, want a", r.Winner)
	}
	if singleFlips(c, a, "a") != 0 {
		t.Fatal("test premise broken: a single change flips it")
	}
	if len(r.Flips) == 0 {
		t.Fatal("no flips; two changes (q1→y, q5→y) make b win")
	}
	for _, f := range r.Flips {
		if len(f.Changes) != 2 {
			t.Errorf("flip %+v: want two changes", f)
		}
		if w := Recommend(c, apply(t, a, f)).Winner; w != f.Winner {
			t.Errorf("flip %+v gives %q", f, w)
		}
	}
}

// TestMonotone is the promise in the package comment: moving one answer to
// an option that gives subject S more weight and no other subject more
// never lowers S's points or percent and never takes the win from S.
func TestMonotone(t *testing.T) {
	for _, c := range []*compare.Comparison{article(t), threeWay()} {
		t.Run(c.Slug, func(t *testing.T) {
			rnd := rand.New(rand.NewPCG(3, 4))
			checked := 0
			for range 400 {
				a := randomAnswers(rnd, &c.Quiz)
				before := Recommend(c, a)
				for _, q := range c.Quiz.Questions {
					cur, _ := q.Option(a[q.Key]) // nil when unanswered: all weights 0
					for _, o := range q.Options {
						for _, s := range c.Subjects {
							if !favoursOnly(cur, &o, s.Key, c.Subjects) {
								continue
							}
							b := clone(a)
							b[q.Key] = o.Key
							after := Recommend(c, b)
							x, y := score(before, s.Key), score(after, s.Key)
							if y.Points < x.Points || y.Percent < x.Percent {
								t.Fatalf("%v → %s=%s lowered %s: %+v → %+v", a, q.Key, o.Key, s.Key, x, y)
							}
							if before.Winner == s.Key && after.Winner != s.Key {
								t.Fatalf("%v → %s=%s took the win from %s (now %q)", a, q.Key, o.Key, s.Key, after.Winner)
							}
							checked++
						}
					}
				}
			}
			if checked == 0 {
				t.Fatal("no monotone moves found to check")
			}
		})
	}
}

// favoursOnly reports whether moving from cur (nil: unanswered) to o gives
// subject s more weight and no other subject more.
func favoursOnly(cur, o *compare.Option, s string, subjects []compare.Subject) bool {
	w := func(x *compare.Option, k string) int {
		if x == nil {
			return 0
		}
		return x.Favors[k]
	}
	if w(o, s) <= w(cur, s) {
		return false
	}
	for _, t := range subjects {
		if t.Key != s && w(o, t.Key) > w(cur, t.Key) {
			return false
		}
	}
	return true
}

func TestDeterministic(t *testing.T) {
	for _, c := range []*compare.Comparison{article(t), threeWay()} {
		rnd := rand.New(rand.NewPCG(5, 6))
		for range 50 {
			a := randomAnswers(rnd, &c.Quiz)
			first := Recommend(c, a)
			for range 5 {
				if again := Recommend(c, clone(a)); !reflect.DeepEqual(first, again) {
					t.Fatalf("%s %v: results differ:\n%+v\n%+v", c.Slug, a, first, again)
				}
			}
		}
	}
}

func TestPercentages(t *testing.T) {
	tests := []struct {
		points, want []int
	}{
		{nil, []int{}},
		{[]int{0, 0}, []int{50, 50}},
		{[]int{0, 0, 0}, []int{34, 33, 33}},
		{[]int{1, 1}, []int{50, 50}},
		{[]int{1, 2}, []int{33, 67}},
		{[]int{2, 1}, []int{67, 33}},
		{[]int{5, 0}, []int{100, 0}},
		{[]int{1, 1, 1}, []int{34, 33, 33}},
		{[]int{1, 7, 22}, []int{3, 23, 74}}, // largest remainder would give 4, 23, 73
		{[]int{1, 6, 22}, []int{3, 21, 76}},
		{[]int{-3, 1}, []int{0, 100}},
	}
	for _, tt := range tests {
		if got := Percentages(tt.points); !slices.Equal(got, tt.want) {
			t.Errorf("Percentages(%v) = %v, want %v", tt.points, got, tt.want)
		}
	}
}

// largestRemainder is the textbook method, written independently, to show
// that Percentages is exactly it for two subjects.
func largestRemainder(a, b int) (int, int) {
	if a+b == 0 {
		return 50, 50
	}
	pa, pb := a*100/(a+b), b*100/(a+b)
	ra, rb := a*100%(a+b), b*100%(a+b)
	if pa+pb < 100 {
		if ra >= rb {
			pa++
		} else {
			pb++
		}
	}
	return pa, pb
}

func TestPercentagesTwoSubjectsIsLargestRemainder(t *testing.T) {
	for a := 0; a <= 60; a++ {
		for b := 0; b <= 60; b++ {
			got := Percentages([]int{a, b})
			wa, wb := largestRemainder(a, b)
			if got[0] != wa || got[1] != wb {
				t.Fatalf("Percentages(%d, %d) = %v, largest remainder gives %d, %d", a, b, got, wa, wb)
			}
		}
	}
}

func TestPercentagesProperties(t *testing.T) {
	rnd := rand.New(rand.NewPCG(9, 9))
	for range 20000 {
		n := 2 + rnd.IntN(4)
		p := make([]int, n)
		for i := range p {
			p[i] = rnd.IntN(30)
		}
		before := Percentages(p)
		if s := sum(before); s != 100 {
			t.Fatalf("Percentages(%v) = %v sums to %d", p, before, s)
		}
		// S gains, every other subject loses or stays.
		s := rnd.IntN(n)
		q := slices.Clone(p)
		q[s] += rnd.IntN(4)
		for i := range q {
			if i != s {
				q[i] = max(0, q[i]-rnd.IntN(4))
			}
		}
		if after := Percentages(q); after[s] < before[s] {
			t.Fatalf("subject %d: %v → %v lowered its percent %v → %v", s, p, q, before, after)
		}
	}
}

// BenchmarkRecommend scores the brief's large-shop reader, for whom no flip
// of one or two changes exists, so the flip search runs to its end.
func BenchmarkRecommend(b *testing.B) {
	c := article(b)
	a, err := Parse(&c.Quiz, query(b, "size=large&kind=ecommerce&deadline=tight&admin=yes&auth=yes&security=sensitive"))
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		Recommend(c, a)
	}
}

// TestRecommendPageAndOptionEffects: RecommendPage is Recommend without
// the flat Reasons, and every Effect a Result lists is the one
// OptionEffects gives for its answer, which pages prepare once.
func TestRecommendPageAndOptionEffects(t *testing.T) {
	for _, c := range []*compare.Comparison{article(t), threeWay()} {
		t.Run(c.Slug, func(t *testing.T) {
			sc := NewScorer(c)
			all := sc.OptionEffects()
			n := 0
			for _, q := range c.Quiz.Questions {
				n += len(q.Options)
			}
			if len(all) != n {
				t.Fatalf("OptionEffects: %d effects, want one per option (%d)", len(all), n)
			}
			byAnswer := map[[2]string]Effect{}
			for _, e := range all {
				byAnswer[[2]string{e.Question, e.Answer}] = e
			}
			rnd := rand.New(rand.NewPCG(7, 8))
			seen := 0
			for range 200 {
				a := randomAnswers(rnd, &c.Quiz)
				full, page := sc.Recommend(a), sc.RecommendPage(a)
				if page.Reasons != nil {
					t.Fatalf("%v: RecommendPage gave reasons %+v", a, page.Reasons)
				}
				full.Reasons = nil
				if !reflect.DeepEqual(full, page) {
					t.Fatalf("%v: RecommendPage differs from Recommend:\n%+v\n%+v", a, page, full)
				}
				for _, e := range page.Effects {
					if want := byAnswer[[2]string{e.Question, e.Answer}]; !reflect.DeepEqual(e, want) {
						t.Fatalf("%v: effect of %s=%s is %+v, OptionEffects has %+v", a, e.Question, e.Answer, e, want)
					}
					seen++
				}
			}
			if seen == 0 {
				t.Fatal("no effects compared")
			}
		})
	}
}
