package recommend

import (
	"errors"
	"maps"
	"math/rand/v2"
	"net/url"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/versus-dev/versus/internal/compare"
)

func TestParse(t *testing.T) {
	c := article(t)
	q0, q1 := c.Quiz.Questions[0], c.Quiz.Questions[1]
	o0, o1 := q0.Options[0].Key, q1.Options[len(q1.Options)-1].Key
	long := strings.Repeat("a", 10000)

	tests := []struct {
		name  string
		query url.Values
		want  Answers // on success
		// on failure: the problems' keys and a fragment of each message
		problems []Problem
		valid    Answers
	}{
		{name: "nothing answered", query: url.Values{}, want: Answers{}},
		{name: "two answers", query: url.Values{q0.Key: {o0}, q1.Key: {o1}}, want: Answers{q0.Key: o0, q1.Key: o1}},
		{
			name:     "unknown key",
			query:    url.Values{q0.Key: {o0}, "colour": {"blue"}},
			problems: []Problem{{Key: "colour", Msg: `unknown question "colour"`}},
			valid:    Answers{q0.Key: o0},
		},
		{
			name:     "unknown value",
			query:    url.Values{q0.Key: {"huge"}, q1.Key: {o1}},
			problems: []Problem{{Key: q0.Key, Msg: `unknown answer "huge" (want one of "` + o0 + `"`}},
			valid:    Answers{q1.Key: o1},
		},
		{
			name:     "repeated key with equal values",
			query:    url.Values{q0.Key: {o0, o0}},
			problems: []Problem{{Key: q0.Key, Msg: "answered 2 times"}},
			valid:    Answers{},
		},
		{
			name:     "empty value",
			query:    url.Values{q0.Key: {""}},
			problems: []Problem{{Key: q0.Key, Msg: "question \"" + q0.Key + "\": no answer given"}},
			valid:    Answers{},
		},
		{
			name:     "key without values",
			query:    url.Values{q0.Key: {}},
			problems: []Problem{{Key: q0.Key, Msg: "no answer given"}},
			valid:    Answers{},
		},
		{
			name:  "hostile key and value",
			query: url.Values{"<script>alert(1)</script>": {"x"}, q0.Key: {`"><img src=x onerror=alert(1)>`}},
			problems: []Problem{
				{Key: q0.Key, Msg: `unknown answer "\"><img src=x onerror=alert(1)>"`},
				{Key: "<script>alert(1)</script>", Msg: `unknown question "<script>alert(1)</script>"`},
			},
			valid: Answers{},
		},
		{
			name:     "invalid UTF-8 and control characters",
			query:    url.Values{"\xff\xfe\n": {"x"}, q0.Key: {"a\x00b\r\nc"}},
			problems: []Problem{{Key: q0.Key, Msg: `"a\x00b\r\nc"`}, {Key: "\xff\xfe\n", Msg: `unknown question "\xff\xfe\n"`}},
			valid:    Answers{},
		},
		{
			name:     "very long value is cut",
			query:    url.Values{q0.Key: {long}},
			problems: []Problem{{Key: q0.Key, Msg: `unknown answer "` + long[:40] + `"…`}},
			valid:    Answers{},
		},
		{
			name:     "very long key is cut",
			query:    url.Values{long: {"x"}},
			problems: []Problem{{Key: long, Msg: `unknown question "` + long[:40] + `"…`}},
			valid:    Answers{},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Parse(&c.Quiz, tt.query)
			if tt.problems == nil {
				if err != nil {
					t.Fatalf("Parse: %v", err)
				}
				if !maps.Equal(got, tt.want) {
					t.Fatalf("Parse = %v, want %v", got, tt.want)
				}
				return
			}
			var ae *AnswerError
			if !errors.As(err, &ae) {
				t.Fatalf("Parse error = %v (%T), want *AnswerError", err, err)
			}
			if got != nil {
				t.Errorf("answers %v returned with an error", got)
			}
			if len(ae.Problems) != len(tt.problems) {
				t.Fatalf("problems %+v, want %d", ae.Problems, len(tt.problems))
			}
			for i, p := range ae.Problems {
				if p.Key != tt.problems[i].Key || !strings.Contains(p.Msg, tt.problems[i].Msg) {
					t.Errorf("problem %d = {%q %q}, want key %q and message containing %q", i, p.Key, p.Msg, tt.problems[i].Key, tt.problems[i].Msg)
				}
				if _, known := c.Quiz.Question(p.Key); known && (p.Detail == "" || strings.Contains(p.Detail, "question") || !strings.HasSuffix(p.Msg, p.Detail)) {
					t.Errorf("problem %d: Detail %q should be Msg %q without the question's name", i, p.Detail, p.Msg)
				}
				if !utf8.ValidString(p.Msg) || strings.ContainsAny(p.Msg, "\x00\r\n") || utf8.RuneCountInString(p.Msg) > 300 {
					t.Errorf("message %q is not safe, one-line and short", p.Msg)
				}
			}
			if !maps.Equal(ae.ValidAnswers, tt.valid) {
				t.Errorf("valid answers %v, want %v", ae.ValidAnswers, tt.valid)
			}
			if !strings.Contains(err.Error(), ae.Problems[0].Msg) {
				t.Errorf("Error() = %q does not include the first problem", err.Error())
			}
		})
	}
}

