package markdown

import (
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"go.yaml.in/yaml/v4"
)

// fastYAML reads the plain shape that front matter almost always has, and
// builds the very node tree the YAML library would: block mappings and
// sequences indented with spaces, keys of letters, digits, '_' and '-',
// one-line plain, single- or double-quoted scalars, and one-line flow
// sequences and mappings of such scalars. It returns ok false as soon as
// the input holds anything else (a comment, a tab, an anchor, a tag, a
// block or multi-line scalar, an escape, an empty value, a number that is
// not a plain integer, any error): the library then reads it and has the
// final word, including every error message with its line and column.
//
// Why it exists: go.yaml.in/yaml/v4's scanner took about half of all the
// time start-up spends parsing (1.2 ms of 2.6 ms for a synthetic article's
// 19 KB of front matter), and the catalog parses every file before the
// site is ready. FuzzFastYAML proves that whatever it accepts, the
// library reads to the same tree: kinds, styles, tags, values, lines and
// columns.
//
// The tree's nodes are cut from pooled chunks: release returns them, and
// the tree must not be used after it (the markdown package keeps strings
// from the tree, never nodes).
func fastYAML(src []byte) (root *yaml.Node, release func(), ok bool) {
	p := &fastParser{src: string(src)}
	release = p.release
	if !p.split() {
		p.release()
		return nil, nil, false
	}
	i := p.skipBlank(0)
	if i == len(p.lines) {
		p.release()
		return nil, nil, false // empty: the library says so
	}
	doc := p.node(yaml.Node{Kind: yaml.DocumentNode, Line: i + 1, Column: p.lines[i].indent + 1})
	n, next, ok := p.block(i, p.lines[i].indent)
	if !ok || p.skipBlank(next) != len(p.lines) {
		p.release()
		return nil, nil, false
	}
	doc.Content = []*yaml.Node{n}
	return doc, release, true
}

type fastLine struct {
	text   string // without the indentation
	indent int    // leading spaces
	start  int    // offset of text in src, for columns
	lstart int    // offset of the line in src
}

type fastParser struct {
	src    string
	lines  []fastLine
	slab   []yaml.Node    // nodes are cut from it
	chunks []*[]yaml.Node // the chunks slab came from, for release
}

// nodeChunks are chunks of nodes that earlier trees were cut from. A
// synthetic article's front matter is about a thousand nodes of 160
// bytes, which was a fifth of all a start-up parse allocated; reusing
// them leaves the collector less to do. Every field of a reused node is
// set again by node.
var nodeChunks = sync.Pool{New: func() any { s := make([]yaml.Node, 256); return &s }}

// node returns a new node set to n, cut from the current chunk.
func (p *fastParser) node(n yaml.Node) *yaml.Node {
	if len(p.slab) == 0 {
		c := nodeChunks.Get().(*[]yaml.Node)
		p.chunks = append(p.chunks, c)
		p.slab = *c
	}
	q := &p.slab[0]
	*q = n
	p.slab = p.slab[1:]
	return q
}

// release returns the chunks to the pool, for the next tree.
func (p *fastParser) release() {
	for _, c := range p.chunks {
		nodeChunks.Put(c)
	}
	p.chunks, p.slab = nil, nil
}

// split cuts src into lines and refuses what this reader never handles:
// tabs, carriage returns, comments, directives and document markers.
func (p *fastParser) split() bool {
	s := p.src
	p.lines = make([]fastLine, 0, strings.Count(s, "\n")+1)
	ascii := true
	for off := 0; off < len(s); {
		// One pass over the line finds where it ends and any byte this
		// reader refuses: a tab, a carriage return, another control
		// character, or a " #" that would start a comment.
		end := off
		for ; end < len(s); end++ {
			c := s[end]
			if c >= 0x20 && c < 0x7f && c != '#' {
				continue
			}
			if c == '\n' {
				break
			}
			if c >= utf8.RuneSelf {
				ascii = false
				continue
			}
			if c != '#' || end > off && s[end-1] == ' ' {
				return false // a control character, or a comment
			}
		}
		line := s[off:end]
		text := strings.TrimLeft(line, " ")
		indent := len(line) - len(text)
		text = strings.TrimRight(text, " ")
		if text != "" && (text[0] == '#' || text[0] == '%' && indent == 0 ||
			indent == 0 && (strings.HasPrefix(text, "---") || strings.HasPrefix(text, "..."))) {
			return false
		}
		p.lines = append(p.lines, fastLine{text: text, indent: indent, start: off + indent, lstart: off})
		off = end + 1
	}
	return ascii || printable(s)
}

