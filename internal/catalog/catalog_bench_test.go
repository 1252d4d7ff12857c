package catalog_test

import (
	"testing"

	"github.com/versus-dev/versus/content"
	"github.com/versus-dev/versus/internal/catalog"
	"github.com/versus-dev/versus/internal/synth"
)

// BenchmarkLoad builds the catalog from the embedded content, as start-up
// and every reload do.
func BenchmarkLoad(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := catalog.Load(content.FS); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkLoadSynthetic100 loads 100 generated articles, so the cost per
// article of a larger catalog (tags, related links, slug checks) shows.
func BenchmarkLoadSynthetic100(b *testing.B) {
	fsys := synth.FS(100)
	b.ReportAllocs()
	for b.Loop() {
		cat, err := catalog.Load(fsys)
		if err != nil {
			b.Fatal(err)
		}
		if cat.Len() != 100 {
			b.Fatalf("%d comparisons, want 100", cat.Len())
		}
	}
}