func TestParseCapsProblems(t *testing.T) {
	c := article(t)
	v := url.Values{}
	for i := range 50 {
		v.Set("junk"+string(rune('a'+i%26))+string(rune('a'+i/26)), "x")
	}
	_, err := Parse(&c.Quiz, v)
	var ae *AnswerError
	if !errors.As(err, &ae) {
		t.Fatalf("error %v, want *AnswerError", err)
	}
	if len(ae.Problems) != maxProblems || ae.Omitted != 50-maxProblems {
		t.Errorf("%d problems listed, %d omitted; want %d and %d", len(ae.Problems), ae.Omitted, maxProblems, 50-maxProblems)
	}
	if !strings.HasSuffix(err.Error(), "and 40 more") {
		t.Errorf("Error() = %q, want it to say how many more", err.Error())
	}
}

func TestEncode(t *testing.T) {
	c := article(t)
	// Every question answered with its longest option key: the longest URL.
	all := Answers{}
	var order []string
	for _, q := range c.Quiz.Questions {
		longest := q.Options[0].Key
		for _, o := range q.Options {
			if len(o.Key) > len(longest) {
				longest = o.Key
			}
		}
		all[q.Key] = longest
		order = append(order, q.Key+"="+url.QueryEscape(longest))
	}
	got := Encode(&c.Quiz, all)
	if want := strings.Join(order, "&"); got != want {
		t.Errorf("Encode = %q, want keys in quiz order: %q", got, want)
	}
	if len(got) >= 300 {
		t.Errorf("full answer query is %d characters, want well under 300: %s", len(got), got)
	}
	with := clone(all)
	with["utm_source"] = "x"
	if e := Encode(&c.Quiz, with); e != got {
		t.Errorf("Encode kept a key that is no question: %q", e)
	}
	if e := Encode(&c.Quiz, Answers{}); e != "" {
		t.Errorf("Encode(no answers) = %q, want empty", e)
	}
}

// oddQuiz has keys that need escaping, to prove the round trip escapes.
func oddQuiz() *compare.Quiz {
	return &compare.Quiz{Questions: []compare.Question{
		{Key: "a b", Options: []compare.Option{opt("x&y"), opt("1=2"), opt("ü")}},
		{Key: "k+%", Options: []compare.Option{opt("#frag"), opt("?q"), opt("plain")}},
	}}
}

func TestRoundTrip(t *testing.T) {
	rnd := rand.New(rand.NewPCG(11, 12))
	for _, q := range []*compare.Quiz{&article(t).Quiz, &threeWay().Quiz, oddQuiz()} {
		for range 300 {
			a := randomAnswers(rnd, q)
			s := Encode(q, a)
			v, err := url.ParseQuery(s)
			if err != nil {
				t.Fatalf("Encode(%v) = %q does not parse: %v", a, s, err)
			}
			got, err := Parse(q, v)
			if err != nil {
				t.Fatalf("Parse(Encode(%v)) = %v", a, err)
			}
			if !maps.Equal(got, a) {
				t.Fatalf("Parse(Encode(%v)) = %v", a, got)
			}
		}
	}
}

// FuzzParse feeds raw query strings through the same path a request takes.
// Parse must never panic, its messages must stay safe, and whatever it
// accepts (or reports as valid) must survive Encode and come back equal.
func FuzzParse(f *testing.F) {
	c := article(f)
	full := fullAnswers(c)
	q0 := c.Quiz.Questions[0]
	for _, s := range []string{
		"", Encode(&c.Quiz, full),
		q0.Key + "=" + q0.Options[0].Key + "&" + q0.Key + "=" + q0.Options[0].Key,
		q0.Key + "=", q0.Key, "=x", "&&&", "%zz=1", "a=%ff%fe", "<script>=1",
		q0.Key + "=" + strings.Repeat("%41", 100),
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		v, _ := url.ParseQuery(raw) // as net/http does: keep what parsed
		a, err := Parse(&c.Quiz, v)
		if err != nil {
			var ae *AnswerError
			if !errors.As(err, &ae) {
				t.Fatalf("error %T, want *AnswerError", err)
			}
			if len(ae.Problems) == 0 {
				t.Fatal("AnswerError with no problems")
			}
			for _, p := range ae.Problems {
				if !utf8.ValidString(p.Msg) || strings.ContainsAny(p.Msg, "\x00\r\n") {
					t.Fatalf("unsafe message %q", p.Msg)
				}
			}
			a = ae.ValidAnswers
		}
		back, err := Parse(&c.Quiz, query(t, Encode(&c.Quiz, a)))
		if err != nil || !maps.Equal(back, a) {
			t.Fatalf("round trip of %v: %v, %v", a, back, err)
		}
		Recommend(c, a)
	})
}
