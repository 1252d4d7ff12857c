package middleware

import (
	"bufio"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/go-chi/chi/v5"
)

// TestCanonicalPath sends raw request lines (so the client cannot tidy
// the path) through a chi router with Logger and CanonicalPath, as the
// site installs them.
func TestCanonicalPath(t *testing.T) {
	log, logs := newTestLogger()
	r := chi.NewRouter()
	notFound := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { http.Error(w, "not found", http.StatusNotFound) })
	r.Use(Logger(log), CanonicalPath(notFound))
	r.NotFound(notFound)
	r.Get("/compare/{slug}", func(w http.ResponseWriter, r *http.Request) { fmt.Fprint(w, "compare ", chi.URLParam(r, "slug")) })
	r.Get("/compare/{slug}/quiz", func(w http.ResponseWriter, r *http.Request) { fmt.Fprint(w, "quiz ", chi.URLParam(r, "slug")) })
	r.Post("/compare/{slug}/quiz", func(w http.ResponseWriter, r *http.Request) { fmt.Fprint(w, "posted") })
	r.Get("/tags/{tag}", func(w http.ResponseWriter, r *http.Request) { fmt.Fprint(w, "tag ", chi.URLParam(r, "tag")) })
	ts := httptest.NewServer(r)
	defer ts.Close()

	tests := []struct {
		method, target string
		status         int
		location, body string
		route          string
	}{
		{"GET", "/compare/django-vs-flask", 200, "", "compare django-vs-flask", "/compare/{slug}"},
		{"GET", "/compare/django-vs-flask%2Fquiz", 404, "", "not found", "notfound"},
		{"GET", "/compare/django-vs-flask%2fquiz", 404, "", "not found", "notfound"},
		{"GET", "/compare/%64jango-vs-flask", 301, "/compare/django-vs-flask", "", CanonicalRedirectRoute},
		{"HEAD", "/compare/%64jango-vs-flask", 301, "/compare/django-vs-flask", "", CanonicalRedirectRoute},
		{"GET", "/compare/%64jango-vs-flask/quiz?size=small", 301, "/compare/django-vs-flask/quiz?size=small", "", CanonicalRedirectRoute},
		{"POST", "/compare/%64jango-vs-flask/quiz", 308, "/compare/django-vs-flask/quiz", "", CanonicalRedirectRoute},
		{"GET", "/tags/c%2B%2B", 301, "/tags/c++", "", CanonicalRedirectRoute},
		{"GET", "/tags/caf%c3%a9", 301, "/tags/caf%C3%A9", "", CanonicalRedirectRoute},
		{"GET", "/tags/caf%C3%A9", 200, "", "tag café", "/tags/{tag}"}, // already canonical
		{"GET", "/compare/%2e%2e/quiz", 404, "", "not found", "notfound"},
		{"GET", "/compare/..%5cx", 404, "", "not found", "notfound"},
		{"GET", "/%2fevil.example/x", 404, "", "not found", "notfound"},
		{"GET", "//evil.example/%64", 404, "", "not found", "notfound"},
		{"GET", "/compare/a%0ab", 404, "", "not found", "notfound"}, // a control character, in lower-case hex
		{"GET", "/compare/%ff", 404, "", "not found", "notfound"},
	}
	addr := strings.TrimPrefix(ts.URL, "http://")
	for _, tt := range tests {
		t.Run(tt.method+" "+tt.target, func(t *testing.T) {
			c, err := net.Dial("tcp", addr)
			if err != nil {
				t.Fatal(err)
			}
			defer c.Close()
			fmt.Fprintf(c, "%s %s HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\nConnection: close\r\n\r\n", tt.method, tt.target)
			res, err := http.ReadResponse(bufio.NewReader(c), &http.Request{Method: tt.method})
			if err != nil {
				t.Fatal(err)
			}
			defer res.Body.Close()
			var b strings.Builder
			bufio.NewReader(res.Body).WriteTo(&b)
			if res.StatusCode != tt.status || res.Header.Get("Location") != tt.location || strings.TrimSpace(b.String()) != tt.body {
				t.Errorf("%d, Location %q, body %q; want %d, %q, %q", res.StatusCode, res.Header.Get("Location"), b.String(), tt.status, tt.location, tt.body)
			}
			if got := lastRoute(t, logs); got != tt.route {
				t.Errorf("logged route %q, want %q", got, tt.route)
			}
		})
	}
}

func lastRoute(t *testing.T, logs *logBuffer) string {
	t.Helper()
	recs := logs.records(t)
	if len(recs) == 0 {
		t.Fatal("nothing logged")
	}
	route, _ := recs[len(recs)-1]["route"].(string)
	return route
}
