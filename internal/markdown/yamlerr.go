package markdown

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"go.yaml.in/yaml/v4"
)

// yamlProblem is a YAML syntax error put in an author's terms: the line and
// column where the fix goes (both within the front matter, 1-based; 0 when
// the library gave none), what is wrong there, and how to fix it.
type yamlProblem struct {
	line, col  int
	what, hint string
}

// yamlGenericHint is for the errors the table below does not recognise.
const yamlGenericHint = "check this line's indentation (spaces only, lined up with the fields around it) and quote values that contain special characters (see content/README.md)"

// explainYAML turns the library's error into a yamlProblem. The library's
// Mark is where its scanner gave up, which is not always where the author
// must look: for a value whose quote is never closed or a [list that is
// never closed it is the end of the front matter, so the context mark (where
// the quote or bracket opened) is used instead.
func explainYAML(err error, fm []byte) yamlProblem {
	var le *yaml.LoadError
	if !errors.As(err, &le) {
		return yamlProblem{what: strings.TrimPrefix(err.Error(), "yaml: "), hint: yamlGenericHint}
	}
	p := yamlProblem{line: le.Mark.Line, col: le.Mark.Column}
	at := func(m yaml.Mark) {
		if m.Line > 0 {
			p.line, p.col = m.Line, m.Column
		}
	}
	text := lineText(fm, p.line)
	ch := charAt(text, p.col)
	msg := le.Message
	switch {
	case strings.Contains(msg, "tab") || ch == '\t' && strings.Contains(msg, "cannot start any token"):
		p.what = "a tab in the indentation"
		p.hint = "indent YAML with spaces only"
	case msg == "mapping values are not allowed in this context":
		if firstColon(text) == p.col {
			// `key: value` on a line indented deeper than the field above
			// it, so YAML reads the line as the rest of that field's value.
			p.col = indentEnd(text)
			p.what = "this line is indented more than the field above it"
			p.hint = "line it up with the fields of the same level, or quote the value above if it really goes on here"
		} else {
			p.what = `": " inside a value`
			p.hint = `put the value in quotes, like ` + quoteExample(text)
		}
	case msg == "found unexpected end of stream" && le.ContextMsg == "while scanning a quoted scalar":
		at(le.ContextMark)
		q := charAt(lineText(fm, p.line), p.col)
		p.what = fmt.Sprintf("the value that opens with %c is never closed", q)
		p.hint = fmt.Sprintf("add the closing %c at the end of the value", q)
	case msg == "found unknown escape character":
		p.what = `an unknown \ escape in a "double-quoted" value`
		p.hint = `write \\ for a backslash, or use 'single quotes', where \ has no special meaning`
	case strings.HasPrefix(msg, "did not find expected ',' or "):
		at(le.ContextMark)
		open, end := "[", "]"
		if strings.HasSuffix(msg, "'}'") {
			open, end = "{", "}"
		}
		p.what = fmt.Sprintf("the %s that opens here is never closed", open)
		p.hint = fmt.Sprintf("add %s after the last item, with a comma between items", end)
	case msg == "did not find expected key" || msg == "did not find expected '-' indicator":
		switch {
		case ch == '-':
			p.what = "this list item is not indented like the items before it"
			p.hint = "line its - up with the - of the other items"
		case closedQuote(text, p.col):
			p.col--
			p.what = fmt.Sprintf("this %c ends the quoted value early", charAt(text, p.col))
			p.hint = "inside 'single quotes' write '' for an apostrophe, or put the whole value in \"double quotes\""
		default:
			p.what = "this line is not indented like the fields around it"
			p.hint = "line it up with the fields of the same level, using spaces"
		}
	case msg == "could not find expected ':'":
		at(le.ContextMark)
		p.what = "this line has no `:` after its field name"
		p.hint = "write `field: value`, or indent the line if it continues the value above"
	case msg == "block sequence entries are not allowed in this context":
		p.what = "a - list item on the same line as its field"
		p.hint = "start each item on its own line below the field, indented, or write the list as [a, b]"
	case msg == "found character that cannot start any token":
		p.what = fmt.Sprintf("a value cannot start with %c", ch)
		p.hint = "put the value in quotes"
	case msg == "found a comment without preceding whitespace":
		p.what = "# right after a value"
		p.hint = "put a space before # to start a comment, or quote the value"
	default:
		p.what = msg
		p.hint = yamlGenericHint
	}
	return p
}

// lineText is line n (1-based) of b, without its newline.
func lineText(b []byte, n int) []byte {
	for i := 1; i < n; i++ {
		_, rest, ok := bytes.Cut(b, []byte("\n"))
		if !ok {
			return nil
		}
		b = rest
	}
	line, _, _ := bytes.Cut(b, []byte("\n"))
	return bytes.TrimSuffix(line, []byte("\r"))
}

// charAt is the character at a 1-based column, counted in characters as
// the YAML library counts them, or 0 past the end.
func charAt(line []byte, col int) rune {
	for i, c := 0, 1; i < len(line); c++ {
		r, size := utf8.DecodeRune(line[i:])
		if c == col {
			return r
		}
		i += size
	}
	return 0
}

// firstColon is the column of the first ": " (or final ":") on a line.
func firstColon(line []byte) int {
	s := string(line)
	i := strings.Index(s+" ", ": ")
	if i < 0 {
		return 0
	}
	return utf8.RuneCountInString(s[:i]) + 1
}

// closedQuote reports whether the character before col closes a quoted
// value that opened after the line's first ": ".
func closedQuote(line []byte, col int) bool {
	q := charAt(line, col-1)
	if q != '\'' && q != '"' {
		return false
	}
	_, v, ok := strings.Cut(string(line), ": ")
	v = strings.TrimSpace(v)
	return ok && v != "" && rune(v[0]) == q
}

// indentEnd is the column of a line's first character that is not a space.
func indentEnd(line []byte) int {
	return len(line) - len(bytes.TrimLeft(line, " ")) + 1
}

// quoteExample rewrites a `key: value` line with its value quoted.
func quoteExample(line []byte) string {
	s := strings.TrimSpace(string(line))
	s = strings.TrimPrefix(s, "- ")
	k, v, ok := strings.Cut(s, ": ")
	if !ok {
		return `title: "Django: the web framework"`
	}
	return k + `: "` + strings.ReplaceAll(v, `"`, `\"`) + `"`
}
