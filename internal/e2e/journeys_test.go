package e2e

import (
	"context"
	"fmt"
	"maps"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/browser"
	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
)

// answer is one radio choice, in the order a reader makes them.
type answer struct{ question, option string }

// reader is a typical visitor: what they answer (one of the Readers that
// the page checks also use) and what they should get.
type reader struct {
	name       string
	query      url.Values
	winner     string // subject key
	winnerName string // subject name shown in the headline
}

var readers = []reader{
	{"beginner learning on a small project", Readers.Flask, "flask", "Flask"},
	{"large shop on a deadline", Readers.Django, "django", "Django"},
}

// answers lists r's choices sorted by question key, so every run clicks
// them in the same order.
func (r reader) answers() []answer {
	var out []answer
	for _, k := range slices.Sorted(maps.Keys(r.query)) {
		out = append(out, answer{k, r.query.Get(k)})
	}
	return out
}

// radio is the CSS selector of one option's radio button.
func radio(a answer) string {
	return fmt.Sprintf(`[data-testid=quiz-form] input[type=radio][name=%q][value=%q]`, a.question, a.option)
}

// label is the CSS selector of the label a reader clicks for one option.
func label(a answer) string {
	return fmt.Sprintf(`[data-testid=quiz-form] .option:has(> input[type=radio][name=%q][value=%q]) > label`, a.question, a.option)
}

// shownResult is what a result page tells the reader.
type shownResult struct {
	Winner   string   `json:"winner"`
	Headline string   `json:"headline"`
	Percents []string `json:"percents"`
	Reasons  []string `json:"reasons"`
	Path     string   `json:"path"`
	Query    string   `json:"query"`
}

const readResult = `(() => {
	const r = document.querySelector('[data-testid=result]');
	if (!r) return null;
	return {
		winner: r.dataset.winner,
		headline: document.querySelector('[data-testid=headline]').innerText.trim(),
		percents: [...document.querySelectorAll('[data-testid=scores] li')].map(li => li.dataset.subject + '=' + li.querySelector('[data-testid=percent]').innerText.trim()),
		reasons: [...document.querySelectorAll('[data-testid=reasons] li')].map(li => li.innerText.trim()),
		path: location.pathname,
		query: location.search.slice(1),
	};
})()`

// checkResult asserts the result page shows r's recommendation with reasons.
func checkResult(t *testing.T, ctx context.Context, s *Site, r reader) shownResult {
	t.Helper()
	got := eval[*shownResult](t, ctx, readResult)
	if got == nil {
		t.Fatalf("no [data-testid=result] on %s", eval[string](t, ctx, "location.href"))
	}
	if want := "/compare/" + s.Slug + "/result"; got.Path != want {
		t.Errorf("result path %q, want %q", got.Path, want)
	}
	q, err := url.ParseQuery(got.Query)
	if err != nil {
		t.Errorf("result query %q: %v", got.Query, err)
	}
	for k, v := range r.query {
		if q.Get(k) != v[0] {
			t.Errorf("result URL has %s=%q, want %q (query %q)", k, q.Get(k), v[0], got.Query)
		}
	}
	for k := range q {
		if r.query.Get(k) == "" && q.Get(k) != "" {
			t.Errorf("result URL carries %s=%q, which the reader did not answer", k, q.Get(k))
		}
	}
	if got.Winner != r.winner {
		t.Errorf("data-winner %q, want %q (headline %q)", got.Winner, r.winner, got.Headline)
	}
	if !strings.Contains(got.Headline, r.winnerName) {
		t.Errorf("headline %q does not name %s", got.Headline, r.winnerName)
	}
	if len(got.Percents) < 2 {
		t.Errorf("scores list %v, want one per subject", got.Percents)
	}
	if len(got.Reasons) == 0 {
		t.Errorf("no reasons listed under [data-testid=reasons]")
	}
	mentioned := false
	for _, reason := range got.Reasons {
		if strings.Contains(reason, r.winnerName) {
			mentioned = true
		}
	}
	if !mentioned {
		t.Errorf("no reason names %s: %q", r.winnerName, got.Reasons)
	}
	return *got
}

