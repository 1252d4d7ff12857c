package e2e

import (
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// axeTags are the rule sets the site promises: WCAG 2.0, 2.1 and 2.2 at A
// and AA, plus axe's best practices.
var axeTags = []string{"wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"}

type axeResult struct {
	Violations []struct {
		ID     string `json:"id"`
		Impact string `json:"impact"`
		Help   string `json:"help"`
		Nodes  []struct {
			Target         []any  `json:"target"`
			FailureSummary string `json:"failureSummary"`
		} `json:"nodes"`
	} `json:"violations"`
}

// TestAccessibility runs axe-core on every page type in light and dark and
// wants no violation at all: a serious one and a "minor" one both mean a
// reader who cannot use the page.
func TestAccessibility(t *testing.T) {
	axePath, err := NodeTool("axe-core/axe.min.js")
	need(t, err)
	axeSrc, err := os.ReadFile(axePath)
	if err != nil {
		t.Fatal(err)
	}
	s := site(t)
	tags, _ := json.Marshal(axeTags) // a []string always marshals
	run := fmt.Sprintf(`axe.run(document, {runOnly: {type: 'tag', values: %s}, resultTypes: ['violations']})`, tags)
	for _, scheme := range []ColorScheme{Light, Dark} {
		for _, p := range s.Pages() {
			t.Run(string(scheme)+"/"+p.Name, func(t *testing.T) {
				ctx := tab(t)
				do(t, ctx, "open "+p.Path, bypassCSP(), EmulateColorScheme(scheme), Open(s.URL, p))
				do(t, ctx, "inject axe-core", chromedp.Evaluate[chromedp.Void](string(axeSrc)))
				res := eval[axeResult](t, ctx, run)
				for _, v := range res.Violations {
					var targets []string
					for i, n := range v.Nodes {
						if i == 5 {
							targets = append(targets, fmt.Sprintf("and %d more", len(v.Nodes)-i))
							break
						}
						targets = append(targets, fmt.Sprint(n.Target...))
					}
					why := ""
					if len(v.Nodes) > 0 {
						why = strings.ReplaceAll(strings.TrimSpace(v.Nodes[0].FailureSummary), "\n", " / ")
					}
					t.Errorf("%s [%s] on %d element(s): %s\n    targets: %s\n    %s", v.ID, v.Impact, len(v.Nodes), v.Help, strings.Join(targets, " | "), why)
				}
			})
		}
	}
}
