package markdown_test

import (
	"testing"

	"github.com/versus-dev/versus/content"
	"github.com/versus-dev/versus/internal/markdown"
	"github.com/versus-dev/versus/internal/synth"
)

// BenchmarkParseSubject and BenchmarkParseArticle parse the real files of
// the python-web-frameworks category: the per-file cost of start-up and of
// every reload in watch mode.
func BenchmarkParseSubject(b *testing.B) {
	benchFile(b, "python-web-frameworks/django.md", func(name string, src []byte) error {
		_, err := markdown.ParseSubject(name, src)
		return err
	})
}

func BenchmarkParseArticle(b *testing.B) {
	benchFile(b, "python-web-frameworks/django-vs-flask.md", func(name string, src []byte) error {
		_, err := markdown.ParseArticle(name, src)
		return err
	})
}

func benchFile(b *testing.B, name string, parse func(string, []byte) error) {
	src, err := content.FS.ReadFile(name)
	if err != nil {
		b.Fatal(err)
	}
	if err := parse(name, src); err != nil {
		b.Fatalf("%s does not parse: %v", name, err)
	}
	b.SetBytes(int64(len(src)))
	b.ReportAllocs()
	for b.Loop() {
		parse(name, src)
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
