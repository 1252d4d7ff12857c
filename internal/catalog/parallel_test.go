package catalog

import (
	"context"
	"errors"
	"hash/maphash"
	"io/fs"
	"os"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/versus-dev/versus/internal/compare"
	"github.com/versus-dev/versus/internal/synth"
)

// mixedFS holds good synthetic articles, broken ones, one that cannot be
// read and a duplicate slug, so both the comparisons and the problems of a
// parallel parse can be compared with a one-by-one parse.
func mixedFS(t *testing.T) fstest.MapFS {
	t.Helper()
	fsys := synth.FS(24)
	broken, err := os.ReadFile("testdata/onebroken/broken.md")
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"a-broken.md", "m-broken.md", "z-broken.md"} {
		fsys[name] = &fstest.MapFile{Data: broken}
	}
	fsys["unreadable.md"] = &fstest.MapFile{Mode: fs.ModeDir} // ReadFile fails on a folder
	slug, src := synth.Article(3)
	dup := strings.Replace(string(src), "---\n", "---\nslug: "+slug+"\n", 1)
	fsys["copy-of-3.md"] = &fstest.MapFile{Data: []byte(dup)}
	return fsys
}

func TestParseAllIsDeterministic(t *testing.T) {
	fsys := mixedFS(t)
	names, err := fs.Glob(fsys, "*.md")
	if err != nil {
		t.Fatal(err)
	}
	seed := maphash.MakeSeed()
	want, err := parseAll(context.Background(), fsys, seed, names, Options{}, 1)
	if err != nil {
		t.Fatal(err)
	}
	var nBroken int
	for _, r := range want {
		if r.c == nil {
			nBroken++
		}
	}
	if nBroken != 4 {
		t.Fatalf("%d files failed to parse one by one, want 4 (three broken, one unreadable)", nBroken)
	}
	for _, workers := range []int{2, 3, 8, 64} {
		t.Run("workers="+strconv.Itoa(workers), func(t *testing.T) {
			got, err := parseAll(context.Background(), fsys, seed, names, Options{}, workers)
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != len(want) {
				t.Fatalf("%d results, want %d", len(got), len(want))
			}
			for i := range want {
				if !reflect.DeepEqual(got[i], want[i]) {
					t.Errorf("%s: result with %d workers differs from the one-by-one parse", names[i], workers)
				}
			}
		})
	}
}

// TestLoadProblemsInFileOrder checks that Load reports every problem of
// every file, sorted by file, however the files were spread over workers.
func TestLoadProblemsInFileOrder(t *testing.T) {
	fsys := mixedFS(t)
	var first []string
	for run := range 5 {
		cat, err := Load(fsys)
		if cat != nil {
			t.Fatal("Load returned a catalog along with problems")
		}
		var ps compare.Problems
		if !errors.As(err, &ps) {
			t.Fatalf("Load error = %v (%T), want compare.Problems", err, err)
		}
		got := make([]string, len(ps))
		files := make([]string, len(ps))
		for i, p := range ps {
			got[i] = p.Error()
			files[i] = p.File
		}
		if !slices.IsSorted(files) {
			t.Errorf("problems are not sorted by file: %q", files)
		}
		for _, f := range []string{"a-broken.md", "m-broken.md", "z-broken.md", "unreadable.md", "synthetic-00003-"} { // the second file with the slug has the problem
			if !slices.ContainsFunc(files, func(s string) bool { return strings.HasPrefix(s, f) }) {
				t.Errorf("no problem names %s: %q", f, got)
			}
		}
		if run == 0 {
			first = got
		} else if !slices.Equal(got, first) {
			t.Errorf("run %d gave different problems:\n%q\nfirst run:\n%q", run, got, first)
		}
	}
}
