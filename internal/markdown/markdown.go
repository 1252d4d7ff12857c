// Package markdown turns one article file into a compare.Comparison: it
// splits the YAML front matter, parses the body with goldmark and walks the
// AST into typed values. Every problem it finds carries file:line.
package markdown

import "github.com/versus-dev/versus/internal/compare"

// Parse reads one article. name is the file's path as it should appear in
// messages. It returns every problem found (as compare.Problems), not just
// the first; the comparison is nil when there are any.
func Parse(name string, src []byte) (*compare.Comparison, error) {
	panic("markdown: not implemented yet")
}
