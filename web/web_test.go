package web

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"
	"github.com/a-h/templ"

	"github.com/versus-dev/versus/internal/compare"
	"github.com/versus-dev/versus/internal/recommend"
)

// fixture is a small comparison built in Go: the views must not depend on
// the parser to be tested.
func fixture() *compare.Comparison {
	return &compare.Comparison{
		Slug:        "red-vs-blue",
		Title:       "Red vs Blue",
		Description: "Two made-up colours.",
		Reviewed:    time.Date(2026, 3, 4, 0, 0, 0, 0, time.UTC),
		Tags:        []string{"colours"},
		Subjects: []compare.Subject{
			{Key: "red", Name: "Red", Summary: "Warm.", ChooseIf: "you like warm."},
			{Key: "blue", Name: "Blue", Summary: "Cool.", ChooseIf: "you like cool.", Website: "https://blue.example/docs/"},
		},
		Sources: []compare.Source{
			{Key: "atlas", Title: "Colour atlas", Author: "A. Painter", Date: "2025-01-01", URL: "https://atlas.example"},
			{Key: "rumour", Title: "Hearsay", Note: "Unreliable."},
		},
		Intro: "<p>Intro.</p>",
		Glance: compare.Glance{Rows: []compare.GlanceRow{
			{Criterion: "Warmth", Cells: []compare.HTML{"high", "low"}, Edges: []string{"red"}, Sources: []string{"atlas"}},
			{Criterion: "Depth", Cells: []compare.HTML{"<em>some</em>", "some"}, Even: true, Sources: []string{"atlas", "rumour"}},
			{Criterion: "Taste", Cells: []compare.HTML{"?", "?"}},
		}},
		Verdict: "<p>Either.</p>",
		Quiz: compare.Quiz{Questions: []compare.Question{
			{Key: "mood", Ask: "What mood?", Help: "Pick one.", Options: []compare.Option{
				{Key: "calm", Label: "Calm", Favors: map[string]int{"blue": 3}, Why: "Blue calms."},
				{Key: "bold", Label: "Bold", Favors: map[string]int{"red": 2}, Why: "Red is bold."},
			}},
			{Key: "time", Ask: "What time?", Options: []compare.Option{
				{Key: "day", Label: "Day", Favors: map[string]int{"red": 1}},
				{Key: "night", Label: "Night", Favors: map[string]int{"blue": 1}},
			}},
		}},
	}
}

func render(t *testing.T, c templ.Component) *goquery.Document {
	t.Helper()
	var buf bytes.Buffer
	if err := c.Render(context.Background(), &buf); err != nil {
		t.Fatalf("render: %v", err)
	}
	doc, err := goquery.NewDocumentFromReader(&buf)
	if err != nil {
		t.Fatalf("parse: %v", err)
	}
	return doc
}

func textsOf(s *goquery.Selection) []string {
	var out []string
	s.Each(func(_ int, e *goquery.Selection) { out = append(out, strings.Join(strings.Fields(e.Text()), " ")) })
	return out
}

func TestGlanceTable(t *testing.T) {
	doc := render(t, GlanceTable(fixture()))
	tests := []struct {
		sel  string
		want []string
	}{
		{"thead th[scope=col]", []string{"Criterion", "Red", "Blue", "Edge", "Sources"}},
		{"tbody th[scope=row]", []string{"Warmth", "Depth", "Taste"}},
		{"[data-testid=edge]", []string{"Edge: Red", "Even", "No call"}},
		{"tbody tr:nth-child(2) td.cites a", []string{"[1] source: Colour atlas", "[2] source: Hearsay"}},
		{"tbody tr:nth-child(3) td.cites", []string{"None"}},
		{"td.is-edge", []string{"high"}},
		{"tbody tr:nth-child(2) td:nth-of-type(1) em", []string{"some"}},
		{"caption", []string{"Red and Blue compared criterion by criterion: which has the edge, and the sources."}},
	}
	for _, tt := range tests {
		t.Run(tt.sel, func(t *testing.T) {
			if got := textsOf(doc.Find(tt.sel)); strings.Join(got, "|") != strings.Join(tt.want, "|") {
				t.Errorf("%s = %q, want %q", tt.sel, got, tt.want)
			}
		})
	}
	t.Run("every data cell names its column", func(t *testing.T) {
		var labels []string
		doc.Find("tbody tr:first-child td").Each(func(_ int, td *goquery.Selection) {
			l, _ := td.Attr("data-label")
			labels = append(labels, l)
		})
		if strings.Join(labels, ",") != "Red,Blue,Edge,Sources" {
			t.Errorf("data-label = %v", labels)
		}
	})
}

