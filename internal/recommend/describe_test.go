package recommend

import (
	"fmt"
	"github.com/versus-dev/versus/internal/catalog"
	"os"
	"reflect"
	"slices"
	"testing"

	"github.com/versus-dev/versus/internal/compare"
)

var frameworks = []string{"Django", "Flask", "FastAPI", "Pyramid"}

// pointsQuiz is a comparison of n subjects whose answers can give any
// subject any number of points up to 12: question "s-j" has an option
// "y" worth one point to subject s, and question "none" an option that
// gives nobody any.
func pointsQuiz(n int) *compare.Comparison {
	c := &compare.Comparison{Slug: fmt.Sprintf("points-%d", n)}
	for i := range n {
		key := fmt.Sprintf("s%d", i)
		c.Subjects = append(c.Subjects, compare.Subject{Key: key, Name: frameworks[i]})
		for j := range 12 {
			c.Quiz.Questions = append(c.Quiz.Questions, compare.Question{
				Key: fmt.Sprintf("%s-%d", key, j), Options: []compare.Option{opt("y", key, 1)},
			})
		}
	}
	c.Quiz.Questions = append(c.Quiz.Questions, compare.Question{Key: "none", Options: []compare.Option{opt("n")}})
	return c
}

var pointsQuizzes = map[int]*compare.Comparison{2: pointsQuiz(2), 3: pointsQuiz(3), 4: pointsQuiz(4)}

// scored is the real recommendation for answers that give each subject
// the points listed (and, with neutral, one answer that gives none).
func scored(t *testing.T, neutral bool, points ...int) (Result, map[string]string) {
	t.Helper()
	c := pointsQuizzes[len(points)]
	a := Answers{}
	for i, p := range points {
		for j := range p {
			a[fmt.Sprintf("s%d-%d", i, j)] = "y"
		}
	}
	if neutral {
		a["none"] = "n"
	}
	res := NewScorer(c).Recommend(a)
	for i, p := range points {
		if res.Scores[i].Points != p {
			t.Fatalf("set-up: subject %d has %d points, want %d", i, res.Scores[i].Points, p)
		}
	}
	names := map[string]string{}
	for _, s := range c.Subjects {
		names[s.Key] = s.Name
	}
	return res, names
}

