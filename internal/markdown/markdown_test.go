package markdown

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/versus-dev/versus/internal/compare"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/golden")

// TestValid parses every fixture under testdata/valid and compares the whole
// comparison, as JSON, with its golden file.
func TestValid(t *testing.T) {
	files, err := filepath.Glob("testdata/valid/*.md")
	if err != nil || len(files) == 0 {
		t.Fatalf("no valid fixtures: %v", err)
	}
	for _, file := range files {
		name := strings.TrimSuffix(filepath.Base(file), ".md")
		t.Run(name, func(t *testing.T) {
			src, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			c, err := Parse(filepath.Base(file), src)
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			sameAsCheck(t, filepath.Base(file), src)
			got, err := json.MarshalIndent(c, "", "  ")
			if err != nil {
				t.Fatal(err)
			}
			got = append(got, '\n')
			golden := filepath.Join("testdata", "golden", name+".json")
			if *update {
				if err := os.WriteFile(golden, got, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test -update to create it)", err)
			}
			if string(got) != string(want) {
				t.Errorf("Parse(%s) differs from %s (run go test -update and review the diff):\n%s", file, golden, firstDiff(string(want), string(got)))
			}
		})
	}
}

// firstDiff shows the first differing line, enough to see what changed.
func firstDiff(want, got string) string {
	wl, gl := strings.Split(want, "\n"), strings.Split(got, "\n")
	for i := 0; i < len(wl) || i < len(gl); i++ {
		var w, g string
		if i < len(wl) {
			w = wl[i]
		}
		if i < len(gl) {
			g = gl[i]
		}
		if w != g {
			return "line " + strconv.Itoa(i+1) + ":\n want: " + w + "\n  got: " + g
		}
	}
	return "(no line differs)"
}

// TestContent parses every real article of the site: a published article
// must never have a problem.
func TestContent(t *testing.T) {
	fsys := os.DirFS("../../content")
	names, err := fs.Glob(fsys, "*.md")
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range names {
		if strings.EqualFold(name, "README.md") {
			continue
		}
		t.Run(name, func(t *testing.T) {
			src, err := fs.ReadFile(fsys, name)
			if err != nil {
				t.Fatal(err)
			}
			c, err := Parse(name, src)
			if err != nil {
				t.Fatalf("content/%s has problems:\n%v", name, err)
			}
			if len(c.Subjects) < 2 || len(c.Glance.Rows) == 0 || c.Verdict == "" || c.Intro == "" {
				t.Errorf("content/%s parsed without subjects, glance rows, intro or verdict: %+v", name, c)
			}
		})
	}
}

// problemsOf parses src and returns its problems as strings.
func problemsOf(t *testing.T, name string, src []byte) []string {
	t.Helper()
	c, err := Parse(name, src)
	if err == nil {
		t.Fatalf("Parse(%s) succeeded, want problems", name)
	}
	if c != nil {
		t.Errorf("Parse(%s) returned a comparison along with problems", name)
	}
	var ps compare.Problems
	if !errors.As(err, &ps) {
		t.Fatalf("Parse(%s) error is %T, want compare.Problems: %v", name, err, err)
	}
	out := make([]string, len(ps))
	for i, p := range ps {
		out[i] = p.Error()
	}
	sameAsCheck(t, name, src)
	return out
}

// sameAsCheck: Check, which renders nothing, finds exactly the problems
// ParseReport finds, and keeps what the catalog's summary reads.
func sameAsCheck(t testing.TB, name string, src []byte) {
	t.Helper()
	full, want := ParseReport(name, src)
	c, got := Check(name, bytes.Clone(src)) // Check takes its input over
	if got.Error() != want.Error() || (c == nil) != (full == nil) {
		t.Fatalf("Check(%s) = %v, %q; ParseReport = %v, %q", name, c != nil, got.Error(), full != nil, want.Error())
	}
	if c != nil && (c.Slug != full.Slug || c.Title != full.Title || c.Description != full.Description || !c.Reviewed.Equal(full.Reviewed) ||
		c.Draft != full.Draft || !slices.Equal(c.Tags, full.Tags) || !reflect.DeepEqual(c.Subjects, full.Subjects)) {
		t.Fatalf("Check(%s) summary differs from ParseReport's", name)
	}
}
