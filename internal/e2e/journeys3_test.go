package e2e

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
)

// TestJourneyThreeSubjects is the any-combination path, with JavaScript on
// and off: home → the category → tick three subjects in the picker →
// their comparison, composed on demand → its questionnaire → a result
// that ranks all three, whose shared link shows the same result.
func TestJourneyThreeSubjects(t *testing.T) {
	s := site(t)
	r := reader{"beginner learning on a small project", Readers.Flask, "", ""}
	for _, js := range []bool{true, false} {
		t.Run(fmt.Sprintf("javascript=%v", js), func(t *testing.T) {
			ctx := tab(t)
			if !js {
				do(t, ctx, "disable JavaScript", chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
					_, err := cdp.Call(ctx, tg, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: true})
					return err
				}))
			}
			do(t, ctx, "open home", chromedp.Navigate(s.URL+"/"))
			do(t, ctx, "open the category from its card", clickAndWait(fmt.Sprintf(`[data-testid=category-card] a[href="/categories/%s"]`, s.Category)))
			for _, k := range s.Generated {
				do(t, ctx, "tick "+k, chromedp.Click(chromedp.CSS(fmt.Sprintf(`label[for="pick-%s"]`, k)), chromedp.NodeVisible))
			}
			do(t, ctx, "compare", clickAndWait(`[data-testid=picker] button[type=submit]`))
			if got, want := eval[string](t, ctx, "location.pathname"), "/compare/"+s.GeneratedSlug(); got != want {
				t.Fatalf("the picker led to %s, want %s", got, want)
			}
			if n := eval[int](t, ctx, `document.querySelectorAll('table[data-testid=glance] thead th').length`); n != 5 {
				t.Errorf("the comparison's table has %d header cells, want 5 (criterion, three subjects, edge)", n)
			}
			do(t, ctx, "open the questionnaire", clickAndWait(`[data-testid=quiz-link]`))
			for _, a := range r.answers() {
				do(t, ctx, "click "+label(a), chromedp.Click(chromedp.CSS(label(a)), chromedp.NodeVisible))
			}
			do(t, ctx, "submit", clickAndWait(`[data-testid=quiz-form] button[type=submit]`))
			got := eval[*shownResult](t, ctx, readResult)
			if got == nil {
				t.Fatalf("no result on %s", eval[string](t, ctx, "location.href"))
			}
			if want := "/compare/" + s.GeneratedSlug() + "/result"; got.Path != want {
				t.Errorf("result path %q, want %q", got.Path, want)
			}
			if len(got.Percents) != 3 {
				t.Errorf("scores %v, want one per subject of three", got.Percents)
			}
			if len(got.Reasons) == 0 {
				t.Error("no reasons listed")
			}
			for _, word := range []string{"either", "neither", "the other"} {
				if body := strings.ToLower(eval[string](t, ctx, "document.body.innerText")); strings.Contains(body, word) {
					t.Errorf("the three-way result page says %q", word)
				}
			}
			link := eval[string](t, ctx, "location.href")
			other := tab(t)
			do(t, other, "open the shared result", chromedp.Navigate(link))
			again := eval[*shownResult](t, other, readResult)
			if again == nil || again.Headline != got.Headline || strings.Join(again.Percents, ",") != strings.Join(got.Percents, ",") {
				t.Errorf("the shared link shows %+v, want %+v", again, got)
			}
		})
	}
}