// takeQuiz goes home → comparison → questionnaire, clicks r's labels and
// submits, as a reader with a mouse would.
func takeQuiz(t *testing.T, ctx context.Context, s *Site, r reader, js bool) {
	t.Helper()
	do(t, ctx, "open home", chromedp.Navigate(s.URL+"/"))
	do(t, ctx, "open the comparison from its card", clickAndWait(fmt.Sprintf(`[data-testid=card] a[href="/compare/%s"]`, s.Slug)))
	do(t, ctx, "open the questionnaire", clickAndWait(`[data-testid=quiz-link]`))
	for _, a := range r.answers() {
		do(t, ctx, "click "+label(a), chromedp.Click(chromedp.CSS(label(a)), chromedp.NodeVisible))
		if js {
			if !eval[bool](t, ctx, fmt.Sprintf(`document.querySelector(%q).checked`, radio(a))) {
				t.Fatalf("clicking the label of %s=%s did not check its radio", a.question, a.option)
			}
		}
	}
	do(t, ctx, "submit", clickAndWait(`[data-testid=quiz-form] button[type=submit]`))
}

// TestJourney is the main path with JavaScript on: a reader answers, gets a
// recommendation, opens the shared link in a fresh browser and sees the
// same thing, then goes back to edit the same answers.
func TestJourney(t *testing.T) {
	s := site(t)
	for _, r := range readers {
		t.Run(r.name, func(t *testing.T) {
			ctx := tab(t)
			takeQuiz(t, ctx, s, r, true)
			first := checkResult(t, ctx, s, r)
			link := eval[string](t, ctx, "location.href")

			// (b) the shared link, in a browser context with nothing in common.
			other := tab(t)
			do(t, other, "open the shared result", chromedp.Navigate(link))
			again := checkResult(t, other, s, r)
			if again.Headline != first.Headline || !slices.Equal(again.Percents, first.Percents) || !slices.Equal(again.Reasons, first.Reasons) {
				t.Errorf("shared link shows a different result:\nfirst:  %+v\nshared: %+v", first, again)
			}
			if shown := eval[string](t, other, `document.querySelector('[data-testid=share-url]').innerText.trim()`); shown != link {
				t.Errorf("share URL on the page %q, want the page's own URL %q", shown, link)
			}
			do(t, other, "edit your answers", clickAndWait(`[data-testid=edit-answers]`))
			checkChecked(t, other, r)
		})
	}
}

// checkChecked asserts the questionnaire has exactly r's answers checked
// (every other question on "skip").
func checkChecked(t *testing.T, ctx context.Context, r reader) {
	t.Helper()
	checked := eval[map[string]string](t, ctx, `Object.fromEntries([...document.querySelectorAll('[data-testid=quiz-form] input[type=radio]:checked')].map(i => [i.name, i.value]))`)
	want := r.query
	for k, v := range want {
		if checked[k] != v[0] {
			t.Errorf("questionnaire has %s=%q checked, want %q", k, checked[k], v[0])
		}
	}
	for k, v := range checked {
		if want.Get(k) == "" && v != "" {
			t.Errorf("questionnaire has %s=%q checked, which the reader never chose", k, v)
		}
	}
}

// TestJourneyNoJS takes the same path with JavaScript disabled: the site
// must work as plain HTML forms and links.
func TestJourneyNoJS(t *testing.T) {
	s := site(t)
	for _, r := range readers {
		t.Run(r.name, func(t *testing.T) {
			ctx := tab(t)
			do(t, ctx, "disable JavaScript", chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
				_, err := cdp.Call(ctx, tg, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: true})
				return err
			}))
			takeQuiz(t, ctx, s, r, false)
			// The DevTools protocol still evaluates with page scripts off;
			// prove they were off: quiz.js would have hidden the note
			// that the figures are the ones the page opened with.
			shown := checkResult(t, ctx, s, r)
			do(t, ctx, "edit your answers", clickAndWait(`[data-testid=edit-answers]`))
			checkChecked(t, ctx, r)
			if eval[bool](t, ctx, `document.querySelector('[data-quiz-static]').hidden`) {
				t.Errorf("the static-figures note is hidden with JavaScript off: page scripts ran, so this journey proved nothing")
			}
			// The prefilled questionnaire opens with the server's standing
			// of the answers: the count and the result page's headline.
			status := eval[[]string](t, ctx, `(() => { const s = document.querySelector('[data-quiz-status]'); return [String(s.hidden), s.querySelector('[data-quiz-progress]').innerText.trim(), s.querySelector('[data-quiz-leaning]').innerText.trim()] })()`)
			total := eval[int](t, ctx, `document.querySelectorAll('[data-testid=quiz-form] fieldset').length`)
			want := []string{"false", fmt.Sprintf("%d of %d answered", len(r.query), total), shown.Headline}
			if !slices.Equal(status, want) {
				t.Errorf("prefilled questionnaire without JavaScript shows (hidden, progress, meter) %q, want %q", status, want)
			}
		})
	}
}

