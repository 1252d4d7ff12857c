package compare

import (
	"cmp"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
)

// Problem is one thing wrong with an article, located to the line, phrased
// so that an author knows what to change.
type Problem struct {
	File   string
	Line   int // 1-based; 0 when the problem concerns the whole file
	Column int // 1-based, in characters; 0 when not known
	Msg    string
	// Hint says how to fix it, when Msg alone does not (editors show it
	// apart from the message; the text form appends it after ": ").
	Hint string
}

func (p Problem) Error() string {
	msg := p.Msg
	if p.Hint != "" {
		msg += ": " + p.Hint
	}
	if p.Line > 0 {
		return fmt.Sprintf("%s:%d: %s", p.File, p.Line, msg)
	}
	return fmt.Sprintf("%s: %s", p.File, msg)
}

// Problems is every problem found in one or more articles. It is an error
// so a loader can return all of them at once rather than stop at the first.
type Problems []Problem

func (ps Problems) Error() string {
	lines := make([]string, len(ps))
	for i, p := range ps {
		lines[i] = p.Error()
	}
	return strings.Join(lines, "\n")
}

// Sort orders problems by file, then line, so output is stable.
func (ps Problems) Sort() {
	slices.SortStableFunc(ps, func(a, b Problem) int {
		return cmp.Or(cmp.Compare(a.File, b.File), cmp.Compare(a.Line, b.Line))
	})
}

// Err returns ps as an error, or nil when there are none.
func (ps Problems) Err() error {
	if len(ps) == 0 {
		return nil
	}
	return ps
}

// Summary is "N problems in M files", in the singular where it applies:
// the last line of a problem list, and the short form logs carry.
func (ps Problems) Summary() string {
	files := map[string]bool{}
	for _, p := range ps {
		files[p.File] = true
	}
	return plural(len(ps), "problem") + " in " + plural(len(files), "file")
}

func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return fmt.Sprintf("%d %ss", n, word)
}

// In returns the problems with each file named by its path from the working
// folder (dir/file), which editors and terminals can open.
func (ps Problems) In(dir string) Problems {
	out := make(Problems, len(ps))
	for i, p := range ps {
		p.File = filepath.Join(dir, p.File)
		out[i] = p
	}
	return out
}
