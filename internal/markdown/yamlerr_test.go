package markdown

import (
	"errors"
	"strings"
	"testing"

	"github.com/versus-dev/versus/content"
	"github.com/versus-dev/versus/internal/compare"
)

// TestYAMLSyntaxErrors breaks the base article's front matter the ways
// authors do and expects each problem at the line and column where the fix
// goes, with a hint that fits it. Line numbers refer to the file.
func TestYAMLSyntaxErrors(t *testing.T) {
	tests := []struct {
		name     string
		old, new string
		line     int
		col      int
		want     string // the whole text form
	}{
		{name: "tab in the indentation", old: "    name: Beta", new: "\tname: Beta",
			line: 11, col: 1, want: `t.md:11: front matter is not valid YAML at column 1: a tab in the indentation: indent YAML with spaces only`},
		{name: "tab after spaces", old: "    name: Beta", new: "  \tname: Beta",
			line: 11, col: 3, want: `t.md:11: front matter is not valid YAML at column 3: a tab in the indentation: indent YAML with spaces only`},
		{name: "colon in a value", old: "description: Test article.", new: "description: Test: article.",
			line: 3, col: 18, want: `t.md:3: front matter is not valid YAML at column 18: ": " inside a value: put the value in quotes, like description: "Test: article."`},
		{name: "colon in a list item's value", old: "    summary: Test subject b.", new: "    summary: Test: subject b.",
			line: 12, col: 18, want: `t.md:12: front matter is not valid YAML at column 18: ": " inside a value: put the value in quotes, like summary: "Test: subject b."`},
		{name: "missing closing double quote", old: "title: Test A vs B", new: `title: "Test A vs B`,
			line: 2, col: 8, want: `t.md:2: front matter is not valid YAML at column 8: the value that opens with " is never closed: add the closing " at the end of the value`},
		{name: "missing closing single quote", old: "title: Test A vs B", new: `title: 'Test A vs B`,
			line: 2, col: 8, want: `t.md:2: front matter is not valid YAML at column 8: the value that opens with ' is never closed: add the closing ' at the end of the value`},
		{name: "apostrophe in single quotes", old: "title: Test A vs B", new: `title: 'Test A's B'`,
			line: 2, col: 15, want: `t.md:2: front matter is not valid YAML at column 15: this ' ends the quoted value early: inside 'single quotes' write '' for an apostrophe, or put the whole value in "double quotes"`},
		{name: "list item at the wrong indent", old: "  - key: b", new: " - key: b",
			line: 10, col: 2, want: `t.md:10: front matter is not valid YAML at column 2: this list item is not indented like the items before it: line its - up with the - of the other items`},
		{name: "field indented less than its siblings", old: "    summary: Test subject b.", new: "   summary: Test subject b.",
			line: 12, col: 4, want: `t.md:12: front matter is not valid YAML at column 4: this line is not indented like the fields around it: line it up with the fields of the same level, using spaces`},
		{name: "field indented more than its siblings", old: "    summary: Test subject b.", new: "      summary: Test subject b.",
			line: 12, col: 7, want: `t.md:12: front matter is not valid YAML at column 7: this line is indented more than the field above it: line it up with the fields of the same level, or quote the value above if it really goes on here`},
		{name: "unclosed flow sequence", old: "reviewed: 2026-01-01", new: "reviewed: 2026-01-01\ntags: [a, b",
			line: 5, col: 7, want: `t.md:5: front matter is not valid YAML at column 7: the [ that opens here is never closed: add ] after the last item, with a comma between items`},
		{name: "unclosed flow mapping", old: "favors: {a: 2}", new: "favors: {a: 2",
			line: 23, col: 17, want: `t.md:23: front matter is not valid YAML at column 17: the { that opens here is never closed: add } after the last item, with a comma between items`},
		{name: "field without colon", old: "description: Test article.", new: "description Test article.",
			line: 3, col: 1, want: "t.md:3: front matter is not valid YAML at column 1: this line has no `:` after its field name: write `field: value`, or indent the line if it continues the value above"},
		{name: "list on the field's line", old: "reviewed: 2026-01-01", new: "reviewed: 2026-01-01\ntags: - web",
			line: 5, col: 7, want: `t.md:5: front matter is not valid YAML at column 7: a - list item on the same line as its field: start each item on its own line below the field, indented, or write the list as [a, b]`},
		{name: "value starting with @", old: "title: Test A vs B", new: "title: @Test A vs B",
			line: 2, col: 8, want: `t.md:2: front matter is not valid YAML at column 8: a value cannot start with @: put the value in quotes`},
		{name: "value starting with a backtick", old: "title: Test A vs B", new: "title: `Test` A vs B",
			line: 2, col: 8, want: "t.md:2: front matter is not valid YAML at column 8: a value cannot start with `: put the value in quotes"},
		{name: "unknown escape", old: "title: Test A vs B", new: `title: "Test A\q B"`,
			line: 2, col: 15, want: `t.md:2: front matter is not valid YAML at column 15: an unknown \ escape in a "double-quoted" value: write \\ for a backslash, or use 'single quotes', where \ has no special meaning`},
		{name: "comment glued to a value", old: "cites: [s1]", new: "cites: [s1]# main source",
			line: 30, col: 20, want: `t.md:30: front matter is not valid YAML at column 20: # right after a value: put a space before # to start a comment, or quote the value`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse("t.md", []byte(mustReplace(t, base, tt.old, tt.new)))
			var ps compare.Problems
			if !errors.As(err, &ps) {
				t.Fatalf("want problems, got %v", err)
			}
			if len(ps) != 1 {
				t.Fatalf("want one problem, got %d:\n%v", len(ps), ps)
			}
			p := ps[0]
			if p.Line != tt.line || p.Column != tt.col {
				t.Errorf("at %d:%d, want %d:%d", p.Line, p.Column, tt.line, tt.col)
			}
			if p.Hint == "" || p.Hint == yamlGenericHint {
				t.Errorf("hint %q: want one that fits the error", p.Hint)
			}
			if got := p.Error(); got != tt.want {
				t.Errorf("message:\n got: %s\nwant: %s", got, tt.want)
			}
		})
	}
}

