package recommend

import (
	"math/rand/v2"
	"net/url"
	"testing"

	"github.com/versus-dev/versus/content"
	"github.com/versus-dev/versus/internal/catalog"
	"github.com/versus-dev/versus/internal/compare"
)

// article loads the real Django vs Flask article through the real catalog,
// so the tests score what readers will actually be scored against.
func article(t testing.TB) *compare.Comparison {
	t.Helper()
	cat, err := catalog.Load(content.FS)
	if err != nil {
		t.Fatalf("load content: %v", err)
	}
	sum, ok := cat.Get("django-vs-flask")
	if !ok {
		t.Fatal(`no published article with slug "django-vs-flask"`)
	}
	c, err := cat.Article(sum)
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Quiz.Questions) == 0 {
		t.Fatal("django-vs-flask has no quiz")
	}
	return c
}

// opt builds an option; favors is "subject weight" pairs.
func opt(key string, favors ...any) compare.Option {
	o := compare.Option{Key: key, Label: key, Favors: map[string]int{}, Why: "why " + key, Cites: []string{"src-" + key}, Section: "sec-" + key}
	for i := 0; i+1 < len(favors); i += 2 {
		o.Favors[favors[i].(string)] = favors[i+1].(int)
	}
	return o
}

func subjects(keys ...string) []compare.Subject {
	s := make([]compare.Subject, len(keys))
	for i, k := range keys {
		s[i] = compare.Subject{Key: k, Name: k}
	}
	return s
}

// threeWay is a constructed comparison with three subjects, used where the
// two-subject article cannot exercise a rule (three-way ties, a flip that
// picks one of two challengers).
func threeWay() *compare.Comparison {
	return &compare.Comparison{
		Slug:     "a-vs-b-vs-c",
		Subjects: subjects("a", "b", "c"),
		Quiz: compare.Quiz{Questions: []compare.Question{
			{Key: "q1", Options: []compare.Option{opt("x", "a", 3), opt("y", "b", 3), opt("z", "c", 3), opt("n")}},
			{Key: "q2", Options: []compare.Option{opt("x", "a", 2, "b", 1), opt("y", "b", 2, "c", 1), opt("z", "c", 2, "a", 1)}},
			{Key: "q3", Options: []compare.Option{opt("x", "a", 1), opt("y", "b", 1), opt("z", "c", 1)}},
			{Key: "q4", Options: []compare.Option{opt("x", "a", 3, "b", 3), opt("y", "c", 2), opt("n", "a", 0)}},
			{Key: "q5", Options: []compare.Option{opt("x", "a", 3), opt("y", "b", 1)}},
		}},
	}
}

// randomAnswers answers each question with probability 2/3, picking a
// random option.
func randomAnswers(r *rand.Rand, q *compare.Quiz) Answers {
	a := Answers{}
	for _, qu := range q.Questions {
		if r.IntN(3) == 0 {
			continue
		}
		a[qu.Key] = qu.Options[r.IntN(len(qu.Options))].Key
	}
	return a
}

func query(t testing.TB, s string) url.Values {
	t.Helper()
	v, err := url.ParseQuery(s)
	if err != nil {
		t.Fatalf("bad test query %q: %v", s, err)
	}
	return v
}

func score(r Result, subject string) Score {
	for _, s := range r.Scores {
		if s.Subject == subject {
			return s
		}
	}
	return Score{Subject: subject, Percent: -1}
}

func clone(a Answers) Answers {
	b := make(Answers, len(a))
	for k, v := range a {
		b[k] = v
	}
	return b
}
