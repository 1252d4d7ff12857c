package middleware

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/go-chi/chi/v5"
)

func scrape(t *testing.T, m *Metrics) string {
	t.Helper()
	rec := httptest.NewRecorder()
	m.Handler().ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
	if rec.Code != 200 {
		t.Fatalf("/metrics status %d", rec.Code)
	}
	return rec.Body.String()
}

func TestMetrics(t *testing.T) {
	m := NewMetrics()
	r := chi.NewRouter()
	r.Use(m.Middleware)
	r.Get("/compare/{slug}", func(w http.ResponseWriter, r *http.Request) {
		if chi.URLParam(r, "slug") == "missing" {
			http.NotFound(w, r)
			return
		}
		io.WriteString(w, "page")
	})
	r.Post("/compare/{slug}/quiz", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/compare/x/result", http.StatusSeeOther)
	})

	requests := []struct{ method, path string }{
		{"GET", "/compare/django-vs-flask"},
		{"GET", "/compare/rails-vs-laravel"},
		{"GET", "/compare/missing"},
		{"POST", "/compare/x/quiz"},
		{"GET", "/wp-login.php"},
		{"GET", "/etc/passwd"},
		{"BREW", "/compare/x"},
	}
	for _, rq := range requests {
		r.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest(rq.method, rq.path, nil))
	}
	m.Loaded(3, time.Unix(1700000000, 0))

	out := scrape(t, m)
	for _, want := range []string{
		`versus_requests_total{method="GET",route="/compare/{slug}",status="200"} 2`,
		`versus_requests_total{method="GET",route="/compare/{slug}",status="404"} 1`,
		`versus_requests_total{method="POST",route="/compare/{slug}/quiz",status="303"} 1`,
		`versus_requests_total{method="GET",route="notfound",status="404"} 2`,
		`versus_requests_total{method="other",route="notfound",status="405"} 1`,
		`versus_request_duration_seconds_count{route="/compare/{slug}"} 3`,
		`versus_request_duration_seconds_count{route="notfound"} 3`,
		"versus_catalog_comparisons 3",
		"versus_catalog_last_reload_success 1",
		"versus_catalog_last_reload_timestamp_seconds 1.7e+09",
		"go_goroutines ",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("/metrics lacks %q", want)
		}
	}
	for _, raw := range []string{"django-vs-flask", "wp-login", "passwd", "BREW"} {
		if strings.Contains(out, raw) {
			t.Errorf("/metrics carries request data %q as a label: cardinality is unbounded", raw)
		}
	}

	m.LoadFailed(time.Unix(1700000100, 0))
	out = scrape(t, m)
	for _, want := range []string{
		"versus_catalog_comparisons 3", // the old catalog is still served
		"versus_catalog_last_reload_success 0",
		"versus_catalog_last_reload_timestamp_seconds 1.7000001e+09",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("after a failed load, /metrics lacks %q", want)
		}
	}
}

// TestMetricsPrivate checks that two instances do not share state, which a
// global registry would.
func TestMetricsPrivate(t *testing.T) {
	a, b := NewMetrics(), NewMetrics()
	a.Loaded(5, time.Unix(1, 0))
	if out := scrape(t, b); !strings.Contains(out, "versus_catalog_comparisons 0") {
		t.Errorf("second registry sees the first one's gauge")
	}
}
