package markdown

import (
	"fmt"
	"io/fs"
	"strings"
	"testing"

	"go.yaml.in/yaml/v4"

	"github.com/versus-dev/versus/content"
	"github.com/versus-dev/versus/internal/synth"
)

// sameTree reports the first difference between two node trees, in every
// field the library sets, or "" when they are the same.
func sameTree(path string, got, want *yaml.Node) string {
	if got == nil || want == nil {
		if got != want {
			return fmt.Sprintf("%s: got %v, want %v", path, got, want)
		}
		return ""
	}
	g := fmt.Sprintf("kind=%d style=%d tag=%q value=%q anchor=%q alias=%v comments=%q/%q/%q at %d:%d, %d children",
		got.Kind, got.Style, got.Tag, got.Value, got.Anchor, got.Alias != nil, got.HeadComment, got.LineComment, got.FootComment, got.Line, got.Column, len(got.Content))
	w := fmt.Sprintf("kind=%d style=%d tag=%q value=%q anchor=%q alias=%v comments=%q/%q/%q at %d:%d, %d children",
		want.Kind, want.Style, want.Tag, want.Value, want.Anchor, want.Alias != nil, want.HeadComment, want.LineComment, want.FootComment, want.Line, want.Column, len(want.Content))
	if g != w {
		return fmt.Sprintf("%s:\n got  %s\n want %s", path, g, w)
	}
	for i := range got.Content {
		if d := sameTree(fmt.Sprintf("%s/%d", path, i), got.Content[i], want.Content[i]); d != "" {
			return d
		}
	}
	return ""
}

// checkFast compares fastYAML with the library on b: whatever the fast
// reader accepts, the library must read without error to the same tree.
// It returns whether the fast reader accepted b.
func checkFast(t *testing.T, name string, b []byte) bool {
	t.Helper()
	got, release, ok := fastYAML(b)
	if !ok {
		return false
	}
	defer release()
	var want yaml.Node
	err := func() (err error) {
		defer func() {
			if r := recover(); r != nil {
				err = fmt.Errorf("panic: %v", r)
			}
		}()
		return yaml.Unmarshal(b, &want)
	}()
	if err != nil {
		t.Fatalf("%s: the fast reader accepted YAML the library refuses (%v):\n%s", name, err, b)
	}
	if d := sameTree("doc", got, &want); d != "" {
		t.Fatalf("%s: the fast reader's tree differs from the library's at %s\nin:\n%s", name, d, b)
	}
	return true
}

func frontMatterOf(t *testing.T, src []byte) []byte {
	t.Helper()
	fm, _, _, closed, ok := splitFrontMatter(src)
	if !ok || !closed {
		t.Fatalf("no front matter in\n%.200s", src)
	}
	return fm
}

// TestFastYAMLSynthetic: the synthetic articles and category files, the
// shape start-up at scale reads, are taken by the fast reader (that is
// what makes start-up faster) and read to the library's tree.
func TestFastYAMLSynthetic(t *testing.T) {
	for i := range 30 {
		slug, src := synth.Article(i)
		if !checkFast(t, slug, frontMatterOf(t, src)) {
			t.Errorf("%s: the fast reader refused the synthetic front matter; start-up falls back to the slower library", slug)
		}
	}
	for name, src := range synth.Category(0, 6) {
		if !checkFast(t, name, frontMatterOf(t, src)) {
			t.Errorf("%s: the fast reader refused the synthetic front matter", name)
		}
	}
}