func TestSourceList(t *testing.T) {
	doc := render(t, SourceList(fixture()))
	if got := doc.Find("ol.sources > li").Length(); got != 2 {
		t.Fatalf("%d sources, want 2", got)
	}
	if href, _ := doc.Find("#source-atlas a").Attr("href"); href != "https://atlas.example" {
		t.Errorf("atlas link %q", href)
	}
	if doc.Find("#source-rumour a").Length() != 0 {
		t.Errorf("a source without a URL got a link")
	}
	if got := textsOf(doc.Find("#source-rumour .source-note")); len(got) != 1 || got[0] != "Unreliable." {
		t.Errorf("note = %q", got)
	}
}

func TestQuizForm(t *testing.T) {
	c := fixture()
	tests := []struct {
		name        string
		form        QuizForm
		checked     map[string]string // question → checked value
		invalid     []string          // fieldset ids with aria-invalid
		describedBy map[string]string
		summary     int
	}{
		{"blank", QuizForm{C: c}, map[string]string{"mood": "", "time": ""}, nil,
			map[string]string{"q-mood": "q-mood-help", "q-time": ""}, 0},
		{"prefilled", QuizForm{C: c, Answers: recommend.Answers{"time": "night"}}, map[string]string{"mood": "", "time": "night"}, nil, nil, 0},
		{"errors", QuizForm{C: c, Answers: recommend.Answers{"mood": "calm"},
			Errors: map[string]string{"time": "unknown answer \"noon\""}, Other: []string{"unknown question \"x\""}},
			map[string]string{"mood": "calm", "time": ""}, []string{"q-time"},
			map[string]string{"q-mood": "q-mood-help", "q-time": "q-time-error"}, 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc := render(t, QuizPage(Page{BaseURL: "https://x.test", Meta: Meta{Title: "Quiz", Path: "/q"}}, tt.form))
			for q, v := range tt.checked {
				got, _ := doc.Find("input[name=" + q + "]:checked").Attr("value")
				if doc.Find("input[name="+q+"]:checked").Length() != 1 || got != v {
					t.Errorf("%s: checked %q, want %q", q, got, v)
				}
			}
			var invalid []string
			doc.Find("fieldset[aria-invalid=true]").Each(func(_ int, f *goquery.Selection) {
				id, _ := f.Attr("id")
				invalid = append(invalid, id)
			})
			if strings.Join(invalid, ",") != strings.Join(tt.invalid, ",") {
				t.Errorf("aria-invalid on %v, want %v", invalid, tt.invalid)
			}
			for id, want := range tt.describedBy {
				got, _ := doc.Find("fieldset#" + id).Attr("aria-describedby")
				if got != want {
					t.Errorf("%s aria-describedby %q, want %q", id, got, want)
				}
				for _, ref := range strings.Fields(got) {
					if doc.Find("#"+ref).Length() != 1 {
						t.Errorf("%s: aria-describedby names missing #%s", id, ref)
					}
				}
			}
			if got := doc.Find("[data-testid=error-summary] li").Length(); got != tt.summary {
				t.Errorf("error summary has %d items, want %d", got, tt.summary)
			}
			if got, _ := doc.Find("input#q-mood-calm").Attr("data-favors"); got != "red:0 blue:3" {
				t.Errorf("data-favors %q", got)
			}
			// A prefilled form opens with its answers' standing in the
			// server's words (read with JavaScript off too); an empty one
			// keeps the meter hidden until quiz.js shows it.
			res := recommend.Recommend(tt.form.C, tt.form.Answers)
			status := doc.Find("[data-quiz-status]")
			if _, hidden := status.Attr("hidden"); hidden != (res.Answered == 0) {
				t.Errorf("status hidden = %v with %d answers", hidden, res.Answered)
			}
			if got, want := strings.TrimSpace(status.Find("[data-quiz-progress]").Text()), fmt.Sprintf("%d of %d answered", res.Answered, res.Questions); got != want {
				t.Errorf("progress %q, want %q", got, want)
			}
			want := recommend.Describe(res, map[string]string{"red": "Red", "blue": "Blue"}).Headline
			if got := strings.TrimSpace(status.Find("[data-quiz-leaning]").Text()); got != want {
				t.Errorf("meter %q, want the server's %q", got, want)
			}
		})
	}
}

