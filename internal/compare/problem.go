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
	// Severity is Error unless set: a warning (something unfinished) does
	// not stop the content loading, and fails `versus check` only with
	// -strict.
	Severity Severity
}

// Severity is how bad a Problem is.
type Severity uint8

const (
	SeverityError Severity = iota
	SeverityWarning
)

func (s Severity) String() string {
	if s == SeverityWarning {
		return "warning"
	}
	return "error"
}

// Text is the message with its hint, the way every plain-text output shows
// it (with the location in front).
func (p Problem) Text() string {
	if p.Hint != "" {
		return p.Msg + ": " + p.Hint
	}
	return p.Msg
}

func (p Problem) Error() string {
	msg := p.Text()
	if p.Severity == SeverityWarning {
		msg = "warning: " + msg
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

// HasErrors reports whether any problem is an error, not a warning.
func (ps Problems) HasErrors() bool {
	for _, p := range ps {
		if p.Severity == SeverityError {
			return true
		}
	}
	return false
}

// Strict returns the problems with every warning made an error, for a
// check that must fail on unfinished work (CI).
func (ps Problems) Strict() Problems {
	out := make(Problems, len(ps))
	for i, p := range ps {
		p.Severity = SeverityError
		out[i] = p
	}
	return out
}

// Summary is "N problems in M files", in the singular where it applies,
// with warnings counted apart ("1 problem and 2 warnings in 2 files"): the
// last line of a problem list, and the short form logs carry.
func (ps Problems) Summary() string {
	files := map[string]bool{}
	warnings := 0
	for _, p := range ps {
		files[p.File] = true
		if p.Severity == SeverityWarning {
			warnings++
		}
	}
	in := " in " + plural(len(files), "file")
	switch errs := len(ps) - warnings; {
	case warnings == 0:
		return plural(errs, "problem") + in
	case errs == 0:
		return plural(warnings, "warning") + in
	default:
		return plural(errs, "problem") + " and " + plural(warnings, "warning") + in
	}
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

// Unfinished marks text an author has still to write: `versus new` writes
// it in every placeholder, and the parser warns about each line that still
// holds it, so `versus check` lists what is left and `check -strict`
// refuses it.
const Unfinished = "TODO"
