package markdown

import (
	"strings"
	"unicode"

	"github.com/yuin/goldmark/ast"
)

// plain is the text of a node without markup, for titles, table labels and
// keys: emphasis and links keep their words, citations are dropped.
func (a *article) plain(n ast.Node) string {
	var b strings.Builder
	a.writePlain(&b, n)
	return strings.Join(strings.Fields(b.String()), " ")
}

// plainBlocks is the text of a run of blocks, paragraphs separated by a
// blank line, as search engines expect in FAQPage answers.
func (a *article) plainBlocks(nodes []ast.Node) string {
	parts := make([]string, 0, len(nodes))
	for _, n := range nodes {
		var b strings.Builder
		a.writePlain(&b, n)
		if s := strings.TrimSpace(b.String()); s != "" {
			parts = append(parts, s)
		}
	}
	return strings.Join(parts, "\n\n")
}

func (a *article) writePlain(b *strings.Builder, n ast.Node) {
	switch n := n.(type) {
	case *citation:
		// Drop the marker and the space before it: "a claim [@x]." reads "a claim."
		trimmed := strings.TrimRight(b.String(), " ")
		b.Reset()
		b.WriteString(trimmed)
		return
	case *ast.Text:
		b.Write(n.Segment.Value(a.src))
		if n.SoftLineBreak() || n.HardLineBreak() {
			b.WriteByte(' ')
		}
		return
	case *ast.String:
		b.Write(n.Value)
		return
	case *ast.AutoLink:
		b.Write(n.Label(a.src))
		return
	case *ast.FencedCodeBlock, *ast.CodeBlock:
		for i := 0; i < n.Lines().Len(); i++ {
			seg := n.Lines().At(i)
			b.Write(seg.Value(a.src))
		}
		return
	case *ast.RawHTML, *ast.HTMLBlock:
		return
	}
	for c := n.FirstChild(); c != nil; c = c.NextSibling() {
		if c.Type() == ast.TypeBlock && b.Len() > 0 && !strings.HasSuffix(b.String(), "\n") {
			b.WriteByte('\n')
		}
		a.writePlain(b, c)
	}
}

// slugify makes the default anchor of a heading: lower-case ASCII letters
// and digits, every other run of characters a single '-'.
func slugify(title string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(title) {
		if r < unicode.MaxASCII && (unicode.IsLetter(r) || unicode.IsDigit(r)) {
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			dash = false
			b.WriteRune(r)
			continue
		}
		dash = true
	}
	return b.String()
}
