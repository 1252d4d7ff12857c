package server_test

import (
	"net/http"
	"net/http/httptest"
	"slices"
	"testing"
	"time"

	"github.com/versus-dev/versus/internal/catalog"
	"github.com/versus-dev/versus/internal/recommend"
	"github.com/versus-dev/versus/internal/server"
	"github.com/versus-dev/versus/internal/synth"
	"github.com/versus-dev/versus/web"
)

// BenchmarkStartup is server.New on 1,000 synthetic articles once they
// are parsed: the site is ready when it returns, since nothing is
// rendered before it is asked for.
func BenchmarkStartup(b *testing.B) {
	cat, err := catalog.Load(synth.FS(1000))
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := server.New(cat, server.Options{}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkCold is the first request for a page on a fresh server: the
// article is read and parsed again from its file, the page rendered and
// cached. The comparison page and the result page of the real article,
// without and with br (whose first request also compresses the page).
func BenchmarkCold(b *testing.B) {
	cat := benchCatalog(b)
	sum, _ := cat.Get("django-vs-flask")
	c, err := cat.Article(sum)
	if err != nil {
		b.Fatal(err)
	}
	answers := recommend.Answers{}
	for _, q := range c.Quiz.Questions {
		answers[q.Key] = q.Options[len(q.Options)-1].Key
	}
	query := recommend.Encode(&c.Quiz, answers)
	for _, bc := range []struct{ name, path, enc string }{
		{"comparison", web.ComparePath(c), ""},
		{"comparison-br", web.ComparePath(c), "br"},
		{"result", web.ResultPath(c, query), ""},
	} {
		b.Run(bc.name, func(b *testing.B) {
			req := httptest.NewRequest(http.MethodGet, bc.path, nil)
			if bc.enc != "" {
				req.Header.Set("Accept-Encoding", bc.enc)
			}
			b.ReportAllocs()
			var took []time.Duration
			for b.Loop() {
				b.StopTimer()
				srv, err := server.New(cat, server.Options{})
				if err != nil {
					b.Fatal(err)
				}
				w := httptest.NewRecorder()
				b.StartTimer()
				t := time.Now()
				srv.ServeHTTP(w, req)
				took = append(took, time.Since(t))
				if w.Code != http.StatusOK {
					b.Fatalf("status %d", w.Code)
				}
			}
			// The targets are a median and a p99 of first requests.
			slices.Sort(took)
			b.ReportMetric(float64(took[len(took)/2].Microseconds()), "p50-µs")
			b.ReportMetric(float64(took[(len(took)*99+99)/100-1].Microseconds()), "p99-µs")
		})
	}
}
