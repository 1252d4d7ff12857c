package server

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// TestEncodedPaths: the two reported paths through the real router. One
// path has one form; the log and the metrics name the route that answered.
func TestEncodedPaths(t *testing.T) {
	s, logs := hxSite(t, Options{})
	get := func(target string) *httptest.ResponseRecorder {
		req := httptest.NewRequest(http.MethodGet, target, nil)
		rec := httptest.NewRecorder()
		s.ServeHTTP(rec, req)
		return rec
	}
	rec := get("/compare/django-vs-flask%2Fquiz")
	if rec.Code != http.StatusNotFound || strings.Contains(rec.Body.String(), "<form") {
		t.Errorf("/compare/django-vs-flask%%2Fquiz: %d; want the 404 page, not the questionnaire", rec.Code)
	}
	if l := logs.last(t); l["route"] != "notfound" || l["status"] != float64(404) {
		t.Errorf("logged %v, want route notfound and status 404", l)
	}
	rec = get("/compare/%64jango-vs-flask")
	if rec.Code != http.StatusMovedPermanently || rec.Header().Get("Location") != "/compare/django-vs-flask" {
		t.Errorf("/compare/%%64jango-vs-flask: %d to %q; want 301 to /compare/django-vs-flask", rec.Code, rec.Header().Get("Location"))
	}
	if l := logs.last(t); l["route"] != "(canonical path redirect)" {
		t.Errorf("logged %v, want the redirect's route", l)
	}
	rec = httptest.NewRecorder()
	s.MetricsHandler().ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/metrics", nil))
	metrics := rec.Body.String()
	for _, want := range []string{
		`versus_requests_total{method="GET",route="notfound",status="404"} 1`,
		`versus_requests_total{method="GET",route="(canonical path redirect)",status="301"} 1`,
	} {
		if !strings.Contains(metrics, want) {
			t.Errorf("metrics lack %s", want)
		}
	}
	if strings.Contains(metrics, `route="/compare/{slug}"`) {
		t.Error("metrics count an encoded path under /compare/{slug}")
	}
}

// TestMetricsPlacement: /metrics is off the site's routes unless asked
// for, and answers HEAD as well as GET wherever it is.
func TestMetricsPlacement(t *testing.T) {
	for _, public := range []bool{false, true} {
		s, _ := hxSite(t, Options{PublicMetrics: public})
		for _, method := range []string{http.MethodGet, http.MethodHead} {
			rec := httptest.NewRecorder()
			s.ServeHTTP(rec, httptest.NewRequest(method, "/metrics", nil))
			want := http.StatusNotFound
			if public {
				want = http.StatusOK
			}
			if rec.Code != want {
				t.Errorf("public=%v: %s /metrics on the site = %d, want %d", public, method, rec.Code, want)
			}
			rec = httptest.NewRecorder()
			s.MetricsHandler().ServeHTTP(rec, httptest.NewRequest(method, "/metrics", nil))
			if rec.Code != http.StatusOK {
				t.Errorf("%s on MetricsHandler = %d, want 200", method, rec.Code)
			}
		}
	}
}
