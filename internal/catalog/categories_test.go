package catalog

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/versus-dev/versus/internal/compare"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/golden")

// TestComposeGolden composes sets of two, three and four subjects of the
// fixture category through the real parser and catalog, and compares each
// comparison with its golden JSON.
func TestComposeGolden(t *testing.T) {
	cat := load(t, "testdata/category")
	for _, slug := range []string{"coffee-vs-tea", "cocoa-vs-coffee-vs-tea", "cocoa-vs-coffee-vs-mate-vs-tea", "cocoa-vs-mate"} {
		t.Run(slug, func(t *testing.T) {
			c, ok := cat.Get(slug)
			if !ok {
				t.Fatalf("Get(%s) found nothing", slug)
			}
			got, err := json.MarshalIndent(c, "", "  ")
			if err != nil {
				t.Fatal(err)
			}
			got = append(got, '\n')
			golden := filepath.Join("testdata", "golden", slug+".json")
			if *update {
				if err := os.MkdirAll(filepath.Dir(golden), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(golden, got, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test -update to create it)", err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("Compose(%s) differs from %s (run go test -update and review the diff)", slug, golden)
			}
		})
	}
}

func TestComposeRules(t *testing.T) {
	cat := load(t, "testdata/category")
	g, ok := cat.Category("drinks")
	if !ok {
		t.Fatal("no category drinks")
	}

	// The hand-written article gives its set its prose; the table still
	// comes from the subject files.
	c, _ := cat.Get("coffee-vs-tea")
	if c.Generated || c.Title != "Coffee vs Tea" || !strings.Contains(string(c.Verdict), "gentler") {
		t.Errorf("coffee-vs-tea: generated=%v title=%q verdict=%q, want the article's", c.Generated, c.Title, c.Verdict)
	}
	if got := []string{c.Subjects[0].Key, c.Subjects[1].Key}; !slices.Equal(got, []string{"coffee", "tea"}) {
		t.Errorf("subjects %v, want alphabetical [coffee tea]", got)
	}

	// Edges follow the scale: the best rank present wins, every subject at
	// it shares the edge, and a row where all share it is even.
	c4, _ := cat.Get("cocoa-vs-coffee-vs-mate-vs-tea")
	rows := map[string]compare.GlanceRow{}
	for _, r := range c4.Glance.Rows {
		rows[r.Key] = r
	}
	if got := rows["caffeine"].Edges; !slices.Equal(got, []string{"coffee", "mate"}) {
		t.Errorf("caffeine edges = %v, want [coffee mate] (both high)", got)
	}
	if got := rows["sweetness"].Edges; !slices.Equal(got, []string{"cocoa"}) {
		t.Errorf("sweetness edges = %v, want [cocoa]", got)
	}
	if r := rows["origin"]; r.Edges != nil || r.Even {
		t.Errorf("origin is not ranked: edges %v even %v, want none", r.Edges, r.Even)
	}
	ct, _ := cat.Get("coffee-vs-mate")
	for _, r := range ct.Glance.Rows {
		if r.Key == "caffeine" && (!r.Even || r.Edges != nil) {
			t.Errorf("coffee-vs-mate caffeine: both high, want even; got edges %v even %v", r.Edges, r.Even)
		}
	}

	// Each subject's own fit and why reach the option.
	q, _ := c4.Quiz.Question("wake")
	o, _ := q.Option("yes")
	if o.Favors["coffee"] != 3 || o.Favors["cocoa"] != 0 || o.Section != "criterion-caffeine" {
		t.Errorf("wake=yes favors %v section %q", o.Favors, o.Section)
	}
	if why, _ := o.WhyFor("tea"); why != "Tea has medium caffeine." {
		t.Errorf("WhyFor(tea) = %q", why)
	}
	no, _ := q.Option("no")
	if _, ok := no.Favors["coffee"]; ok || !no.Fits["coffee"].None {
		t.Errorf("wake=no is no bearing: favors %v", no.Favors)
	}

	// Citations carry the category-wide number on every page.
	guide, _ := g.Source("guide")
	notes, _ := g.Source("tea-notes")
	if guide.N != 1 || notes.N == 0 {
		t.Fatalf("numbers: guide %d tea-notes %d", guide.N, notes.N)
	}
	for _, cc := range []*compare.Comparison{c, c4} {
		for _, s := range cc.Sources {
			if s.Key == "tea-notes" && s.N != notes.N {
				t.Errorf("%s numbers tea-notes %d, want %d", cc.Slug, s.N, notes.N)
			}
		}
		for _, r := range cc.Glance.Rows {
			for _, cell := range r.Cells {
				if strings.Contains(string(cell), "\x00") {
					t.Errorf("%s: unresolved citation placeholder in %q", cc.Slug, cell)
				}
			}
		}
	}
}

func TestLookup(t *testing.T) {
	cat := load(t, "testdata/category")
	for _, tc := range []struct {
		slug, canonical, err string
	}{
		{"coffee-vs-tea", "coffee-vs-tea", ""},
		{"tea-vs-coffee", "coffee-vs-tea", ""},
		{"tea-vs-mate-vs-cocoa", "cocoa-vs-mate-vs-tea", ""},
		{"coffee-vs-juice", "", `No subject is called "juice".`},
		{"coffee-vs-coffee", "", `"coffee" is named twice`},
		{"cocoa-vs-coffee-vs-mate-vs-tea-vs-water", "", `No subject is called "water"`},
		{"coffee", "", "not found"},
		{"juice-vs-water", "", "not found"},
	} {
		c, canonical, err := cat.Lookup(tc.slug)
		if tc.err == "not found" {
			if !errors.Is(err, ErrNotFound) {
				t.Errorf("Lookup(%s) error = %v, want ErrNotFound", tc.slug, err)
			}
			continue
		}
		if tc.err != "" {
			var se *SetError
			if !errors.As(err, &se) || !strings.Contains(se.Msg, tc.err) {
				t.Errorf("Lookup(%s) error = %v, want %q", tc.slug, err, tc.err)
			}
			continue
		}
		if err != nil || c == nil || canonical != tc.canonical || c.Slug != tc.canonical {
			t.Errorf("Lookup(%s) = %v, %q, %v; want canonical %q", tc.slug, c, canonical, err, tc.canonical)
		}
	}
}
