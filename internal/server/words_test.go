package server

import (
	"encoding/json"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"github.com/versus-dev/versus/internal/card"
	"github.com/versus-dev/versus/internal/catalog"
	"github.com/versus-dev/versus/internal/compare"
	"github.com/versus-dev/versus/internal/recommend"
)

// newFixtureServer serves one content folder through the real catalog and
// router.
func newFixtureServer(t *testing.T, dir string) *Server {
	t.Helper()
	cat, err := catalog.Load(os.DirFS(dir))
	if err != nil {
		t.Fatalf("load %s: %v", dir, err)
	}
	s, err := New(cat, Options{BaseURL: testBase})
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return s
}

// onceOnPage wants want to appear exactly once in the page's text: a why
// shown once, not repeated under every subject it concerns.
func onceOnPage(want string) check {
	return func(t *testing.T, doc *goquery.Document) {
		t.Helper()
		if n := strings.Count(doc.Find("main").Text(), want); n != 1 {
			t.Errorf("%q appears %d times on the page, want once", want, n)
		}
	}
}

// twoWayWords are the phrasings that only fit two subjects.
var twoWayWords = regexp.MustCompile(`(?i)\b(either|neither|the other)\b`)

// noTwoWayWords wants none of them in the page's own words.
var noTwoWayWords check = func(t *testing.T, doc *goquery.Document) {
	t.Helper()
	if m := twoWayWords.FindString(doc.Find("body").Text()); m != "" {
		t.Errorf("the page says %q, which only fits two subjects", m)
	}
}