func TestResultView(t *testing.T) {
	c := fixture()
	tests := []struct {
		name     string
		res      recommend.Result
		headline string
	}{
		{"clear winner", recommend.Result{Winner: "blue", Confidence: recommend.Clear, Answered: 2, Questions: 2,
			Scores: []recommend.Score{{Subject: "red", Percent: 0}, {Subject: "blue", Percent: 100, Points: 4}}}, "Blue fits this project (100%)"},
		{"close call", recommend.Result{Winner: "red", Confidence: recommend.Close, Answered: 2, Questions: 2,
			Scores: []recommend.Score{{Subject: "red", Percent: 55, Points: 5}, {Subject: "blue", Percent: 45, Points: 4}}}, "Close call: Red just ahead of Blue"},
		{"tie", recommend.Result{Confidence: recommend.Close, Answered: 1, Questions: 2,
			Scores: []recommend.Score{{Subject: "red", Percent: 50, Points: 2}, {Subject: "blue", Percent: 50, Points: 2}}}, "Red and Blue tie"},
		{"answers without points", recommend.Result{Confidence: recommend.Close, Answered: 1, Questions: 2,
			Scores: []recommend.Score{{Subject: "red", Percent: 50}, {Subject: "blue", Percent: 50}}}, "No subject has points yet"},
		{"nothing answered", recommend.Result{Confidence: recommend.Close, Questions: 2,
			Scores: []recommend.Score{{Subject: "red", Percent: 50}, {Subject: "blue", Percent: 50}}}, "No answers yet"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v := ResultView{C: c, Result: tt.res}
			if got := v.Headline(); got != tt.headline {
				t.Errorf("Headline() = %q, want %q", got, tt.headline)
			}
			doc := render(t, ResultPage(Page{BaseURL: "https://x.test", Meta: Meta{Title: v.Headline(), Path: "/r"}}, v))
			if got := textsOf(doc.Find("h1")); len(got) != 1 || got[0] != tt.headline {
				t.Errorf("h1 = %q", got)
			}
			if got := doc.Find(".score-fill").Length(); got != 2 {
				t.Errorf("%d score bars, want 2", got)
			}
		})
	}
}

// TestFlips renders "What would change this" and checks each flip reads
// as a lead naming the new winner and one line per changed answer, with
// a skipped question shown as unanswered rather than as an empty string.
func TestFlips(t *testing.T) {
	c := fixture()
	tests := []struct {
		name      string
		flip      recommend.Flip
		lead      string
		asks      []string
		froms     []string
		tos       []string
		lineTexts []string
	}{
		{
			name: "one change",
			flip: recommend.Flip{Winner: "red", Changes: []recommend.Change{{Question: "mood", From: "calm", To: "bold"}}},
			lead: "Red would come out ahead if you changed:",
			asks: []string{"What mood?"}, froms: []string{"Calm"}, tos: []string{"Bold"},
			lineTexts: []string{"What mood? Calm → to Bold"},
		},
		{
			name: "a skipped question and a changed one",
			flip: recommend.Flip{Winner: "blue", Changes: []recommend.Change{{Question: "mood", To: "calm"}, {Question: "time", From: "day", To: "night"}}},
			lead: "Blue would come out ahead if you changed:",
			asks: []string{"What mood?", "What time?"}, froms: []string{"(unanswered)", "Day"}, tos: []string{"Calm", "Night"},
			lineTexts: []string{"What mood? (unanswered) → to Calm", "What time? Day → to Night"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v := ResultView{C: c, Result: recommend.Result{Answered: 1, Questions: 2, Flips: []recommend.Flip{tt.flip}}}
			doc := render(t, ResultPage(Page{BaseURL: "https://x.test", Meta: Meta{Title: "r", Path: "/r"}}, v))
			flips := doc.Find("[data-testid=flips] > ul > li")
			if flips.Length() != 1 {
				t.Fatalf("%d flips rendered, want 1", flips.Length())
			}
			check := func(sel string, want []string) {
				t.Helper()
				if got := textsOf(flips.Find(sel)); strings.Join(got, "|") != strings.Join(want, "|") {
					t.Errorf("%s = %q, want %q", sel, got, want)
				}
			}
			check(".flip-lead", []string{tt.lead})
			check(".flip-ask", tt.asks)
			check(".flip-from", tt.froms)
			check(".flip-to", tt.tos)
			check(".flip-changes > li", tt.lineTexts)
			if got := flips.Find(".flip-arrow[aria-hidden=true]").Length(); got != len(tt.asks) {
				t.Errorf("%d hidden arrows, want %d (screen readers hear \"to\" instead)", got, len(tt.asks))
			}
		})
	}
}

