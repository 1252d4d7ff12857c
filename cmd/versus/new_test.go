package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// runArgs runs the program through run with the given args.
func runArgs(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	err := run(context.Background(), args, &out, &errb)
	return exitCode(err, &errb), out.String(), errb.String()
}

// checkSkeleton expects check to pass with warnings on dir, each TODO line
// of want listed as a warning, and check -strict to fail.
func checkSkeleton(t *testing.T, dir string, files ...string) {
	t.Helper()
	code, _, stderr := runArgs(t, "check", dir)
	if code != 0 {
		t.Fatalf("check %s: exit %d, want 0 (warnings only):\n%s", dir, code, stderr)
	}
	for _, f := range files {
		src, err := os.ReadFile(filepath.Join(dir, f))
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for i, line := range strings.Split(string(src), "\n") {
			if !strings.Contains(line, "TODO") {
				continue
			}
			n++
			want := filepath.Join(dir, f) + ":" + strconv.Itoa(i+1) + ": warning: "
			if !strings.Contains(stderr, want) || !strings.Contains(stderr, "still says TODO") {
				t.Errorf("check does not warn about the TODO at %s:%d (%q); stderr:\n%s", f, i+1, line, stderr)
			}
		}
		if n == 0 {
			t.Errorf("%s has no TODO: nothing marks it unfinished", f)
		}
	}
	if !strings.Contains(stderr, " warnings in ") {
		t.Errorf("check prints no warning summary:\n%s", stderr)
	}
	code, _, stderr = runArgs(t, "check", "-strict", dir)
	if code != 1 {
		t.Errorf("check -strict %s: exit %d, want 1:\n%s", dir, code, stderr)
	}
	if strings.Contains(stderr, "warning:") || !strings.Contains(stderr, "still says TODO") {
		t.Errorf("check -strict should list the TODOs as errors:\n%s", stderr)
	}
}

