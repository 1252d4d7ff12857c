package catalog

import (
	"context"
	"hash/maphash"
	"io/fs"
	"reflect"
	"testing"
	"testing/fstest"

	"github.com/versus-dev/versus/internal/markdown"
	"github.com/versus-dev/versus/internal/synth"
)

// TestPackedSummaries: every summary parseAll returns, packed with others
// into shared allocations, equals the summary made from its article
// alone, across more than one batch and with broken files among them;
// and no packed slice can grow into its neighbour's.
func TestPackedSummaries(t *testing.T) {
	fsys := mixedFS(t)
	for i := range packBatch + 40 {
		slug, src := synth.Article(100 + i)
		fsys[slug+".md"] = &fstest.MapFile{Data: src}
	}
	names, err := fs.Glob(fsys, "*.md")
	if err != nil {
		t.Fatal(err)
	}
	results, err := parseAll(context.Background(), fsys, maphash.MakeSeed(), names, Options{}, 3)
	if err != nil {
		t.Fatal(err)
	}
	packed := 0
	for i, r := range results {
		if r.c == nil {
			continue
		}
		src, err := fs.ReadFile(fsys, names[i])
		if err != nil {
			t.Fatal(err)
		}
		full, _ := markdown.Check(names[i], src)
		if want := summary(full); !reflect.DeepEqual(r.c, want) {
			t.Fatalf("%s: packed summary\n%+v\nwant\n%+v", names[i], r.c, want)
		}
		if cap(r.c.Tags) != len(r.c.Tags) || cap(r.c.Subjects) != len(r.c.Subjects) {
			t.Fatalf("%s: tags cap %d len %d, subjects cap %d len %d: an append would write into the next summary",
				names[i], cap(r.c.Tags), len(r.c.Tags), cap(r.c.Subjects), len(r.c.Subjects))
		}
		packed++
	}
	if packed < packBatch+40 {
		t.Fatalf("%d summaries, want at least %d", packed, packBatch+40)
	}
}