func TestWidthClass(t *testing.T) {
	for in, want := range map[int]string{-3: "w-0", 0: "w-0", 2: "w-0", 3: "w-5", 67: "w-65", 68: "w-70", 100: "w-100", 140: "w-100"} {
		if got := widthClass(in); got != want {
			t.Errorf("widthClass(%d) = %q, want %q", in, got, want)
		}
	}
}

func TestLayoutMeta(t *testing.T) {
	p := Page{BaseURL: "https://x.test", Meta: Meta{Title: "T", Description: "D", Path: "/p", Image: "https://x.test/i.png",
		JSONLD: []any{map[string]string{"@type": "Article", "headline": "</script><script>alert(1)</script>"}}}}
	doc := render(t, ErrorPage(p, ErrorView{Status: 404, Title: "Gone", Message: "m"}))
	for sel, want := range map[string]string{
		"link[rel=canonical]":           "https://x.test/p",
		"meta[property='og:image']":     "https://x.test/i.png",
		"meta[name='twitter:card']":     "summary_large_image",
		"meta[name=description]":        "D",
		"meta[property='og:site_name']": SiteName,
	} {
		attr := "content"
		if strings.HasPrefix(sel, "link") {
			attr = "href"
		}
		if got, _ := doc.Find(sel).Attr(attr); got != want {
			t.Errorf("%s = %q, want %q", sel, got, want)
		}
	}
	if got := doc.Find("title").Text(); got != "T · versus" {
		t.Errorf("title %q", got)
	}
	// The JSON-LD must stay one script element even when data holds "</script>".
	if n := doc.Find("script[type='application/ld+json']").Length(); n != 1 {
		t.Errorf("%d JSON-LD scripts, want 1", n)
	}
	if n := doc.Find("script:not([src]):not([type='application/ld+json'])").Length(); n != 0 {
		t.Errorf("%d inline scripts, want 0", n)
	}
}

// TestScoringWhyCell checks every "Why" cell holds its text, section link
// and citations in one element: the stacked table at phone widths makes
// each child of a cell a grid item, so loose links would scatter between
// the label and value columns.
func TestScoringWhyCell(t *testing.T) {
	c := fixture()
	c.Quiz.Questions[0].Options[0].Section = "at-a-glance"
	c.Quiz.Questions[0].Options[0].Cites = []string{"atlas", "rumour"}
	doc := render(t, ScoringPage(Page{BaseURL: "https://x.test", Meta: Meta{Title: "s", Path: "/s"}}, c))
	cells := doc.Find("td[data-label=Why]")
	if cells.Length() != 4 {
		t.Fatalf("%d Why cells, want 4 (one per option)", cells.Length())
	}
	cells.Each(func(i int, td *goquery.Selection) {
		if n := td.Children().Length(); n != 1 || !td.Children().Is("div.why") {
			t.Errorf("Why cell %d has %d children, want exactly one div.why", i, n)
		}
		if strings.TrimSpace(td.Children().Text()) != strings.TrimSpace(td.Text()) {
			t.Errorf("Why cell %d has text outside its div.why: %q", i, td.Text())
		}
	})
	first := cells.First()
	if got := textsOf(first.Find(".why-links a")); strings.Join(got, "|") != "See “At a glance”|[1] source: Colour atlas|[2] source: Hearsay" {
		t.Errorf("first Why cell links = %q", got)
	}
	if got := cells.Eq(1).Find(".why-links").Length(); got != 0 {
		t.Errorf("an option with no section or sources has %d link rows, want 0", got)
	}
}