// TestWordsForAnyNumberOfSubjects requests results, questionnaires, cards
// and recommendations for comparisons of two, three and four subjects and
// checks their words: standings, close calls that name only the subjects
// near the leader, ties, no two-way phrasing, no shares when nobody has
// points, and one reason per answer with each subject's own why.
func TestWordsForAnyNumberOfSubjects(t *testing.T) {
	const drinks = "/compare/cocoa-vs-coffee-vs-mate-vs-tea"
	category := newFixtureServer(t, "../catalog/testdata/category")
	for _, rq := range []request{
		// wake=yes&taste=plain gives Cocoa 0, Coffee 5, Mate 4, Tea 4.
		{name: "four: close call names the near ones", path: drinks + "/result?taste=plain&wake=yes", wantStatus: 200, html: []check{
			layout, noTwoWayWords,
			attr("[data-testid=result]", "data-winner", "coffee"),
			attr("[data-testid=result]", "data-kind", "close"),
			text("h1", "Close call: Coffee just ahead of Mate and Tea"),
			text("[data-testid=standing]", "Coffee leads, then Mate and Tea (tied), then Cocoa."),
			text("[data-testid=confidence]", "Close: Coffee leads, but Mate and Tea are near enough to serve as well."),
			texts("[data-testid=percent]", "0%", "38%", "31%", "31%"),
			count("[data-testid=reason]", 2),
			count("[data-testid=reason] [data-subject]", 8),
			// Each subject's own why, once, under that subject.
			text("[data-testid=reason][data-question=wake] [data-subject=coffee]", "Coffee +3 Coffee has high caffeine. [1] source: A guide to hot drinks"),
			text("[data-testid=reason][data-question=taste] [data-subject=mate]", "Mate +1 Mate can be drunk plain. [1] source: A guide to hot drinks"),
			text("[data-testid=reason][data-question=taste] [data-subject=cocoa]", "Cocoa 0 Cocoa can be drunk plain. [1] source: A guide to hot drinks"),
			onceOnPage("Coffee has high caffeine."), onceOnPage("Tea has medium caffeine."),
		}},
		{name: "four: three tie for the lead", path: drinks + "/result?taste=sweet&wake=yes", wantStatus: 200, html: []check{
			noTwoWayWords,
			attr("[data-testid=result]", "data-winner", ""),
			text("h1", "Cocoa, Coffee and Mate tie for the lead"),
			text("[data-testid=standing]", "Cocoa, Coffee and Mate tie for the lead; Tea is behind them."),
		}},
		{name: "four: no bearing is not a point", path: drinks + "/result?wake=no", wantStatus: 200, html: []check{
			noTwoWayWords,
			text("h1", "No subject has points yet"),
			count("[data-testid=even]", 1), count("[data-testid=standing]", 0),
			texts("[data-testid=percent]", "–no points", "–no points", "–no points", "–no points"),
			texts("[data-testid=reason] .reason-points", "Cocoa no bearing", "Coffee no bearing", "Mate no bearing", "Tea no bearing"),
		}},
		{name: "four: no answers, not 25/25/25/25", path: drinks + "/result", wantStatus: 200, html: []check{
			noTwoWayWords,
			text("h1", "No answers yet"),
			contains("[data-testid=no-answers]", "no subject is favoured yet"),
			texts("[data-testid=percent]", "–no points", "–no points", "–no points", "–no points"),
		}},
		// Without JavaScript a prefilled questionnaire shows the server's
		// standing of its answers, in the result page's words.
		{name: "four: prefilled questionnaire", path: drinks + "/quiz?taste=plain&wake=yes", wantStatus: 200, html: []check{
			layout, noTwoWayWords,
			count("[data-quiz-status]:not([hidden])", 1),
			text("[data-quiz-progress]", "2 of 2 answered"),
			text("[data-quiz-leaning]", "Close call: Coffee just ahead of Mate and Tea"),
			attr("[data-quiz-status]", "data-kind", "close"),
			attr("form[data-quiz]", "data-close-gap", "0.15"),
			attr("form[data-quiz]", "data-close-margin", "2"),
			attr("form[data-quiz]", "data-clear-gap", "0.4"),
			attr("form[data-quiz]", "data-clear-margin", "4"),
			attr("form[data-quiz]", "data-subjects", "cocoa:Cocoa|coffee:Coffee|mate:Mate|tea:Tea"),
			attr(".meter-bar[data-subject=coffee]", "class", "meter-bar subj-2 w-40"),
		}},
		{name: "four: card", path: drinks + "/result.png?taste=plain&wake=yes", wantStatus: 200, wantType: "image/png"},
		{name: "four: recommendation API", path: "/api" + drinks + "/recommendation?taste=plain&wake=yes", wantStatus: 200, wantType: "application/json",
			bodyCheck: func(t *testing.T, body []byte) {
				var got struct {
					Winner  string `json:"winner"`
					Summary struct {
						Kind, Headline string
						Near           []string
					} `json:"summary"`
					Reasons []struct{ Subject, Why string } `json:"reasons"`
					Answers []struct {
						Question string
						Subjects []struct {
							Subject string
							Points  int
							Why     string
						}
					} `json:"answers"`
				}
				if err := json.Unmarshal(body, &got); err != nil {
					t.Fatal(err)
				}
				if got.Winner != "coffee" || got.Summary.Kind != "close" || got.Summary.Headline != "Close call: Coffee just ahead of Mate and Tea" || strings.Join(got.Summary.Near, ",") != "mate,tea" {
					t.Errorf("winner %q, summary %+v", got.Winner, got.Summary)
				}
				for _, r := range got.Reasons {
					if !strings.HasPrefix(strings.ToLower(r.Why), r.Subject) {
						t.Errorf("the reason for %s says %q: another subject's why", r.Subject, r.Why)
					}
				}
				if len(got.Answers) != 2 || len(got.Answers[0].Subjects) != 4 || got.Answers[0].Subjects[1].Why != "Coffee has high caffeine." {
					t.Errorf("answers %+v, want one per answer with each subject's why", got.Answers)
				}
			}},
	} {
		t.Run(rq.name, func(t *testing.T) { rq.run(t, category) })
	}

	three := newTestServer(t, Options{})
	const abg = "/compare/alpha-vs-beta-vs-gamma"
	for _, rq := range []request{
		// size=small gives Alpha 2, Beta 0, Gamma 1: only Gamma is near.
		{name: "three: close call leaves out the far one", path: abg + "/result?size=small", wantStatus: 200, html: []check{
			layout, noTwoWayWords,
			text("h1", "Close call: Alpha just ahead of Gamma Thing"),
			text("[data-testid=standing]", "Alpha leads, then Gamma Thing, then Beta."),
			// A self-contained article's one why is given once.
			count("[data-testid=reason]", 1),
			texts("[data-testid=reason] .reason-points", "Alpha +2", "Beta 0", "Gamma Thing +1"),
			onceOnPage("The test says so."),
		}},
		{name: "three: no answers", path: abg + "/result", wantStatus: 200, html: []check{
			noTwoWayWords, text("h1", "No answers yet"),
			texts("[data-testid=percent]", "–no points", "–no points", "–no points"),
		}},
		{name: "three: empty questionnaire", path: abg + "/quiz", wantStatus: 200, html: []check{
			layout, noTwoWayWords,
			count("[data-quiz-status][hidden]", 1),
			text("[data-quiz-leaning]", "No answers yet"),
		}},
		{name: "three: scoring", path: abg + "/scoring", wantStatus: 200, html: []check{layout, noTwoWayWords}},
	} {
		t.Run(rq.name, func(t *testing.T) { rq.run(t, three) })
	}

	four := newFixtureServer(t, "testdata/four")
	const abcd = "/compare/alder-vs-birch-vs-cedar-vs-damson"
	for _, rq := range []request{
		// size=large&admin=yes gives Alder 6, Birch 0, Cedar 0, Damson 3.
		{name: "four, self-contained: leaning", path: abcd + "/result?admin=yes&size=large", wantStatus: 200, html: []check{
			layout, noTwoWayWords,
			text("h1", "Alder fits this project (67%)"),
			text("[data-testid=standing]", "Alder leads, then Damson Framework, then Birch and Cedar (tied)."),
			text("[data-testid=confidence]", "Leaning: Alder fits better, but Damson Framework is a reasonable choice too."),
		}},
		{name: "four, self-contained: two trail together", path: abcd + "/result?speed=yes&typing=yes", wantStatus: 200, html: []check{
			text("h1", "Cedar fits this project (83%)"),
			text("[data-testid=standing]", "Cedar leads, then Birch, then Alder and Damson Framework (tied)."),
		}},
		{name: "four, self-contained: comparison page", path: abcd, wantStatus: 200, html: []check{
			layout, noTwoWayWords,
			count("table.glance thead th", 7),
			// An Edge cell may name several subjects, in subject order.
			texts("[data-testid=edge]", "Even", "Edge: Alder", "Edge: Cedar", "Edge: Birch and Cedar", "Edge: Cedar"),
			texts("table.glance tbody tr:nth-child(4) td.is-edge", "Gentle: a working app in a few lines", "Gentle if you know type hints already"),
		}},
	} {
		t.Run(rq.name, func(t *testing.T) { rq.run(t, four) })
	}
}

