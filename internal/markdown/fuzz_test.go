package markdown

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/versus-dev/versus/internal/compare"
)

// maxSeed bounds a seed's size. The fuzzer minimises every new
// interesting input it finds, one byte at a time, for up to
// -fuzzminimizetime (60 s by default); seeded with the 55 KB article it
// spent its minute minimising one input. Small seeds keep each
// minimisation short, so the time goes to exploring.
const maxSeed = 4 << 10

// fuzzSeeds are the small valid articles of testdata, base, and base with
// each section of the real articles (self-contained or in a category)
// added in turn (cut at maxSeed), so every construct the content uses is
// in some small seed.
func fuzzSeeds(tb testing.TB) [][]byte {
	tb.Helper()
	seeds := [][]byte{[]byte(base)}
	small, err := filepath.Glob("testdata/*/*.md")
	if err != nil {
		tb.Fatal(err)
	}
	for _, name := range small {
		b, err := os.ReadFile(name)
		if err != nil {
			tb.Fatal(err)
		}
		if len(b) <= maxSeed {
			seeds = append(seeds, b)
		}
	}
	var articles []string
	for _, pattern := range []string{"../../content/*-vs-*.md", "../../content/*/*-vs-*.md"} {
		m, err := filepath.Glob(pattern)
		if err != nil {
			tb.Fatal(err)
		}
		articles = append(articles, m...)
	}
	for _, name := range articles {
		b, err := os.ReadFile(name)
		if err != nil {
			tb.Fatal(err)
		}
		// The body starts after the front matter's closing line.
		_, body, ok := strings.Cut(strings.TrimPrefix(string(b), "---\n"), "\n---\n")
		if !ok {
			tb.Fatalf("%s: no front matter", name)
		}
		for _, section := range strings.SplitAfter(body, "\n## ")[1:] {
			section = "## " + strings.TrimSuffix(section, "\n## ")
			seed := base + "\n" + section
			if len(seed) > maxSeed {
				cut := strings.LastIndexByte(seed[:maxSeed], '\n')
				seed = seed[:cut+1]
			}
			seeds = append(seeds, []byte(seed))
		}
	}
	return seeds
}

// FuzzParse checks that no input makes Parse panic, and that it always
// answers with either a comparison or compare.Problems that name the file.
//
// Run it with go test -run '^$' -fuzz '^FuzzParse$' -fuzztime 60s
// ./internal/markdown (README: Test it).
func FuzzParse(f *testing.F) {
	for _, s := range fuzzSeeds(f) {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		sameAsCheck(t, "f.md", src)
		c, err := Parse("f.md", src)
		if err == nil {
			if c == nil {
				t.Fatal("Parse returned neither a comparison nor an error")
			}
			return
		}
		var ps compare.Problems
		if !errors.As(err, &ps) || len(ps) == 0 {
			t.Fatalf("error is not a non-empty compare.Problems: %T %v", err, err)
		}
		for _, p := range ps {
			if p.File != "f.md" || p.Line < 1 || p.Msg == "" {
				t.Fatalf("problem without file, line or message: %+v", p)
			}
		}
	})
}

// TestFuzzSeeds keeps the seed corpus small and wide: every seed under
// maxSeed, and every section heading of the real articles in one.
func TestFuzzSeeds(t *testing.T) {
	seeds := fuzzSeeds(t)
	if len(seeds) < 10 {
		t.Fatalf("%d seeds, want the sections of the real articles among them", len(seeds))
	}
	all := ""
	for i, s := range seeds {
		if len(s) > maxSeed {
			t.Errorf("seed %d is %d bytes, over %d", i, len(s), maxSeed)
		}
		all += string(s)
	}
	for _, heading := range []string{"## At a glance", "## Pros and cons", "## When to choose", "## Verdict", "## FAQ", "## Corrections"} {
		if !strings.Contains(all, heading) {
			t.Errorf("no seed has %q", heading)
		}
	}
}