// TestComparisonPageIDs renders a comparison with every optional part and
// checks each id on the page is unique and either comes from the article
// (its sections, their headings, entries and sources) or is one the parser
// keeps articles from taking (compare.LayoutID). A new id in the markup that
// an article could also produce fails here until it is listed there.
func TestComparisonPageIDs(t *testing.T) {
	c := fixture()
	c.Sections = []compare.Section{{ID: "history", Title: "History", Body: "<p>Old.</p>"}}
	c.ProsCons = []compare.ProsCons{{Subject: "red", Pros: []compare.HTML{"warm"}, Cons: []compare.HTML{"loud"}}}
	c.Choose = []compare.Choice{{Subject: "blue", Items: []compare.HTML{"calm rooms"}}}
	c.FAQ = []compare.FAQ{{ID: "which-one", Question: "Which one?", Answer: "<p>Either.</p>", AnswerText: "Either."}}
	c.Corrections = []compare.Correction{{ID: "not-green", Title: "Not green", Body: "<p>Red is not green.</p>"}}
	other := fixture()
	other.Slug, other.Title = "red-vs-green", "Red vs Green"
	p := Page{BaseURL: "https://x.test", Meta: Meta{Title: c.Title, Path: ComparePath(c)},
		Problems: compare.Problems{{File: "x.md", Line: 1, Msg: "test problem"}}}
	doc := render(t, ComparisonPage(p, c, []*compare.Comparison{other}))

	fromArticle := map[string]bool{}
	for _, id := range []string{compare.AnchorGlance, compare.AnchorProsCons, compare.AnchorChoose, compare.AnchorVerdict, compare.AnchorFAQ, compare.AnchorCorrections, "history"} {
		fromArticle[id], fromArticle[compare.HeadingID(id)] = true, true
	}
	fromArticle["which-one"], fromArticle["not-green"] = true, true
	for _, s := range c.Sources {
		fromArticle["source-"+s.Key] = true
	}

	seen := map[string]int{}
	doc.Find("[id]").Each(func(_ int, s *goquery.Selection) {
		id, _ := s.Attr("id")
		seen[id]++
		if !fromArticle[id] && !compare.LayoutID(id) {
			t.Errorf("id %q is neither the article's nor listed in compare's layout ids: an article anchor could take it", id)
		}
	})
	for id, n := range seen {
		if n > 1 {
			t.Errorf("id %q appears %d times", id, n)
		}
	}
	for _, id := range []string{"main", "history", "which-one", "not-green", "source-atlas", compare.AnchorSources} {
		if seen[id] == 0 {
			t.Errorf("id %q missing: the fixture no longer renders the part it tests", id)
		}
	}
}

// TestNoIndexHasNoCanonical: a page search engines should not list names no
// canonical URL, which would contradict the noindex.
func TestNoIndexHasNoCanonical(t *testing.T) {
	p := Page{BaseURL: "https://x.test", Meta: Meta{Title: "Gone", Path: "/nope", NoIndex: true}}
	doc := render(t, ErrorPage(p, ErrorView{Status: 404, Title: "Gone", Message: "m"}))
	if got, _ := doc.Find("meta[name=robots]").Attr("content"); got != "noindex" {
		t.Errorf("robots meta = %q, want noindex", got)
	}
	for _, sel := range []string{"link[rel=canonical]", "meta[property='og:url']"} {
		if n := doc.Find(sel).Length(); n != 0 {
			t.Errorf("%s: %d elements on a noindex page, want none", sel, n)
		}
	}
}