// TestCardBars checks the card's bars against the page: each subject in
// its page colour slot, the leader marked, and with more subjects than
// fit, the leader kept even when it comes last.
func TestCardBars(t *testing.T) {
	c := &compare.Comparison{}
	for _, k := range []string{"a", "b", "c", "d", "e"} {
		c.Subjects = append(c.Subjects, compare.Subject{Key: k, Name: strings.ToUpper(k)})
	}
	res := recommend.Result{Winner: "e", Scores: []recommend.Score{
		{Subject: "a", Points: 2, Percent: 20}, {Subject: "b", Points: 0, Percent: 0}, {Subject: "c", Points: 1, Percent: 10},
		{Subject: "d", Points: 3, Percent: 30}, {Subject: "e", Points: 4, Percent: 40},
	}}
	got := cardBars(c, res)
	want := []card.Bar{{Label: "A", Percent: 20, Slot: 0}, {Label: "C", Percent: 10, Slot: 2}, {Label: "D", Percent: 30, Slot: 3}, {Label: "E", Percent: 40, Leader: true, Slot: 4}}
	if !slices.Equal(got, want) {
		t.Errorf("bars %+v\nwant %+v", got, want)
	}
	if got := cardBars(c, recommend.Result{Scores: res.Scores[:2]}); len(got) != 2 || got[0].Leader || got[1].Leader || got[1].Slot != 1 {
		t.Errorf("two subjects, no winner: %+v", got)
	}
}
