package e2e

import (
	"fmt"
	"math"
	"os"
	"testing"

	"github.com/chromedp/chromedp"
)

// tableState is what a criteria table looks like at one width.
type tableState struct {
	Stacked     bool    `json:"stacked"`     // rows drawn as cards (the narrow layout)
	Scrolls     bool    `json:"scrolls"`     // wider than its wrapper
	Cue         bool    `json:"cue"`         // the wrapper draws the scroll shadow
	StickyLeft  float64 `json:"stickyLeft"`  // a row header's left edge after scrolling to the end…
	WrapLeft    float64 `json:"wrapLeft"`    // …and the wrapper's
	LabelsShown bool    `json:"labelsShown"` // stacked cells name their column
}

const readTables = `[...document.querySelectorAll('.table-wrap:has(table.glance)')].map(w => {
	const t = w.querySelector('table'), th = t.querySelector('tbody th[scope=row]'), td = t.querySelector('tbody td');
	const stacked = getComputedStyle(t.querySelector('tbody tr')).display === 'block';
	const scrolls = w.scrollWidth > w.clientWidth + 1;
	w.scrollLeft = w.scrollWidth;
	return {stacked, scrolls, cue: getComputedStyle(w).backgroundImage.includes('radial-gradient'),
		stickyLeft: th.getBoundingClientRect().left, wrapLeft: w.getBoundingClientRect().left,
		labelsShown: !!td && !['none', 'normal', ''].includes(getComputedStyle(td, '::before').content)};
})`

// TestWideTables loads pages of three, four and more subjects at 320, 768
// and 1280 CSS pixels: the page never scrolls sideways; at 320 the tables
// stack with each cell labelled; wider, a table too wide for its column
// scrolls inside its wrapper with a visible cue and its criterion column
// kept in view; and four subjects fit a 1280 px screen without scrolling.
func TestWideTables(t *testing.T) {
	dir := fixtureContent(t)
	s, err := StartFS(os.DirFS(dir))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	pages := []string{
		"/compare/alpha-vs-beta-vs-gamma",
		"/compare/alder-vs-birch-vs-cedar-vs-damson",
		"/compare/cocoa-vs-coffee-vs-mate-vs-tea",
		"/categories/drinks",
		"/compare/alder-vs-birch-vs-cedar-vs-damson/scoring",
		"/compare/alder-vs-birch-vs-cedar-vs-damson/result?admin=yes&size=large",
		"/compare/cocoa-vs-coffee-vs-mate-vs-tea/quiz?wake=yes",
	}
	ctx := tab(t)
	for _, width := range []int64{320, 768, 1280} {
		for _, path := range pages {
			t.Run(fmt.Sprintf("%d%s", width, path), func(t *testing.T) {
				do(t, ctx, "open "+path, chromedp.EmulateViewport(width, 800), chromedp.Navigate(s.URL+path))
				w := eval[[2]float64](t, ctx, `[document.documentElement.scrollWidth, document.documentElement.clientWidth]`)
				if w[0] > w[1] {
					t.Errorf("the page scrolls sideways: scrollWidth %v > clientWidth %v", w[0], w[1])
				}
				for i, tb := range eval[[]tableState](t, ctx, readTables) {
					switch {
					case width == 320 && (!tb.Stacked || !tb.LabelsShown):
						t.Errorf("table %d at 320px: stacked %v, labels shown %v; want stacked cards naming each column", i, tb.Stacked, tb.LabelsShown)
					case width > 320 && tb.Stacked:
						t.Errorf("table %d stacks at %dpx", i, width)
					case tb.Scrolls && !tb.Cue:
						t.Errorf("table %d scrolls inside its wrapper with no visible cue", i)
					case tb.Scrolls && math.Abs(tb.StickyLeft-tb.WrapLeft) > 2:
						t.Errorf("table %d scrolled to its end: the criterion column is at %.0fpx, the wrapper at %.0fpx; want it kept in view", i, tb.StickyLeft, tb.WrapLeft)
					case width == 1280 && path == "/compare/alder-vs-birch-vs-cedar-vs-damson" && tb.Scrolls:
						t.Errorf("four subjects do not fit a 1280px screen")
					}
				}
			})
		}
	}
}
