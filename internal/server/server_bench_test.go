package server_test

import (
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/versus-dev/versus/content"
	"github.com/versus-dev/versus/internal/catalog"
	"github.com/versus-dev/versus/internal/recommend"
	"github.com/versus-dev/versus/internal/server"
	"github.com/versus-dev/versus/web"
)

// The benchmarks run on the real embedded article, through server.New and
// the full router and middleware, as versus serve answers requests.

func benchCatalog(b *testing.B) *catalog.Catalog {
	b.Helper()
	cat, err := catalog.Load(content.FS)
	if err != nil {
		b.Fatalf("load embedded content: %v", err)
	}
	return cat
}

// loggers are the two ways the site runs: versus serve logs every request
// as a text line; discard shows what the rest costs without it.
var loggers = []struct {
	name string
	new  func() *slog.Logger
}{
	{"log=text", func() *slog.Logger {
		return slog.New(slog.NewTextHandler(io.Discard, &slog.HandlerOptions{Level: slog.LevelInfo}))
	}},
	{"log=none", func() *slog.Logger { return slog.New(slog.DiscardHandler) }},
}

// BenchmarkNew is start-up once the catalog is loaded: the assets and the
// router; no page is rendered.
func BenchmarkNew(b *testing.B) {
	cat := benchCatalog(b)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := server.New(cat, server.Options{}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkPages answers each page type through the router with an
// httptest.ResponseRecorder (whose own allocations are included).
func BenchmarkPages(b *testing.B) {
	cat := benchCatalog(b)
	sum, ok := cat.Get("django-vs-flask")
	if !ok {
		b.Fatal("no django-vs-flask in the embedded content")
	}
	c, err := cat.Article(sum)
	if err != nil {
		b.Fatal(err)
	}
	answers := recommend.Answers{}
	for _, q := range c.Quiz.Questions {
		answers[q.Key] = q.Options[len(q.Options)-1].Key
	}
	query := recommend.Encode(&c.Quiz, answers)
	pages := []struct{ name, path string }{
		{"home", "/"},
		{"comparison", web.ComparePath(c)},
		{"scoring", web.ScoringPath(c)},
		{"quiz", web.QuizPath(c, "")},
		{"quiz-prefilled", web.QuizPath(c, query)},
		{"result", web.ResultPath(c, query)},
		{"api-recommendation", "/api/compare/" + c.Slug + "/recommendation?" + query},
		{"not-found", "/compare/no-such-thing"},
	}
	srv, err := server.New(cat, server.Options{Logger: loggers[0].new()})
	if err != nil {
		b.Fatal(err)
	}
	for _, p := range pages {
		b.Run(p.name, func(b *testing.B) {
			req := httptest.NewRequest(http.MethodGet, p.path, nil)
			w := httptest.NewRecorder()
			srv.ServeHTTP(w, req)
			if p.name == "not-found" {
				if w.Code != http.StatusNotFound {
					b.Fatalf("GET %s: status %d, want 404", p.path, w.Code)
				}
			} else if w.Code != http.StatusOK {
				b.Fatalf("GET %s: status %d, want 200", p.path, w.Code)
			}
			b.SetBytes(int64(w.Body.Len()))
			b.ReportAllocs()
			for b.Loop() {
				srv.ServeHTTP(httptest.NewRecorder(), req)
			}
		})
	}
}

// discardWriter is the cheapest ResponseWriter: a reused header map and
// a body that goes nowhere, so the allocations counted are the site's.
type discardWriter struct {
	h      http.Header
	status int
}

func (w *discardWriter) Header() http.Header         { return w.h }
func (w *discardWriter) Write(b []byte) (int, error) { return len(b), nil }
func (w *discardWriter) WriteHeader(code int)        { w.status = code }

// BenchmarkServeCached is the hot path: the cached comparison page
// through the full router and middleware. allocs/op is the number to
// watch; the page itself is a cache lookup and one Write.
func BenchmarkServeCached(b *testing.B) {
	cat := benchCatalog(b)
	for _, l := range loggers {
		for _, enc := range []string{"identity", "gzip", "br"} {
			b.Run(l.name+"/"+enc, func(b *testing.B) {
				srv, err := server.New(cat, server.Options{Logger: l.new()})
				if err != nil {
					b.Fatal(err)
				}
				req := httptest.NewRequest(http.MethodGet, "/compare/django-vs-flask", nil)
				if enc != "identity" {
					req.Header.Set("Accept-Encoding", enc)
				}
				w := &discardWriter{h: make(http.Header, 16)}
				srv.ServeHTTP(w, req)
				if w.status != 0 && w.status != http.StatusOK {
					b.Fatalf("status %d, want 200", w.status)
				}
				if got := w.h.Get("Content-Encoding"); enc != "identity" && got != enc {
					b.Fatalf("Content-Encoding %q, want %q", got, enc)
				}
				b.ReportAllocs()
				for b.Loop() {
					clear(w.h)
					srv.ServeHTTP(w, req)
				}
			})
		}
	}
}
