package recommend

import (
	"errors"
	"fmt"
	"maps"
	"net/url"
	"reflect"
	"strings"
	"testing"
)

// hostileQuery is the 56 KB probe: n distinct unknown keys, then a valid
// answer.
func hostileQuery(n int, tail string) string {
	var b strings.Builder
	for i := range n {
		fmt.Fprintf(&b, "k%05d=v&", i)
	}
	b.WriteString(tail)
	return b.String()
}

// TestParseQueryCost counts the work of the 7,000-key query: it must not
// grow with the keys past the pair limit, and must stay near the cost of a
// valid query (allocations are counted, not time).
func TestParseQueryCost(t *testing.T) {
	c := article(t)
	valid := Encode(&c.Quiz, fullAnswers(c))
	q0 := c.Quiz.Questions[0]
	tail := q0.Key + "=" + q0.Options[0].Key
	h7k, h70k := hostileQuery(7000, tail), hostileQuery(70000, tail)
	if len(h7k) < 56_000 {
		t.Fatalf("the probe is %d bytes, want the 56 KB of the report", len(h7k))
	}
	allocs := func(raw string, o QueryOptions) float64 {
		return testing.AllocsPerRun(20, func() { ParseQuery(&c.Quiz, raw, o) })
	}
	for _, o := range []QueryOptions{{}, {DropEmpty: true, SkipMalformed: true}} {
		base, a7k, a70k := allocs(valid, o), allocs(h7k, o), allocs(h70k, o)
		t.Logf("%+v: allocations: valid %v, 7,000 keys %v, 70,000 keys %v", o, base, a7k, a70k)
		if a70k != a7k {
			t.Errorf("%+v: 70,000 keys cost %v allocations and 7,000 cost %v: parsing must stop at the limit", o, a70k, a7k)
		}
		// A constant: the dedupe set of at most maxPairs keys, and the ten
		// problems described.
		if a7k > base+100 {
			t.Errorf("%+v: 7,000 unknown keys cost %v allocations against %v for a valid query", o, a7k, base)
		}
	}
	_, err := ParseQuery(&c.Quiz, h7k, QueryOptions{})
	var ae *AnswerError
	if !errors.As(err, &ae) {
		t.Fatalf("ParseQuery(7,000 keys) = %v, want *AnswerError", err)
	}
	if len(ae.Problems) != maxProblems+1 || ae.Omitted != maxPairs-maxProblems ||
		!strings.Contains(ae.Problems[maxProblems].Msg, "too many parameters: only the first 256 were read") {
		t.Errorf("problems %d (last %q), omitted %d", len(ae.Problems), ae.Problems[len(ae.Problems)-1].Msg, ae.Omitted)
	}
	if ae.Problems[0].Key != "k00000" || ae.Problems[9].Key != "k00009" {
		t.Errorf("listed %q … %q, want the smallest unknown keys", ae.Problems[0].Key, ae.Problems[9].Key)
	}

	// Parse on url.Values (7,000 keys already decoded) formats only what it
	// reports: a few dozen allocations, not one per key.
	v, err := url.ParseQuery(h7k)
	if err != nil {
		t.Fatal(err)
	}
	if n := testing.AllocsPerRun(10, func() { Parse(&c.Quiz, v) }); n > 60 {
		t.Errorf("Parse(7,000 unknown keys) = %v allocations, want under 60: only the 10 reported may be formatted", n)
	}
	_, err = Parse(&c.Quiz, v)
	if !errors.As(err, &ae) || len(ae.Problems) != maxProblems || ae.Omitted != 7000-maxProblems ||
		ae.Problems[0].Key != "k00000" {
		t.Errorf("Parse(7,000 keys): %v", err)
	}
}

func TestParseQueryMalformed(t *testing.T) {
	c := article(t)
	q0 := c.Quiz.Questions[0]
	good := q0.Key + "=" + q0.Options[0].Key
	for _, raw := range []string{good + "&x=%zz", good + "&x;y=1", "%4=1&" + good} {
		_, err := ParseQuery(&c.Quiz, raw, QueryOptions{})
		var me *MalformedError
		if !errors.As(err, &me) || strings.Contains(err.Error(), "invalid URL escape") || strings.Contains(err.Error(), "semicolon separator") {
			t.Errorf("ParseQuery(%q) = %v, want a *MalformedError in our words", raw, err)
		}
		a, err := ParseQuery(&c.Quiz, raw, QueryOptions{SkipMalformed: true})
		if err != nil || a[q0.Key] != q0.Options[0].Key {
			t.Errorf("ParseQuery(%q, SkipMalformed) = %v, %v; want the good pair kept", raw, a, err)
		}
	}
	a, err := ParseQuery(&c.Quiz, good+"&"+c.Quiz.Questions[1].Key+"=", QueryOptions{DropEmpty: true})
	if err != nil || len(a) != 1 {
		t.Errorf("DropEmpty: %v, %v; want the empty answer skipped", a, err)
	}
}

// FuzzParseQuery proves ParseQuery is Parse(url.ParseQuery(raw)) without
// the url.Values: same answers, same problems, same valid answers, and a
// malformed query refused exactly when url.ParseQuery refuses it.
func FuzzParseQuery(f *testing.F) {
	c := article(f)
	q0 := c.Quiz.Questions[0]
	for _, s := range []string{
		"", Encode(&c.Quiz, fullAnswers(c)), q0.Key + "=" + q0.Options[0].Key + "&" + q0.Key + "=" + q0.Options[0].Key,
		q0.Key + "=", q0.Key, "=x", "&&&", "%zz=1", "a=%ff%fe", "a;b=1", "b=1&a=2&b=3&c", "a+b=c+d&a%20b=1",
		hostileQuery(30, q0.Key+"=x"),
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		if strings.Count(raw, "&") >= maxPairs {
			return
		}
		v, perr := url.ParseQuery(raw)
		for _, drop := range []bool{false, true} {
			want := v
			if drop {
				want = url.Values{}
				for k, vals := range v {
					for _, x := range vals {
						if x != "" {
							want[k] = append(want[k], x)
						}
					}
				}
			}
			wa, werr := Parse(&c.Quiz, want)
			ga, gerr := ParseQuery(&c.Quiz, raw, QueryOptions{DropEmpty: drop, SkipMalformed: true})
			if !maps.Equal(ga, wa) || !sameAnswerError(gerr, werr) {
				t.Fatalf("drop=%v: ParseQuery = %v, %v; Parse(url.ParseQuery) = %v, %v", drop, ga, gerr, wa, werr)
			}
			_, serr := ParseQuery(&c.Quiz, raw, QueryOptions{DropEmpty: drop})
			if me := (*MalformedError)(nil); errors.As(serr, &me) != (perr != nil) {
				t.Fatalf("strict: ParseQuery error %v, url.ParseQuery error %v", serr, perr)
			}
		}
	})
}

func sameAnswerError(a, b error) bool {
	var ea, eb *AnswerError
	if errors.As(a, &ea) != errors.As(b, &eb) {
		return false
	}
	if ea == nil {
		return a == nil && b == nil
	}
	return reflect.DeepEqual(ea.Problems, eb.Problems) && ea.Omitted == eb.Omitted && maps.Equal(ea.ValidAnswers, eb.ValidAnswers)
}