// printable says whether s holds only characters YAML allows in a stream
// and treats as text: no control characters, no invalid UTF-8, no byte
// order mark and none of the characters it counts as line breaks (NEL,
// U+2028, U+2029) besides '\n'.
func printable(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c >= utf8.RuneSelf {
			if !utf8.ValidString(s[i:]) {
				return false
			}
			for _, r := range s[i:] {
				switch {
				case r == '\n' || r >= 0x20 && r <= 0x7e:
				case r >= 0xa0 && r <= 0xd7ff && r != 0x2028 && r != 0x2029:
				case r >= 0xe000 && r <= 0xfffd && r != 0xfeff:
				case r >= 0x10000 && r <= 0x10ffff:
				default:
					return false
				}
			}
			return true
		} else if c < 0x20 && c != '\n' || c == 0x7f {
			return false
		}
	}
	return true
}

func (p *fastParser) skipBlank(i int) int {
	for i < len(p.lines) && p.lines[i].text == "" {
		i++
	}
	return i
}

// col is the 1-based column, in characters as the library counts them, of
// byte offset off of src.
func (p *fastParser) col(line, off int) int {
	return utf8.RuneCountInString(p.src[p.lines[line].lstart:off]) + 1
}

func isItem(text string) bool {
	return text == "-" || strings.HasPrefix(text, "- ")
}

// block reads the mapping or sequence whose first line is i, at indent.
func (p *fastParser) block(i, indent int) (*yaml.Node, int, bool) {
	if isItem(p.lines[i].text) {
		return p.sequence(i, indent)
	}
	return p.mapping(i, indent)
}

// keyEnd returns the length of the key when text starts `key:` followed
// by a space or the end of the line, else 0.
func keyEnd(text string) int {
	k := 0
	for k < len(text) && (text[k] >= 'a' && text[k] <= 'z' || text[k] >= 'A' && text[k] <= 'Z' || text[k] >= '0' && text[k] <= '9' || text[k] == '_' || text[k] == '-') {
		k++
	}
	if k == 0 || k == len(text) || text[k] != ':' || k+1 < len(text) && text[k+1] != ' ' {
		return 0
	}
	return k
}

// entry finds the next line with text from line i for the block at
// indent: done when the block has ended there (the end of the input, or a
// line indented less), ok false for a line indented more.
func (p *fastParser) entry(i, indent int) (next int, done, ok bool) {
	i = p.skipBlank(i)
	if i == len(p.lines) || p.lines[i].indent < indent {
		return i, true, true
	}
	return i, false, p.lines[i].indent == indent
}

func (p *fastParser) mapping(i, indent int) (*yaml.Node, int, bool) {
	m := p.node(yaml.Node{Kind: yaml.MappingNode, Tag: "!!map", Line: i + 1, Column: p.col(i, p.lines[i].start)})
	for {
		next, done, ok := p.entry(i, indent)
		if done {
			return m, next, true
		}
		if !ok {
			return nil, 0, false
		}
		i = next
		l := p.lines[i]
		if isItem(l.text) {
			return nil, 0, false // an item where a key belongs
		}
		key, k, ok := p.blockKey(l.text, i, l.start)
		if !ok {
			return nil, 0, false
		}
		rest := strings.TrimLeft(l.text[k+1:], " ")
		var v *yaml.Node
		if rest != "" {
			v, ok = p.inline(rest, i, l.start+len(l.text)-len(rest))
			i++
			if !ok || p.deeper(i, indent) {
				return nil, 0, false // a multi-line value
			}
		} else {
			j := p.skipBlank(i + 1)
			switch {
			case j < len(p.lines) && p.lines[j].indent > indent:
				v, i, ok = p.block(j, p.lines[j].indent)
			case j < len(p.lines) && p.lines[j].indent == indent && isItem(p.lines[j].text):
				v, i, ok = p.sequence(j, indent)
			default:
				ok = false // an empty value: null, left to the library
			}
			if !ok {
				return nil, 0, false
			}
		}
		m.Content = append(m.Content, key, v)
	}
}

