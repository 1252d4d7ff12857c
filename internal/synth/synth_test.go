package synth

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/versus-dev/versus/content"
	"github.com/versus-dev/versus/internal/catalog"
	"github.com/versus-dev/versus/internal/markdown"
)

// TestArticlesParse runs generated articles through the real parser and
// checks they have the shape the package promises: 2-3 subjects, 15+
// glance rows, 12 questions, and a size near the real article's.
func TestArticlesParse(t *testing.T) {
	// The real pair's facts and prose: its two subject files and its article.
	var real []byte
	for _, name := range []string{"django.md", "flask.md", "django-vs-flask.md"} {
		b, err := content.FS.ReadFile("python-web-frameworks/" + name)
		if err != nil {
			t.Fatal(err)
		}
		real = append(real, b...)
	}
	subjectCounts := map[int]int{}
	for i := range 40 {
		slug, src := Article(i)
		c, err := markdown.Parse(slug+".md", src)
		if err != nil {
			t.Fatalf("article %d does not parse:\n%v", i, err)
		}
		if c.Slug != slug {
			t.Errorf("article %d: slug %q, want %q", i, c.Slug, slug)
		}
		if n := len(c.Subjects); n < 2 || n > 3 {
			t.Errorf("article %d: %d subjects, want 2 or 3", i, n)
		}
		subjectCounts[len(c.Subjects)]++
		if n := len(c.Glance.Rows); n < 15 {
			t.Errorf("article %d: %d glance rows, want 15 or more", i, n)
		}
		if n := len(c.Quiz.Questions); n != 12 {
			t.Errorf("article %d: %d questions, want 12", i, n)
		}
		// "About the size of the real article": within a factor of two.
		if len(src) < len(real)/2 || len(src) > len(real)*2 {
			t.Errorf("article %d: %d bytes, want within 2x of Django's and Flask's files and their article (%d)", i, len(src), len(real))
		}
	}
	if subjectCounts[2] == 0 || subjectCounts[3] == 0 {
		t.Errorf("subject counts %v: want both 2- and 3-subject articles", subjectCounts)
	}
}

func TestDeterministicAndDistinct(t *testing.T) {
	s1, a := Article(7)
	s2, b := Article(7)
	if s1 != s2 || !bytes.Equal(a, b) {
		t.Error("Article(7) differs between calls")
	}
	seen := map[string]int{}
	for i := range 300 {
		slug := Slug(i)
		if i < 20 {
			if a, _ := Article(i); a != slug {
				t.Fatalf("Slug(%d) = %q, Article(%d) gives %q", i, slug, i, a)
			}
		}
		if prev, ok := seen[slug]; ok {
			t.Fatalf("articles %d and %d share slug %q", prev, i, slug)
		}
		seen[slug] = i
	}
}

func TestFSLoadsAsCatalog(t *testing.T) {
	fsys := FS(25)
	cat, err := catalog.Load(fsys)
	if err != nil {
		t.Fatalf("catalog.Load: %v", err)
	}
	if cat.Len() != 25 {
		t.Errorf("catalog has %d comparisons, want 25", cat.Len())
	}
	if len(cat.Tags()) < 5 {
		t.Errorf("only %d tags across 25 articles: want varied tags so tag pages and related links are exercised", len(cat.Tags()))
	}
	size, err := Size(fsys)
	if err != nil {
		t.Fatal(err)
	}
	var want int64
	for _, f := range fsys {
		want += int64(len(f.Data))
	}
	if size != want {
		t.Errorf("Size = %d, want %d", size, want)
	}
}

func TestWriteDir(t *testing.T) {
	t.Run("writes loadable files", func(t *testing.T) {
		dir := t.TempDir()
		if err := WriteDir(dir, 5); err != nil {
			t.Fatal(err)
		}
		cat, err := catalog.Load(os.DirFS(dir))
		if err != nil {
			t.Fatalf("catalog.Load(%s): %v", dir, err)
		}
		if cat.Len() != 5 {
			t.Errorf("%d comparisons, want 5", cat.Len())
		}
		// Writing again into the same folder is allowed: it only holds
		// synthetic articles.
		if err := WriteDir(dir, 5); err != nil {
			t.Errorf("second WriteDir: %v", err)
		}
	})
	t.Run("refuses a folder with other files", func(t *testing.T) {
		dir := t.TempDir()
		if err := os.WriteFile(filepath.Join(dir, "django-vs-flask.md"), []byte("x"), 0o644); err != nil {
			t.Fatal(err)
		}
		err := WriteDir(dir, 1)
		if err == nil || !strings.Contains(err.Error(), "django-vs-flask.md") {
			t.Fatalf("WriteDir into a folder with real content: err = %v, want one naming django-vs-flask.md", err)
		}
	})
}
