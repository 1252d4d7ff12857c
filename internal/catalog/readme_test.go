package catalog

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/text"
)

// TestReadmeCategory keeps the authoring guide honest: the small category
// in content/README.md (its ```markdown file=PATH blocks) is written to a
// folder and must load through the real parser and catalog, composing its
// one hand-written comparison.
func TestReadmeCategory(t *testing.T) {
	src, err := os.ReadFile("../../content/README.md")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	files := 0
	doc := goldmark.New().Parser().Parse(text.NewReader(src))
	err = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		cb, ok := n.(*ast.FencedCodeBlock)
		if !ok || !entering || cb.Info == nil {
			return ast.WalkContinue, nil
		}
		name, found := strings.CutPrefix(string(cb.Info.Segment.Value(src)), "markdown file=")
		if !found {
			return ast.WalkContinue, nil
		}
		var body []byte
		for i := 0; i < cb.Lines().Len(); i++ {
			seg := cb.Lines().At(i)
			body = append(body, seg.Value(src)...)
		}
		path := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			return ast.WalkStop, err
		}
		files++
		return ast.WalkContinue, os.WriteFile(path, body, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
	if files != 4 {
		t.Fatalf("content/README.md has %d ```markdown file= blocks, want the four files of its example category", files)
	}
	cat, err := Load(os.DirFS(dir))
	if err != nil {
		t.Fatalf("the README's example category has problems:\n%v", err)
	}
	c, ok := cat.Get("alpha-vs-beta")
	if !ok || c.Generated || len(c.Glance.Rows) != 2 || len(c.ProsCons) != 2 {
		t.Fatalf("alpha-vs-beta composed incompletely: %+v", c)
	}
	if got := c.Glance.Rows[0].Edges; len(got) != 1 || got[0] != "alpha" {
		t.Errorf("setup edges = %v, want [alpha] (quick is the scale's first value)", got)
	}
}
