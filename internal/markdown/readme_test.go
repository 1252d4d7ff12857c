package markdown

import (
	"os"
	"testing"

	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/text"
)

// TestReadmeExample keeps the authoring guide honest: the example article in
// content/README.md must parse without a problem.
func TestReadmeExample(t *testing.T) {
	src, err := os.ReadFile("../../content/README.md")
	if err != nil {
		t.Fatal(err)
	}
	var example []byte
	doc := md.Parser().Parse(text.NewReader(src))
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if cb, ok := n.(*ast.FencedCodeBlock); ok && entering && string(cb.Language(src)) == "markdown" {
			example = nil
			for i := 0; i < cb.Lines().Len(); i++ {
				seg := cb.Lines().At(i)
				example = append(example, seg.Value(src)...)
			}
		}
		return ast.WalkContinue, nil
	})
	if example == nil {
		t.Fatal("content/README.md has no ```markdown example")
	}
	c, err := Parse("example.md", example)
	if err != nil {
		t.Fatalf("the README example has problems:\n%v", err)
	}
	if len(c.Quiz.Questions) != 1 || len(c.Glance.Rows) != 1 || len(c.ProsCons) != 1 {
		t.Errorf("the README example parsed incompletely: %+v", c)
	}
}
