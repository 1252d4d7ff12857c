package e2e

import (
	"context"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// focused describes document.activeElement and whether it shows a focus
// ring: an outline (style not none, width > 0) or a box-shadow, on the
// element or, for a radio, on its label (radios are often styled through
// their labels).
type focused struct {
	Tag     string `json:"tag"`
	Type    string `json:"type"`
	Name    string `json:"name"`
	Value   string `json:"value"`
	Checked bool   `json:"checked"`
	Text    string `json:"text"`
	Ring    bool   `json:"ring"`
	Submit  bool   `json:"submit"`
}

const readFocus = `(() => {
	const el = document.activeElement;
	if (!el || el === document.body) return {tag: 'body', ring: false};
	const ring = e => {
		const cs = getComputedStyle(e);
		return (cs.outlineStyle !== 'none' && parseFloat(cs.outlineWidth) > 0) || (cs.boxShadow !== '' && cs.boxShadow !== 'none');
	};
	return {
		tag: el.tagName.toLowerCase(), type: el.type || '', name: el.name || '', value: el.value || '',
		checked: !!el.checked, text: (el.innerText || el.getAttribute('aria-label') || '').trim().slice(0, 50),
		ring: ring(el) || [...(el.labels || [])].some(ring),
		submit: el.matches('[data-testid=quiz-form] [type=submit]'),
	};
})()`

// press sends one key and returns the newly focused element, failing the
// test when it shows no focus ring.
func press(t *testing.T, ctx context.Context, key, what string) focused {
	t.Helper()
	do(t, ctx, what, chromedp.KeyEvent(key))
	f := eval[focused](t, ctx, readFocus)
	if !f.Ring {
		t.Errorf("%s: focus on <%s type=%q name=%q value=%q> %q shows no focus ring (no outline or box-shadow on it or its label)", what, f.Tag, f.Type, f.Name, f.Value, f.Text)
	}
	return f
}

// TestKeyboardOnly answers the questionnaire with the keyboard alone: Tab
// to the first radio, arrows to choose, Space to confirm, Tab from one
// fieldset to the next, Enter on the submit button. Every stop must show
// where the focus is.
func TestKeyboardOnly(t *testing.T) {
	s := site(t)
	r := readers[1]
	want := r.query
	ctx := tab(t)
	do(t, ctx, "open the questionnaire", chromedp.Navigate(s.URL+"/compare/"+s.Slug+"/quiz"))

	f := focused{}
	for i := 0; f.Type != "radio"; i++ {
		if i == 40 {
			t.Fatalf("40 Tabs from the top never reached a radio button (last focus: %+v)", f)
		}
		f = press(t, ctx, kb.Tab, "Tab towards the first question")
	}
	for steps := 0; !f.Submit; steps++ {
		if steps == 200 {
			t.Fatalf("200 key presses and the submit button was never focused (last focus: %+v)", f)
		}
		if f.Type == "radio" {
			if target := want.Get(f.Name); target != "" {
				for i := 0; f.Value != target; i++ {
					if i == 15 {
						t.Fatalf("ArrowDown through %q never reached %q", f.Name, target)
					}
					f = press(t, ctx, kb.ArrowDown, "ArrowDown in "+f.Name)
					if f.Name != "" && !f.Checked {
						t.Errorf("ArrowDown focused %s=%s without checking it", f.Name, f.Value)
					}
				}
				f = press(t, ctx, " ", "Space on "+f.Name+"="+f.Value)
				if !f.Checked || f.Value != target {
					t.Errorf("after Space, %s=%s checked=%v, want %s checked", f.Name, f.Value, f.Checked, target)
				}
			}
		}
		f = press(t, ctx, kb.Tab, "Tab to the next question")
	}
	do(t, ctx, "Enter on the submit button", keyAndWait(kb.Enter))
	checkResult(t, ctx, s, r)
}