func TestDescribe(t *testing.T) {
	tests := []struct {
		name     string
		neutral  bool
		points   []int
		kind     Kind
		leaders  []string
		near     []string
		headline string
		standing string
		detail   string
	}{
		// Two subjects.
		{"2: no answers", false, []int{0, 0}, KindNoAnswers, nil, nil,
			"No answers yet", "Django and Flask are even.", "Answer any question to see which fits your project."},
		{"2: answers without points", true, []int{0, 0}, KindEven, nil, nil,
			"No subject has points yet", "Django and Flask are even.", "None of your answers gives points to Django or Flask, so they are even."},
		{"2: exact tie", false, []int{3, 3}, KindTie, []string{"s0", "s1"}, nil,
			"Django and Flask tie", "Django and Flask tie.", "Tied: Django and Flask have the same points, so your answers do not decide between them."},
		{"2: close", false, []int{5, 4}, KindClose, []string{"s0"}, []string{"s1"},
			"Close call: Django just ahead of Flask", "Django leads; Flask is behind it.", "Close: Django leads, but Flask is near enough to serve as well."},
		{"2: leaning", false, []int{5, 2}, KindLeaning, []string{"s0"}, nil,
			"Django fits this project (71%)", "Django leads; Flask is behind it.", "Leaning: Django fits better, but Flask is a reasonable choice too."},
		{"2: clear, second leads", false, []int{2, 6}, KindClear, []string{"s1"}, nil,
			"Flask fits this project (75%)", "Flask leads; Django is behind it.", "Clear: your answers point to Flask."},

		// Three subjects.
		{"3: no answers", false, []int{0, 0, 0}, KindNoAnswers, nil, nil,
			"No answers yet", "Django, Flask and FastAPI are even.", "Answer any question to see which fits your project."},
		{"3: two trail together", false, []int{4, 1, 1}, KindLeaning, []string{"s0"}, nil,
			"Django fits this project (66%)", "Django leads; Flask and FastAPI tie behind it.", "Leaning: Django fits better, but Flask and FastAPI are reasonable choices too."},
		// The case: FastAPI at 10% is not close, so it is not named.
		{"3: close to one of two", false, []int{5, 4, 1}, KindClose, []string{"s0"}, []string{"s1"},
			"Close call: Django just ahead of Flask", "Django leads, then Flask, then FastAPI.", "Close: Django leads, but Flask is near enough to serve as well."},
		{"3: close to both", false, []int{5, 4, 4}, KindClose, []string{"s0"}, []string{"s1", "s2"},
			"Close call: Django just ahead of Flask and FastAPI", "Django leads; Flask and FastAPI tie behind it.", "Close: Django leads, but Flask and FastAPI are near enough to serve as well."},
		{"3: two tie for the lead", false, []int{3, 1, 3}, KindTie, []string{"s0", "s2"}, nil,
			"Django and FastAPI tie for the lead", "Django and FastAPI tie for the lead; Flask is behind them.", "Tied: Django and FastAPI have the same points, so your answers do not decide between them."},
		{"3: all tie", false, []int{2, 2, 2}, KindTie, []string{"s0", "s1", "s2"}, nil,
			"Django, Flask and FastAPI tie", "Django, Flask and FastAPI tie.", "Tied: Django, Flask and FastAPI have the same points, so your answers do not decide between them."},

		// Four subjects.
		{"4: answers without points", true, []int{0, 0, 0, 0}, KindEven, nil, nil,
			"No subject has points yet", "Django, Flask, FastAPI and Pyramid are even.", "None of your answers gives points to Django, Flask, FastAPI or Pyramid, so they are even."},
		// The case: the one at 0% is not close, so it is not named.
		{"4: close to two, not the one at 0%", false, []int{2, 1, 1, 0}, KindClose, []string{"s0"}, []string{"s1", "s2"},
			"Close call: Django just ahead of Flask and FastAPI", "Django leads, then Flask and FastAPI (tied), then Pyramid.", "Close: Django leads, but Flask and FastAPI are near enough to serve as well."},
		{"4: one answer's worth is close to all", false, []int{0, 0, 0, 1}, KindClose, []string{"s3"}, []string{"s0", "s1", "s2"},
			"Close call: Pyramid just ahead of Django, Flask and FastAPI", "Pyramid leads; Django, Flask and FastAPI tie behind it.", "Close: Pyramid leads, but Django, Flask and FastAPI are near enough to serve as well."},
		{"4: two pairs", false, []int{2, 4, 2, 4}, KindTie, []string{"s1", "s3"}, nil,
			"Flask and Pyramid tie for the lead", "Flask and Pyramid tie for the lead; Django and FastAPI tie behind them.", "Tied: Flask and Pyramid have the same points, so your answers do not decide between them."},
		{"4: four places", false, []int{9, 3, 2, 1}, KindClear, []string{"s0"}, nil,
			"Django fits this project (60%)", "Django leads, then Flask, then FastAPI, then Pyramid.", "Clear: your answers point to Django."},
		{"4: leaning names the runner-up only", false, []int{1, 7, 3, 3}, KindLeaning, []string{"s1"}, nil,
			"Flask fits this project (50%)", "Flask leads, then FastAPI and Pyramid (tied), then Django.", "Leaning: Flask fits better, but FastAPI and Pyramid are reasonable choices too."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, names := scored(t, tt.neutral, tt.points...)
			s := Describe(res, names)
			if s.Kind != tt.kind {
				t.Errorf("kind = %q, want %q (confidence %q)", s.Kind, tt.kind, res.Confidence)
			}
			if !slices.Equal(s.Leaders, tt.leaders) || !slices.Equal(s.Near, tt.near) {
				t.Errorf("leaders %q, near %q; want %q, %q", s.Leaders, s.Near, tt.leaders, tt.near)
			}
			if s.Headline != tt.headline {
				t.Errorf("headline = %q, want %q", s.Headline, tt.headline)
			}
			if s.Standing != tt.standing {
				t.Errorf("standing = %q, want %q", s.Standing, tt.standing)
			}
			if s.Detail != tt.detail {
				t.Errorf("detail = %q, want %q", s.Detail, tt.detail)
			}
			if s.Even() != (tt.kind == KindNoAnswers || tt.kind == KindEven) {
				t.Errorf("Even() = %v for kind %q", s.Even(), s.Kind)
			}
		})
	}
}

// TestDescribeFollowsConfidence checks, over many answer sets of 2-4
// subjects, that the words agree with the scorer: a close call exactly
// when Confidence says close and one subject leads, its leader the
// winner, and the subjects it names exactly those within the thresholds.
func TestDescribeFollowsConfidence(t *testing.T) {
	for n := 2; n <= 4; n++ {
		pts := make([]int, n)
		var walk func(i int)
		walk = func(i int) {
			if i < n {
				for p := 0; p <= 6; p++ {
					pts[i] = p
					walk(i + 1)
				}
				return
			}
			res, names := scored(t, true, pts...)
			s := Describe(res, names)
			if (s.Kind == KindClose) != (res.Confidence == Close && res.Winner != "") {
				t.Fatalf("points %v: kind %q but confidence %q, winner %q", pts, s.Kind, res.Confidence, res.Winner)
			}
			if res.Winner != "" && (len(s.Leaders) != 1 || s.Leaders[0] != res.Winner) {
				t.Fatalf("points %v: leaders %q, winner %q", pts, s.Leaders, res.Winner)
			}
			if s.Kind != KindClose {
				if s.Near != nil {
					t.Fatalf("points %v: %q names near subjects %q", pts, s.Kind, s.Near)
				}
				return
			}
			total, lead := 0, res.Scores[slices.IndexFunc(res.Scores, func(sc Score) bool { return sc.Subject == res.Winner })].Points
			for _, sc := range res.Scores {
				total += sc.Points
			}
			var want []string
			for _, sc := range res.Scores {
				m := lead - sc.Points
				if sc.Subject != res.Winner && (m < CloseMargin || float64(m) < CloseGap*float64(total)) {
					want = append(want, sc.Subject)
				}
			}
			if !reflect.DeepEqual(s.Near, want) || len(want) == 0 {
				t.Fatalf("points %v: near %q, want %q", pts, s.Near, want)
			}
		}
		walk(0)
	}
}