// TestNewSkeletons writes a category, its subjects and comparisons with
// versus new into an empty folder, and checks each step with versus check.
func TestNewSkeletons(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "content")

	if code, out, stderr := runArgs(t, "new", "-content", dir, "category", "tools"); code != 0 || !strings.Contains(out, filepath.Join(dir, "tools", "category.md")) {
		t.Fatalf("new category: exit %d, stdout %q, stderr %q", code, out, stderr)
	}
	checkSkeleton(t, dir, "tools/category.md")
	_, _, stderr := runArgs(t, "check", dir)
	if !strings.Contains(stderr, "the category has 0 subject file(s), so it is not on the site yet") {
		t.Errorf("check should say the category needs subjects:\n%s", stderr)
	}

	for _, k := range []string{"fast-api", "alpha", "beta"} {
		if code, _, stderr := runArgs(t, "new", "-content", dir, "subject", "tools", k); code != 0 {
			t.Fatalf("new subject %s: exit %d: %s", k, code, stderr)
		}
	}
	checkSkeleton(t, dir, "tools/category.md", "tools/alpha.md", "tools/beta.md", "tools/fast-api.md")
	code, out, _ := runArgs(t, "check", dir)
	if code != 0 || out != "ok: 0 comparisons\n" {
		t.Errorf("check with three subjects: exit %d, stdout %q", code, out)
	}
	src, err := os.ReadFile(filepath.Join(dir, "tools", "fast-api.md"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"\n  criterion-one: {text: ", "rank: better,", // a value per criterion, ranked ones on the scale
		"\n  criterion-two: {text: ",
		"\n  question-one:\n    option-one: {fit: 1, why: \"TODO", // a fit per option
		"\n    option-two: {fit: 1, why: \"TODO",
		`name: "Fast Api"`,
	} {
		if !strings.Contains(string(src), want) {
			t.Errorf("fast-api.md lacks %q:\n%s", want, src)
		}
	}

	// Keys given out of order: the file is named in alphabetical order,
	// the title keeps the order given and takes the names from the files.
	if code, _, stderr := runArgs(t, "new", "-content", dir, "compare", "fast-api", "beta", "alpha"); code != 0 {
		t.Fatalf("new compare: exit %d: %s", code, stderr)
	}
	art := filepath.Join(dir, "tools", "alpha-vs-beta-vs-fast-api.md")
	src, err = os.ReadFile(art)
	if err != nil {
		t.Fatalf("new compare wrote no %s: %v", art, err)
	}
	for _, want := range []string{`title: "Fast Api vs Beta vs Alpha"`, "subjects: [fast-api, beta, alpha]", "\n## Verdict\n"} {
		if !strings.Contains(string(src), want) {
			t.Errorf("the article lacks %q:\n%s", want, src)
		}
	}
	if code, _, stderr := runArgs(t, "new", "-content", dir, "compare", "beta", "alpha"); code != 0 {
		t.Fatalf("new compare beta alpha: exit %d: %s", code, stderr)
	}
	checkSkeleton(t, dir, "tools/alpha-vs-beta-vs-fast-api.md", "tools/alpha-vs-beta.md", "tools/alpha.md")
	if code, out, _ := runArgs(t, "check", dir); code != 0 || out != "ok: 2 comparisons\n" {
		t.Errorf("check with two articles: exit %d, stdout %q", code, out)
	}

	// A name the author has filled in is what new compare uses.
	alpha := filepath.Join(dir, "tools", "alpha.md")
	src, _ = os.ReadFile(alpha)
	if err := os.WriteFile(alpha, bytes.Replace(src, []byte(`name: "Alpha"`), []byte(`name: "Alpha: The Tool"`), 1), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Remove(filepath.Join(dir, "tools", "alpha-vs-beta.md")); err != nil {
		t.Fatal(err)
	}
	if code, _, stderr := runArgs(t, "new", "-content", dir, "compare", "alpha", "beta"); code != 0 {
		t.Fatalf("new compare alpha beta: exit %d: %s", code, stderr)
	}
	src, _ = os.ReadFile(filepath.Join(dir, "tools", "alpha-vs-beta.md"))
	if !strings.Contains(string(src), `title: "Alpha: The Tool vs Beta"`) {
		t.Errorf("the title should take the edited name:\n%s", src)
	}
	checkSkeleton(t, dir, "tools/alpha-vs-beta.md")
}

// TestNewRefuses: new never overwrites, and says what is wrong with the
// arguments it cannot use.
func TestNewRefuses(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "content")
	for _, args := range [][]string{
		{"category", "tools"}, {"subject", "tools", "alpha"}, {"subject", "tools", "beta"},
		{"category", "langs"}, {"subject", "langs", "go"},
	} {
		if code, _, stderr := runArgs(t, append([]string{"new", "-content", dir}, args...)...); code != 0 {
			t.Fatalf("new %v: exit %d: %s", args, code, stderr)
		}
	}
	catFile := filepath.Join(dir, "tools", "category.md")
	edited := []byte("---\ntitle: mine\n---\n")
	if err := os.WriteFile(catFile, edited, 0o644); err != nil {
		t.Fatal(err)
	}

	tests := []struct {
		name     string
		args     []string
		wantCode int
		want     string
	}{
		{"category exists", []string{"category", "tools"}, 1, catFile + " already exists: versus new never overwrites a file"},
		{"subject exists", []string{"subject", "langs", "alpha"}, 1, `subject "alpha" already exists at ` + filepath.Join(dir, "tools", "alpha.md")},
		{"unknown category", []string{"subject", "nope", "x"}, 1, `no category "nope": ` + filepath.Join(dir, "nope", "category.md") + " does not exist (start one with versus new category nope)"},
		{"unknown subject", []string{"compare", "alpha", "zeta"}, 1, `no subject "zeta": no category folder of ` + dir + " has zeta.md (start one with versus new subject CATEGORY zeta)"},
		{"mixed categories", []string{"compare", "alpha", "go"}, 1, `alpha is in category "tools" but go is in "langs": a comparison's subjects are of one category`},
		{"same subject twice", []string{"compare", "alpha", "alpha"}, 2, `subject "alpha" is named twice`},
		{"one subject", []string{"compare", "alpha"}, 2, "new compare takes 2 to 4 subject keys, got 1"},
		{"five subjects", []string{"compare", "a", "b", "c", "d", "e"}, 2, "new compare takes 2 to 4 subject keys, got 5"},
		{"bad key", []string{"subject", "tools", "Bad_Key"}, 2, `"Bad_Key" is not a key: use lower-case letters, digits and '-'`},
		{"article-like key", []string{"subject", "tools", "a-vs-b"}, 2, `"a-vs-b" cannot be a subject key`},
		{"unknown kind", []string{"thing", "x"}, 2, `new "thing": want category, subject or compare`},
		{"no kind", nil, 2, "new needs a kind of file"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, stderr := runArgs(t, append([]string{"new", "-content", dir}, tt.args...)...)
			if code != tt.wantCode || !strings.Contains(stderr, tt.want) || out != "" {
				t.Errorf("exit %d (want %d), stdout %q, stderr:\n%s\nwant it to contain %q", code, tt.wantCode, out, stderr, tt.want)
			}
		})
	}
	if got, _ := os.ReadFile(catFile); !bytes.Equal(got, edited) {
		t.Errorf("category.md was overwritten: %q", got)
	}
	if _, err := os.Stat(filepath.Join(dir, "tools", "a-vs-b.md")); err == nil {
		t.Error("a refused new wrote a file")
	}

	// A broken category.md is named, with its problem at its line.
	code, _, stderr := runArgs(t, "new", "-content", dir, "subject", "tools", "gamma")
	if code != 1 || !strings.Contains(stderr, catFile+" has problems; fix them first") || !strings.Contains(stderr, catFile+":") {
		t.Errorf("new subject under a broken category: exit %d, stderr:\n%s", code, stderr)
	}
}
