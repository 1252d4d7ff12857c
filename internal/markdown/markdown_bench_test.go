package markdown_test

import (
	"testing"

	"github.com/versus-dev/versus/content"
	"github.com/versus-dev/versus/internal/markdown"
	"github.com/versus-dev/versus/internal/synth"
)

// BenchmarkParse parses and checks the real article: the per-article cost
// of start-up and of every reload in watch mode.
func BenchmarkParse(b *testing.B) {
	src, err := content.FS.ReadFile("django-vs-flask.md")
	if err != nil {
		b.Fatal(err)
	}
	if _, err := markdown.Parse("django-vs-flask.md", src); err != nil {
		b.Fatalf("the real article does not parse: %v", err)
	}
	b.SetBytes(int64(len(src)))
	b.ReportAllocs()
	for b.Loop() {
		markdown.Parse("django-vs-flask.md", src)
	}
}

// BenchmarkParseSynthetic parses a generated article of about the same
// size, the unit the scale measurements multiply.
func BenchmarkParseSynthetic(b *testing.B) {
	slug, src := synth.Article(0)
	name := slug + ".md"
	if _, err := markdown.Parse(name, src); err != nil {
		b.Fatalf("synthetic article does not parse: %v", err)
	}
	b.SetBytes(int64(len(src)))
	b.ReportAllocs()
	for b.Loop() {
		markdown.Parse(name, src)
	}
}
