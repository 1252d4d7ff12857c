package catalog

import (
	"errors"
	"os"
	"slices"
	"testing"

	"github.com/versus-dev/versus/internal/compare"
)

func slugs(cs []*compare.Comparison) []string {
	out := make([]string, len(cs))
	for i, c := range cs {
		out[i] = c.Slug
	}
	return out
}

func load(t *testing.T, dir string) *Catalog {
	t.Helper()
	cat, err := Load(os.DirFS(dir))
	if err != nil {
		t.Fatalf("Load(%s): %v", dir, err)
	}
	return cat
}

func TestLoadGood(t *testing.T) {
	cat := load(t, "testdata/good")
	if got, want := slugs(cat.All()), []string{"alpha-vs-beta", "beta-vs-gamma", "delta-vs-epsilon", "omega-vs-zeta"}; !slices.Equal(got, want) {
		t.Errorf("All() = %v, want %v (sorted by title, ignoring case; drafts and README.md left out)", got, want)
	}
	if cat.Len() != 4 {
		t.Errorf("Len() = %d, want 4", cat.Len())
	}
	if c, ok := cat.Get("beta-vs-gamma"); !ok || c.Title != "beta vs Gamma" || c.File != "beta-vs-gamma.md" {
		t.Errorf("Get(beta-vs-gamma) = %+v, %v", c, ok)
	}
	wantTags := []Tag{{"other", 1}, {"shared", 3}, {"test", 1}}
	if got := cat.Tags(); !slices.Equal(got, wantTags) {
		t.Errorf("Tags() = %v, want %v (the draft's tags not counted)", got, wantTags)
	}
}

func TestDraftsHidden(t *testing.T) {
	cat := load(t, "testdata/good")
	if c, ok := cat.Get("hidden"); ok {
		t.Errorf("Get(hidden) found the draft %q", c.Title)
	}
	for _, tag := range []string{"test", "shared"} {
		if slices.Contains(slugs(cat.Tagged(tag)), "hidden") {
			t.Errorf("Tagged(%q) lists the draft", tag)
		}
	}
	if slices.Contains(slugs(cat.Related("alpha-vs-beta", 10)), "hidden") {
		t.Error("Related lists the draft")
	}
}

func TestTagged(t *testing.T) {
	cat := load(t, "testdata/good")
	tests := []struct {
		tag  string
		want []string
	}{
		{"shared", []string{"alpha-vs-beta", "beta-vs-gamma", "delta-vs-epsilon"}},
		{"test", []string{"alpha-vs-beta"}},
		{"other", []string{"omega-vs-zeta"}},
		{"missing", []string{}},
	}
	for _, tt := range tests {
		t.Run(tt.tag, func(t *testing.T) {
			if got := slugs(cat.Tagged(tt.tag)); !slices.Equal(got, tt.want) {
				t.Errorf("Tagged(%q) = %v, want %v", tt.tag, got, tt.want)
			}
		})
	}
}

func TestRelated(t *testing.T) {
	cat := load(t, "testdata/good")
	tests := []struct {
		slug string
		max  int
		want []string
	}{
		// beta-vs-gamma shares a subject (2) and a tag (1); delta-vs-epsilon a tag only.
		{"alpha-vs-beta", 10, []string{"beta-vs-gamma", "delta-vs-epsilon"}},
		{"alpha-vs-beta", 1, []string{"beta-vs-gamma"}},
		{"alpha-vs-beta", 0, []string{}},
		{"omega-vs-zeta", 10, []string{}},
		{"no-such-slug", 10, []string{}},
		{"hidden", 10, []string{}},
	}
	for _, tt := range tests {
		t.Run(tt.slug, func(t *testing.T) {
			if got := slugs(cat.Related(tt.slug, tt.max)); !slices.Equal(got, tt.want) {
				t.Errorf("Related(%q, %d) = %v, want %v", tt.slug, tt.max, got, tt.want)
			}
		})
	}
}

func TestLoadRefuses(t *testing.T) {
	tests := []struct {
		dir  string
		want []string
	}{
		{"testdata/dupslug", []string{`second.md:1: slug "same" is already used by first.md: set a different slug in the front matter or rename the file`}},
		// One broken article refuses the whole catalog, so a bad edit never
		// replaces good content.
		{"testdata/onebroken", []string{`broken.md:26: this table row has 2 cells but the header has 3: add the missing cells (an empty cell is | |)`}},
		{"testdata/empty", []string{`.: no articles: add a category folder or at least one SLUG.md (see content/README.md)`}},
	}
	for _, tt := range tests {
		t.Run(tt.dir, func(t *testing.T) {
			cat, err := Load(os.DirFS(tt.dir))
			if cat != nil {
				t.Errorf("Load returned a catalog along with problems")
			}
			var ps compare.Problems
			if !errors.As(err, &ps) {
				t.Fatalf("Load error = %v (%T), want compare.Problems", err, err)
			}
			got := make([]string, len(ps))
			for i, p := range ps {
				got[i] = p.Error()
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("problems = %q, want %q", got, tt.want)
			}
		})
	}
}

// TestLoadContent loads the site's real articles as the server will.
func TestLoadContent(t *testing.T) {
	cat := load(t, "../../content")
	if cat.Len() == 0 {
		t.Error("content/ has no published article")
	}
}