// grantClipboard lets pages of the tab's browser context read and write the
// clipboard without a prompt, as a reader who accepted would.
func grantClipboard(ctx context.Context) error {
	c := chromedp.FromContext(ctx)
	for _, name := range []string{"clipboard-read", "clipboard-write"} {
		_, err := chromedp.CallBrowser(ctx, browser.SetPermission, browser.SetPermissionParams{
			Permission:       &browser.PermissionDescriptor{Name: name},
			Setting:          "granted",
			BrowserContextID: c.BrowserContextID,
		})
		if err != nil {
			return fmt.Errorf("grant %s: %w", name, err)
		}
	}
	return nil
}

// TestEnhancements checks what JavaScript adds: the live leaning meter
// follows the answers, and "Copy link" puts the result URL on the clipboard.
func TestEnhancements(t *testing.T) {
	s := site(t)
	t.Run("leaning meter", func(t *testing.T) {
		ctx := tab(t)
		do(t, ctx, "open the questionnaire", chromedp.Navigate(s.URL+"/compare/"+s.Slug+"/quiz"))
		meter := `document.querySelector('[data-quiz-leaning]').innerText.trim()`
		if eval[bool](t, ctx, `document.querySelector('[data-quiz-status]').hidden`) {
			t.Fatalf("[data-quiz-status] is still hidden with JavaScript on: quiz.js did not start")
		}
		before := eval[string](t, ctx, meter)
		steps := []struct {
			a    answer
			want string // a subject name the meter should then mention
		}{
			{answer{"experience", "beginner"}, "Flask"},
			{answer{"size", "large"}, ""},
			{answer{"admin", "yes"}, ""},
			{answer{"kind", "ecommerce"}, "Django"},
		}
		prev := before
		for _, st := range steps {
			do(t, ctx, "click "+label(st.a), chromedp.Click(chromedp.CSS(label(st.a)), chromedp.NodeVisible))
			got, err := chromedp.Run(ctx, chromedp.Poll[string](fmt.Sprintf(`(() => { const t = %s; return t !== %q ? t : false })()`, meter, prev)))
			if err != nil {
				t.Fatalf("after %s=%s the meter still says %q: %v", st.a.question, st.a.option, prev, err)
			}
			if st.want != "" && !strings.Contains(got, st.want) {
				t.Errorf("after %s=%s the meter says %q, want it to name %s", st.a.question, st.a.option, got, st.want)
			}
			prev = got
		}
	})
	t.Run("copy link", func(t *testing.T) {
		ctx := tab(t)
		if err := grantClipboard(ctx); err != nil {
			t.Fatal(err)
		}
		link := s.URL + "/compare/" + s.Slug + "/result?" + readers[0].query.Encode()
		do(t, ctx, "open a result", chromedp.Navigate(link),
			chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
				// A headless tab is never "focused", and the clipboard API
				// refuses unfocused documents.
				_, err := cdp.Call(ctx, tg, emulation.SetFocusEmulationEnabled, emulation.SetFocusEmulationEnabledParams{Enabled: true})
				return err
			}))
		want := eval[string](t, ctx, `document.querySelector('[data-testid=share-url]').innerText.trim()`)
		do(t, ctx, "click Copy link", chromedp.Click(chromedp.CSS(`button[data-copy]`), chromedp.NodeVisible))
		got, err := chromedp.Run(ctx, chromedp.Poll[string](`document.querySelector('[data-copy-status]').innerText.trim() || false`))
		if err != nil {
			t.Fatalf("no confirmation in [data-copy-status] after Copy link: %v", err)
		}
		t.Logf("copy status: %q", got)
		clip := eval[string](t, ctx, `navigator.clipboard.readText()`)
		if clip != want {
			t.Errorf("clipboard holds %q, want the share URL %q", clip, want)
		}
		if u, err := url.Parse(clip); err != nil || u.Query().Get("size") != "small" {
			t.Errorf("clipboard URL %q does not carry the answers", clip)
		}
	})
}