// TestFastYAMLContent: every front matter of the embedded content reads to
// the library's tree when the fast reader takes it.
func TestFastYAMLContent(t *testing.T) {
	taken := 0
	err := fs.WalkDir(content.FS, ".", func(name string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(name, ".md") || name == "README.md" {
			return err
		}
		src, err := fs.ReadFile(content.FS, name)
		if err != nil {
			return err
		}
		if checkFast(t, name, frontMatterOf(t, src)) {
			taken++
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if taken == 0 {
		t.Error("the fast reader took none of the content's front matter")
	}
}

// TestFastYAMLCases are the edges: each is either refused by the fast
// reader or read exactly as the library reads it; the ones marked taken
// must be taken.
func TestFastYAMLCases(t *testing.T) {
	for _, tc := range []struct {
		in    string
		taken bool
	}{
		{"a: b\n", true},
		{"a: b\nc: d", true},
		{"title: Déjà vu — ok\nx: [é, b, c]\n", true},
		{"x: [a,b ,  c]\n", true},
		{"m: {k: 1, j: 2}\n", true},
		{"l:\n- a\n- b\nc: d\n", true},
		{"l:\n  - a\n  - b\n", true},
		{"l:\n  - k: a\n    j: b\n  -   k: c\n", true},
		{"d: 2024-02-29\nn: 12\nz: 0\nb: true\nf: False\nnull: ~\n", true},
		{"q: \"it's: #1\"\ns: 'it''s'\n", false}, // " #" anywhere is refused
		{"q: \"a: b\"\ns: 'x y'\n", true},
		{"url: https://example.com/a?b=c\n", true},
		{"a: it's fine, [really]\n", true},
		{"a:  two spaces\n", true},
		{"a: b  \n", true},
		{"- a\n- b\n", true},
		{"\n\na: b\n\n", true},
		// Refused: the library reads these, and decides.
		{"a:\n", false},
		{"a: b\n  c\n", false},
		{"a: |\n  x\n", false},
		{"a: >\n  x\n", false},
		{"a: &x b\nc: *x\n", false},
		{"a: !!str 1\n", false},
		{"a: 1.5\n", false},
		{"a: 012\n", false},
		{"a: -1\n", false},
		{"a: 2024-02-30\n", false},
		{"a: \"x\\ny\"\n", false},
		{"a: \"unclosed\n", false},
		{"a: b # c\n", false},
		{"# c\na: b\n", false},
		{"a:\tb\n", false},
		{"a: b\r\n", false},
		{"a: [b, [c]]\n", true},
		{"a: []\n", false},
		{"a: {}\n", false},
		{"a: b: c\n", false},
		{"a b: c\n", false},
		{"? a\n: b\n", false},
		{"a: b\n- c\n", false},
		{"- - a\n", false},
		{"-\n  a: b\n", false},
		{"---\na: b\n", false},
		{"a: b\n...\n", false},
		{"%YAML 1.2\n", false},
		{"", false},
		{"   \n", false},
		{"a: b\na: c\n", true}, // duplicate keys: the same tree; the caller reports them
		{"a: <<\n", false},
		{"\"small\": {fit: 3, why: \"a, b\", cites: [s-1]}\n'k': v\n", true},
		{"\"a\":b\n", false},
		{"'it''s': v\n", false},
	} {
		taken := checkFast(t, fmt.Sprintf("%q", tc.in), []byte(tc.in))
		if tc.taken && !taken {
			t.Errorf("%q: refused by the fast reader, want taken", tc.in)
		}
		if !tc.taken && taken {
			t.Errorf("%q: taken by the fast reader, want refused", tc.in)
		}
	}
}

// FuzzFastYAML: whatever the fast reader accepts, the library reads to
// the same tree. Seeded with the synthetic and real front matter and the
// edge cases, cut to small pieces so mutations explore.
func FuzzFastYAML(f *testing.F) {
	var seeds []string
	for i := range 3 {
		_, src := synth.Article(i)
		fm, _, _, _, _ := splitFrontMatter(src)
		seeds = append(seeds, string(fm))
	}
	_ = fs.WalkDir(content.FS, ".", func(name string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.HasSuffix(name, ".md") {
			src, _ := fs.ReadFile(content.FS, name)
			if fm, _, _, ok, _ := splitFrontMatter(src); ok {
				seeds = append(seeds, string(fm))
			}
		}
		return nil
	})
	for _, s := range seeds {
		// Pieces of about 20 lines keep each input small.
		lines := strings.SplitAfter(s, "\n")
		for i := 0; i < len(lines); i += 20 {
			f.Add([]byte(strings.Join(lines[i:min(i+20, len(lines))], "")))
		}
	}
	f.Add([]byte("l:\n  - k: a\n    j: [x, y]\n  - k: {a: 1}\nd: 2024-02-29\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		checkFast(t, "input", b)
	})
}