// TestYAMLErrorsInEveryKind checks that category, subject and article files
// report YAML errors the same way: a real file of each kind with a
// tab-indented line inserted after its first field.
func TestYAMLErrorsInEveryKind(t *testing.T) {
	parsers := map[string]func(string, []byte) error{
		"category.md":        func(n string, b []byte) error { _, err := ParseCategory(n, b); return err },
		"django.md":          func(n string, b []byte) error { _, err := ParseSubject(n, b); return err },
		"django-vs-flask.md": func(n string, b []byte) error { _, err := ParseArticle(n, b); return err },
	}
	for file, parse := range parsers {
		t.Run(file, func(t *testing.T) {
			src, err := content.FS.ReadFile("python-web-frameworks/" + file)
			if err != nil {
				t.Fatal(err)
			}
			first, rest, _ := strings.Cut(string(src), "\n")
			second, rest, _ := strings.Cut(rest, "\n")
			broken := first + "\n" + second + "\n\tstray: tab\n" + rest
			err = parse(file, []byte(broken))
			want := file + ":3: front matter is not valid YAML at column 1: a tab in the indentation: indent YAML with spaces only"
			if err == nil || err.Error() != want {
				t.Errorf("got %v\nwant %s", err, want)
			}
		})
	}
}

// TestFieldColumns checks that problems found by walking the YAML carry the
// column of the key or value at fault, for editors and annotations.
func TestFieldColumns(t *testing.T) {
	tests := []struct {
		name, old, new string
		line, col      int
	}{
		{"unknown field", "title: Test A", "titel: Test A", 2, 1},
		{"field twice", "description: Test article.", "description: Test article.\ntitle: Again", 4, 1},
		{"bad date", "reviewed: 2026-01-01", "reviewed: 2026-13-01", 4, 11},
		{"map where a list is expected", "reviewed: 2026-01-01", "reviewed: 2026-01-01\ntags: {python: 1}", 5, 7},
		{"unknown subject field", "    name: Beta\n", "    name: Beta\n    homepage: https://b.example\n", 12, 5},
		{"weight out of range", "favors: {a: 2}", "favors: {a: 4}", 23, 21},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse("t.md", []byte(mustReplace(t, base, tt.old, tt.new)))
			var ps compare.Problems
			if !errors.As(err, &ps) {
				t.Fatalf("want problems, got %v", err)
			}
			if p := ps[0]; p.Line != tt.line || p.Column != tt.col {
				t.Errorf("%s at %d:%d, want %d:%d", p.Msg, p.Line, p.Column, tt.line, tt.col)
			}
		})
	}
}