// blockKey reads the key a mapping's line starts with, plain (`key:`) or
// quoted (`"key":`), and returns it with the offset of its colon.
func (p *fastParser) blockKey(text string, line, off int) (*yaml.Node, int, bool) {
	if text[0] == '"' || text[0] == '\'' {
		end := strings.IndexByte(text[1:], text[0]) + 2
		if end < 2 || end >= len(text) || text[end] != ':' || end+1 < len(text) && text[end+1] != ' ' {
			return nil, 0, false
		}
		key, ok := p.inline(text[:end], line, off)
		return key, end, ok
	}
	k := keyEnd(text)
	if k == 0 {
		return nil, 0, false
	}
	key, ok := p.plainScalar(text[:k], line+1, p.col(line, off))
	return key, k, ok
}

// deeper says whether the next line with text is indented past indent,
// which would continue the value on the line before.
func (p *fastParser) deeper(i, indent int) bool {
	i = p.skipBlank(i)
	return i < len(p.lines) && p.lines[i].indent > indent
}

func (p *fastParser) sequence(i, indent int) (*yaml.Node, int, bool) {
	s := p.node(yaml.Node{Kind: yaml.SequenceNode, Tag: "!!seq", Line: i + 1, Column: p.col(i, p.lines[i].start)})
	for {
		next, done, ok := p.entry(i, indent)
		if done {
			return s, next, true
		}
		if !ok {
			return nil, 0, false
		}
		i = next
		l := p.lines[i]
		if !isItem(l.text) {
			return s, i, true // the next key of the mapping this sequence is a value in
		}
		rest := strings.TrimLeft(l.text[1:], " ")
		if rest == "" || isItem(rest) {
			return nil, 0, false // a nested or empty item
		}
		off := l.start + len(l.text) - len(rest)
		var v *yaml.Node
		if keyEnd(rest) > 0 {
			// `- key: value`: a mapping indented to its first key, read
			// as if the dash were a space.
			inner := indent + (off - l.start)
			p.lines[i] = fastLine{text: rest, indent: inner, start: off, lstart: l.lstart}
			v, i, ok = p.mapping(i, inner)
		} else {
			v, ok = p.inline(rest, i, off)
			i++
			if ok && p.deeper(i, indent) {
				ok = false
			}
		}
		if !ok {
			return nil, 0, false
		}
		s.Content = append(s.Content, v)
	}
}

// inline reads a value that sits on one line: a scalar, or a flow
// sequence or mapping of scalars. off is its offset in src.
func (p *fastParser) inline(text string, line, off int) (*yaml.Node, bool) {
	col := p.col(line, off)
	switch text[0] {
	case '"':
		end := strings.IndexByte(text[1:], '"')
		if end < 0 || strings.IndexByte(text[1:end+1], '\\') >= 0 || strings.TrimLeft(text[end+2:], " ") != "" {
			return nil, false
		}
		return p.node(yaml.Node{Kind: yaml.ScalarNode, Style: yaml.DoubleQuotedStyle, Tag: "!!str", Value: text[1 : end+1], Line: line + 1, Column: col}), true
	case '\'':
		var b strings.Builder
		for j := 1; j < len(text); j++ {
			if text[j] != '\'' {
				b.WriteByte(text[j])
				continue
			}
			if j+1 < len(text) && text[j+1] == '\'' {
				b.WriteByte('\'')
				j++
				continue
			}
			if strings.TrimLeft(text[j+1:], " ") != "" {
				return nil, false
			}
			return p.node(yaml.Node{Kind: yaml.ScalarNode, Style: yaml.SingleQuotedStyle, Tag: "!!str", Value: b.String(), Line: line + 1, Column: col}), true
		}
		return nil, false
	case '[', '{':
		n, used, ok := p.flow(text, line, off)
		if !ok || strings.TrimLeft(text[used:], " ") != "" {
			return nil, false
		}
		return n, true
	}
	if strings.Contains(text, ": ") || strings.HasSuffix(text, ":") {
		return nil, false
	}
	return p.plainScalar(text, line+1, col)
}

