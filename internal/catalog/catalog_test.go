package catalog

import (
	"bytes"
	"context"
	"errors"
	"os"
	"reflect"
	"slices"
	"testing"
	"testing/fstest"

	"github.com/versus-dev/versus/internal/compare"
	"github.com/versus-dev/versus/internal/markdown"
	"github.com/versus-dev/versus/internal/synth"
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

// TestArticle checks that the catalog keeps summaries only and parses the
// whole article again on demand, refusing a file that changed after Load.
func TestArticle(t *testing.T) {
	fsys := synth.FS(3)
	cat, err := Load(fsys)
	if err != nil {
		t.Fatal(err)
	}
	s := cat.All()[0]
	if s.Intro != "" || len(s.Quiz.Questions) != 0 || len(s.Glance.Rows) != 0 {
		t.Errorf("the resident summary of %s holds article content", s.Slug)
	}
	if s.Title == "" || len(s.Subjects) < 2 || s.Subjects[0].Name == "" || s.Reviewed.IsZero() {
		t.Errorf("summary %+v lacks what listings show", s)
	}
	full, err := cat.Article(s)
	if err != nil {
		t.Fatal(err)
	}
	want, err := markdown.Parse(s.File, fsys[s.File].Data)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(full, want) {
		t.Errorf("Article(%s) differs from parsing its file", s.Slug)
	}
	if n := cat.ArticleSize(s); n < len(fsys[s.File].Data) {
		t.Errorf("ArticleSize = %d, below the source's %d bytes", n, len(fsys[s.File].Data))
	}
	composed := &compare.Comparison{Slug: s.Slug, File: s.File}
	if got, err := cat.Article(composed); err != nil || got != composed {
		t.Errorf("Article of a comparison that is no file's summary (a composed one) = %p, %v; want it as is", got, err)
	}
	fsys[s.File] = &fstest.MapFile{Data: append(bytes.Clone(fsys[s.File].Data), "\nmore\n"...)}
	if _, err := cat.Article(s); !errors.Is(err, ErrChanged) {
		t.Errorf("Article after the file changed: %v, want ErrChanged", err)
	}
}

// TestKeepArticles: with KeepArticles the catalog serves the article it
// checked even after its file changed (watch mode keeps the last good
// content while an author's edit is broken).
func TestKeepArticles(t *testing.T) {
	fsys := synth.FS(2)
	cat, err := LoadContext(context.Background(), fsys, Options{KeepArticles: true})
	if err != nil {
		t.Fatal(err)
	}
	s := cat.All()[0]
	want, err := cat.Article(s)
	if err != nil {
		t.Fatal(err)
	}
	fsys[s.File] = &fstest.MapFile{Data: []byte("broken")}
	got, err := cat.Article(s)
	if err != nil || got != want || len(got.Quiz.Questions) == 0 {
		t.Errorf("Article after the file changed: %v, %v; want the article that was checked", got, err)
	}
}
