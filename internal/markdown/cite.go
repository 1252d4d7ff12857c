package markdown

import (
	"bytes"
	"html"
	"strconv"
	"strings"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// kindCitation is the AST kind of a Pandoc-style citation.
var kindCitation = ast.NewNodeKind("Citation")

// citeRef is one resolved key of a citation: the 1-based number of the
// source in the front matter and its title, for the link and its label.
type citeRef struct {
	Key   string
	N     int // 0 while unresolved, deferred in a category's files
	Title string
}

// deferred marks a citation numbered later, across a category's files.
const deferred = -1

// citation is an inline node for `[@key]` or `[@a; @b]`. The parser only
// records the keys; the article walk resolves them against the front
// matter's sources (so an unknown key becomes a file:line problem) and
// fills in N and Title before anything is rendered.
type citation struct {
	ast.BaseInline
	Refs []citeRef
}

func (n *citation) Kind() ast.NodeKind { return kindCitation }

func (n *citation) Dump(source []byte, level int) {
	keys := make([]string, len(n.Refs))
	for i, r := range n.Refs {
		keys[i] = r.Key
	}
	ast.DumpHelper(n, source, level, map[string]string{"Keys": strings.Join(keys, ";")}, nil)
}

type citationParser struct{}

// Trigger shares '[' with goldmark's link parser; the citation parser is
// registered with a higher priority (a lower number) so it sees `[@` first
// and gives the bracket back (returns nil) whenever the text is not a
// citation, such as `[@user](https://…)`, which stays a link.
func (citationParser) Trigger() []byte { return []byte{'['} }

func (citationParser) Parse(parent ast.Node, block text.Reader, pc parser.Context) ast.Node {
	line, seg := block.PeekLine()
	if len(line) < 3 || line[0] != '[' || line[1] != '@' {
		return nil
	}
	end := bytes.IndexByte(line, ']')
	if end < 0 {
		return nil
	}
	inner := line[1:end]
	if bytes.ContainsAny(inner, "[\n\r") {
		return nil
	}
	if end+1 < len(line) && (line[end+1] == '(' || line[end+1] == '[') {
		return nil // a link or reference link whose text starts with '@'
	}
	var refs []citeRef
	for part := range bytes.SplitSeq(inner, []byte{';'}) {
		part = bytes.TrimSpace(part)
		if len(part) < 2 || part[0] != '@' {
			return nil
		}
		refs = append(refs, citeRef{Key: string(bytes.TrimSpace(part[1:]))})
	}
	n := &citation{Refs: refs}
	n.SetPos(seg.Start)
	block.Advance(end + 1)
	return n
}

type citationRenderer struct{}

func (citationRenderer) RegisterFuncs(reg renderer.NodeRendererFuncRegisterer) {
	reg.Register(kindCitation, renderCitation)
}

// renderCitation writes one numbered link per key. An unresolved key is only
// rendered on the error path (the article is refused), as its escaped text.
func renderCitation(w util.BufWriter, _ []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	if !entering {
		return ast.WalkSkipChildren, nil
	}
	for _, r := range node.(*citation).Refs {
		if r.N == deferred {
			_, _ = w.WriteString(`<a class="cite" href="#source-`)
			_, _ = w.WriteString(html.EscapeString(r.Key))
			_, _ = w.WriteString(`">[`)
			_, _ = w.WriteString(CiteNumber(r.Key))
			_, _ = w.WriteString(`]<span class="visually-hidden"> source: `)
			_, _ = w.WriteString(CiteTitle(r.Key))
			_, _ = w.WriteString(`</span></a>`)
			continue
		}
		if r.N == 0 {
			_, _ = w.WriteString(html.EscapeString("[@" + r.Key + "]"))
			continue
		}
		_, _ = w.WriteString(`<a class="cite" href="#source-`)
		_, _ = w.WriteString(html.EscapeString(r.Key))
		_, _ = w.WriteString(`">[`)
		_, _ = w.WriteString(strconv.Itoa(r.N))
		// The title is in the link's text, visually hidden, rather than in an
		// aria-label: a name that does not contain the visible "[1]" fails
		// WCAG 2.5.3 (label in name) for speech-input users.
		_, _ = w.WriteString(`]<span class="visually-hidden"> source: `)
		_, _ = w.WriteString(html.EscapeString(r.Title))
		_, _ = w.WriteString(`</span></a>`)
	}
	return ast.WalkSkipChildren, nil
}

type citations struct{}

// Citations is a goldmark extension for Pandoc-style citations, `[@key]` and
// `[@a; @b]`, so authors cite sources in place with the syntax they already
// know from Pandoc rather than with hand-written links that can drift from
// the sources list.
var Citations goldmark.Extender = &citations{}

func (*citations) Extend(m goldmark.Markdown) {
	m.Parser().AddOptions(parser.WithInlineParsers(
		// 199: just before goldmark's link parser (200), which shares '['.
		util.Prioritized(citationParser{}, 199),
	))
	m.Renderer().AddOptions(renderer.WithNodeRenderers(
		util.Prioritized(citationRenderer{}, 500),
	))
}
