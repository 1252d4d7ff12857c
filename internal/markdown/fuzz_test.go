package markdown

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/versus-dev/versus/internal/compare"
)

// FuzzParse checks that no input makes Parse panic, and that it always
// answers with either a comparison or compare.Problems that name the file.
func FuzzParse(f *testing.F) {
	var seeds []string
	for _, pattern := range []string{"../../content/*.md", "testdata/*/*.md"} {
		m, err := filepath.Glob(pattern)
		if err != nil {
			f.Fatal(err)
		}
		seeds = append(seeds, m...)
	}
	for _, s := range seeds {
		if strings.EqualFold(filepath.Base(s), "README.md") {
			continue
		}
		b, err := os.ReadFile(s)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte(base))
	f.Fuzz(func(t *testing.T, src []byte) {
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