// drinks is the catalog's four-subject fixture category, composed for all
// four through the real loader: each subject's fits and whys come from
// its own file.
func drinks(t *testing.T) *compare.Comparison {
	t.Helper()
	cat, err := catalog.Load(os.DirFS("../catalog/testdata/category"))
	if err != nil {
		t.Fatalf("load the drinks category: %v", err)
	}
	c, ok := cat.Get("cocoa-vs-coffee-vs-mate-vs-tea")
	if !ok {
		t.Fatal("no cocoa-vs-coffee-vs-mate-vs-tea")
	}
	return c
}

// TestEffectsOneReasonPerAnswer checks that a category's result explains
// each answer once, with every subject's points and that subject's own
// why and citations, and that each reason for a favoured subject carries
// that subject's why, not another's.
func TestEffectsOneReasonPerAnswer(t *testing.T) {
	c := drinks(t)
	res := Recommend(c, Answers{"wake": "yes", "taste": "sweet"})
	type row struct {
		subject string
		points  int
		none    bool
		why     string
		cites   []string
	}
	want := map[string][]row{
		"wake": {
			{"cocoa", 0, false, "Cocoa has low caffeine.", []string{"guide"}},
			{"coffee", 3, false, "Coffee has high caffeine.", []string{"guide"}},
			{"mate", 3, false, "Mate has high caffeine.", []string{"guide"}},
			{"tea", 2, false, "Tea has medium caffeine.", []string{"guide"}},
		},
		"taste": {
			{"cocoa", 3, false, "Cocoa is sweet as served.", []string{"cocoa-notes"}},
			{"coffee", 0, false, "Coffee is plain as served.", []string{"coffee-notes"}},
			{"mate", 0, false, "Mate is plain as served.", []string{"mate-notes"}},
			{"tea", 0, false, "Tea is plain as served.", []string{"tea-notes"}},
		},
	}
	if len(res.Effects) != 2 {
		t.Fatalf("%d effects, want one per answer (2): %+v", len(res.Effects), res.Effects)
	}
	for _, e := range res.Effects {
		if e.Why != "" {
			t.Errorf("%s: shared why %q in a category, where each subject has its own", e.Question, e.Why)
		}
		if e.Top != 3 {
			t.Errorf("%s: top %d, want 3", e.Question, e.Top)
		}
		var got []row
		for _, se := range e.Subjects {
			got = append(got, row{se.Subject, se.Points, se.None, se.Why, se.Cites})
		}
		if !reflect.DeepEqual(got, want[e.Question]) {
			t.Errorf("%s:\n got %+v\nwant %+v", e.Question, got, want[e.Question])
		}
	}
	for _, r := range res.Reasons {
		q, _ := c.Quiz.Question(r.Question)
		o, _ := q.Option(r.Answer)
		if f := o.Fits[r.Subject]; r.Why != f.Why || !slices.Equal(r.Cites, f.Cites) {
			t.Errorf("reason %s=%s for %s says %q %v, want its own %q %v", r.Question, r.Answer, r.Subject, r.Why, r.Cites, f.Why, f.Cites)
		}
	}
	// "no bearing" is kept apart from a fit of 0.
	res = Recommend(c, Answers{"wake": "no"})
	for _, se := range res.Effects[0].Subjects {
		if !se.None || se.Points != 0 {
			t.Errorf("wake=no for %s: none %v, %d points; want no bearing", se.Subject, se.None, se.Points)
		}
	}
	if s := Describe(res, nil); s.Kind != KindEven {
		t.Errorf("an answer with no bearing on anyone: kind %q, want %q", s.Kind, KindEven)
	}
}

// TestEffectsSharedWhy checks a self-contained article: its one why per
// option is given once for the answer, not once per subject.
func TestEffectsSharedWhy(t *testing.T) {
	c := threeWay()
	res := Recommend(c, Answers{"q2": "y"})
	q, _ := c.Quiz.Question("q2")
	o, _ := q.Option("y")
	if len(res.Effects) != 1 {
		t.Fatalf("%d effects, want 1", len(res.Effects))
	}
	e := res.Effects[0]
	if e.Why != o.Why || !slices.Equal(e.Cites, o.Cites) || e.Section != o.Section || e.Top != 2 {
		t.Errorf("effect %+v, want the option's why %q, cites %v, section %q, top 2", e, o.Why, o.Cites, o.Section)
	}
	for _, se := range e.Subjects {
		if se.Why != "" || se.Points != o.Favors[se.Subject] {
			t.Errorf("%s: %+v, want %d points and no why of its own", se.Subject, se, o.Favors[se.Subject])
		}
	}
}