// flow reads the flow sequence or mapping that text starts with (`[a, b]`,
// `{k: v, j: [x, 'y']}`), all on one line; off is text's offset in src.
// It returns the node and the bytes of text it took.
func (p *fastParser) flow(text string, line, off int) (*yaml.Node, int, bool) {
	n := p.node(yaml.Node{Kind: yaml.SequenceNode, Tag: "!!seq", Style: yaml.FlowStyle, Line: line + 1, Column: p.col(line, off)})
	closer := byte(']')
	if text[0] == '{' {
		n.Kind, n.Tag, closer = yaml.MappingNode, "!!map", '}'
	}
	i := 1
	for {
		for i < len(text) && text[i] == ' ' {
			i++
		}
		if i == len(text) || text[i] == closer || text[i] == ',' {
			return nil, 0, false // unclosed, empty, or an empty item: left to the library
		}
		if n.Kind == yaml.MappingNode {
			k := keyEnd(text[i:])
			if k == 0 {
				return nil, 0, false
			}
			key, ok := p.plainScalar(text[i:i+k], line+1, p.col(line, off+i))
			if !ok {
				return nil, 0, false
			}
			n.Content = append(n.Content, key)
			i += k + 1
			for i < len(text) && text[i] == ' ' {
				i++
			}
			if i == len(text) {
				return nil, 0, false
			}
		}
		v, used, ok := p.flowValue(text[i:], line, off+i)
		if !ok {
			return nil, 0, false
		}
		n.Content = append(n.Content, v)
		i += used
		for i < len(text) && text[i] == ' ' {
			i++
		}
		switch {
		case i < len(text) && text[i] == closer:
			return n, i + 1, true
		case i < len(text) && text[i] == ',':
			i++
		default:
			return nil, 0, false
		}
	}
}

// flowValue reads one item of a flow collection: a nested collection, a
// quoted scalar, or a plain scalar up to the next ',', ']' or '}'.
func (p *fastParser) flowValue(text string, line, off int) (*yaml.Node, int, bool) {
	switch text[0] {
	case '[', '{':
		return p.flow(text, line, off)
	case '"', '\'':
		end := strings.IndexByte(text[1:], text[0])
		if end < 0 {
			return nil, 0, false
		}
		v, ok := p.inline(text[:end+2], line, off)
		return v, end + 2, ok
	}
	end := strings.IndexAny(text, ",]}")
	if end < 0 {
		return nil, 0, false
	}
	s := strings.TrimRight(text[:end], " ")
	if strings.ContainsAny(s, ":[{") {
		return nil, 0, false
	}
	v, ok := p.plainScalar(s, line+1, p.col(line, off))
	return v, end, ok
}

// plainScalar is an unquoted scalar with the tag the library resolves it
// to, for the values whose tag is certain; any other is refused.
func (p *fastParser) plainScalar(s string, line, col int) (*yaml.Node, bool) {
	if s == "" || strings.ContainsRune("-?:,[]{}#&*!|>'\"%@`", rune(s[0])) { // " #" anywhere was refused by split
		return nil, false
	}
	tag, ok := plainTag(s)
	if !ok {
		return nil, false
	}
	return p.node(yaml.Node{Kind: yaml.ScalarNode, Tag: tag, Value: s, Line: line, Column: col}), true
}

// plainTag follows go.yaml.in/yaml/v4's resolver (internal/libyaml's
// resolve) for the cases it is sure of: a first byte the resolver does not
// look further at is a string; true and false, the nulls and "<<" are
// looked up; a run of digits without a leading zero is an int, a valid
// YYYY-MM-DD a timestamp. Anything else that starts with a digit, a sign
// or a dot is refused.
func plainTag(s string) (string, bool) {
	c := s[0]
	switch {
	case strings.IndexByte("yYnNtTfFoO~<", c) >= 0:
		switch s {
		case "true", "True", "TRUE", "false", "False", "FALSE":
			return "!!bool", true
		case "~", "null", "Null", "NULL":
			return "!!null", true
		case "<<":
			return "", false
		}
		return "!!str", true
	case c >= '0' && c <= '9':
		if len(s) <= 18 && (s == "0" || c != '0') && strings.Trim(s, "0123456789") == "" {
			return "!!int", true
		}
		if len(s) == 10 && s[4] == '-' && s[7] == '-' && strings.Trim(s[:4]+s[5:7]+s[8:], "0123456789") == "" {
			if _, err := time.Parse("2006-1-2", s); err == nil {
				return "!!timestamp", true
			}
		}
		return "", false
	case c == '+' || c == '-' || c == '.':
		return "", false
	}
	return "!!str", true
}
