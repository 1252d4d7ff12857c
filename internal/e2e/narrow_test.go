package e2e

import (
	"testing"

	"github.com/chromedp/chromedp"
)

type glanceCell struct {
	Text    string  `json:"text"`
	Label   string  `json:"label"`
	Before  string  `json:"before"`
	Width   float64 `json:"width"`
	Right   float64 `json:"right"`
	Visible bool    `json:"visible"`
}

// TestNarrowScreen loads every page type 320 CSS pixels wide (the WCAG
// reflow width) and wants no sideways scrolling; on the comparison page the
// at-a-glance table must stack, each cell visible, inside the screen and
// labelled with its column.
func TestNarrowScreen(t *testing.T) {
	s := site(t)
	for _, p := range s.Pages() {
		t.Run(p.Name, func(t *testing.T) {
			ctx := tab(t)
			do(t, ctx, "open "+p.Path, chromedp.EmulateViewport(320, 640, chromedp.EmulateMobile), Open(s.URL, p))
			w := eval[[2]float64](t, ctx, `[document.documentElement.scrollWidth, document.documentElement.clientWidth]`)
			if w[0] > w[1] {
				wide := eval[[]string](t, ctx, `[...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > document.documentElement.clientWidth + 0.5).slice(0, 8).map(e => e.tagName.toLowerCase() + (e.className ? '.' + String(e.className).split(' ').join('.') : '') + ' right=' + Math.round(e.getBoundingClientRect().right))`)
				t.Errorf("page scrolls sideways at 320px: scrollWidth %v > clientWidth %v; widest elements: %v", w[0], w[1], wide)
			}
			if p.Name != "comparison" {
				return
			}
			cells := eval[[]glanceCell](t, ctx, `[...document.querySelectorAll('[data-testid=glance] tbody td')].map(td => {
				const r = td.getBoundingClientRect(), cs = getComputedStyle(td);
				return {text: td.innerText.trim(), label: td.dataset.label || '', before: getComputedStyle(td, '::before').content,
					width: r.width, right: r.right, visible: cs.display !== 'none' && cs.visibility !== 'hidden' && r.width > 0 && r.height > 0};
			})`)
			if len(cells) == 0 {
				t.Fatalf("no cells in [data-testid=glance] tbody")
			}
			for i, c := range cells {
				switch {
				case !c.Visible:
					t.Errorf("glance cell %d %q is not visible at 320px", i, c.Text)
				case c.Right > w[1]+0.5:
					t.Errorf("glance cell %d %q ends at %.0fpx, past the %vpx screen", i, c.Text, c.Right, w[1])
				case c.Label == "":
					t.Errorf("glance cell %d %q has no data-label naming its column", i, c.Text)
				case c.Before == "none" || c.Before == "normal" || c.Before == "":
					t.Errorf("glance cell %d %q: its column name (data-label %q) is not shown (::before content %s)", i, c.Text, c.Label, c.Before)
				}
			}
		})
	}
}
