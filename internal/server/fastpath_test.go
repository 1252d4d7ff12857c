package server

import (
	"bytes"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/versus-dev/versus/content"
	"github.com/versus-dev/versus/internal/catalog"
)

// TestFastPathTable checks which pages take the shortcut: every page chi
// routes to a prerendered pattern, and no other (the quiz form, which has
// a handler of its own, goes through chi).
func TestFastPathTable(t *testing.T) {
	s := newTestServer(t, Options{})
	st := s.state.Load()
	got := newFastTable(s.mux, st).routes
	for path, pattern := range map[string]string{
		"/":                               "/",
		"/compare/north-vs-south":         "/compare/{slug}",
		"/compare/north-vs-south/scoring": "/compare/{slug}/scoring",
		"/sitemap.xml":                    "/sitemap.xml",
		"/robots.txt":                     "/robots.txt",
		"/feed.xml":                       "/feed.xml",
		"/compare/alpha-vs-beta-vs-gamma": "/compare/{slug}",
		"/compare/alpha-vs-beta-vs-gamma/scoring": "/compare/{slug}/scoring",
	} {
		if got[path] != pattern {
			t.Errorf("fast table: %s → %q, want %q", path, got[path], pattern)
		}
	}
	for path, pattern := range got {
		if _, ok := st.pages[path]; !ok || !prerenderedPatterns[pattern] {
			t.Errorf("fast table has %s → %q, which is not a prerendered page on a prerendered route", path, pattern)
		}
		if strings.HasSuffix(path, "/quiz") {
			t.Errorf("fast table has the quiz form %s, whose handler is not the page map", path)
		}
	}
	// The quiz forms and the quiz JSON are pages with handlers of their
	// own, so the table must hold fewer paths than the page map.
	if len(got) == 0 || len(got) >= len(st.pages) {
		t.Errorf("fast table has %d of %d pages, want some but not all", len(got), len(st.pages))
	}
}

// syncLog collects the server's log lines; the server writes them from
// its request goroutines while the test reads them.
type syncLog struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *syncLog) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *syncLog) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

func (l *syncLog) last(t *testing.T) map[string]any {
	t.Helper()
	l.mu.Lock()
	defer l.mu.Unlock()
	lines := strings.Split(strings.TrimSpace(l.b.String()), "\n")
	var m map[string]any
	if err := json.Unmarshal([]byte(lines[len(lines)-1]), &m); err != nil {
		t.Fatalf("log line %q: %v", lines[len(lines)-1], err)
	}
	return m
}

// TestFastPathServesWhatChiServes answers every prerendered page twice,
// once by the shortcut and once through chi's tree walk (an escaped path,
// which the shortcut leaves to chi), and wants the same status, headers
// and body, and the same route in the log line and the metrics.
func TestFastPathServesWhatChiServes(t *testing.T) {
	log := &syncLog{}
	s := newTestServer(t, Options{Logger: slog.New(slog.NewJSONHandler(log, nil))})
	st := s.state.Load()
	paths := make([]string, 0, len(st.pages))
	for p := range st.pages {
		paths = append(paths, p)
	}
	slices.Sort(paths)
	variants := []struct {
		name   string
		method string
		header http.Header
	}{
		{"GET", http.MethodGet, nil},
		{"HEAD", http.MethodHead, nil},
		{"gzip", http.MethodGet, http.Header{"Accept-Encoding": {"gzip"}}},
		{"br", http.MethodGet, http.Header{"Accept-Encoding": {"br, gzip"}}},
	}
	for _, path := range paths {
		for _, v := range variants {
			t.Run(path+"/"+v.name, func(t *testing.T) {
				serve := func(viaChi bool) (*httptest.ResponseRecorder, map[string]any) {
					req := httptest.NewRequest(v.method, "/", nil)
					req.URL.Path, req.URL.RawPath = path, ""
					if viaChi {
						req.URL.RawPath = req.URL.EscapedPath()
					}
					for k, vs := range v.header {
						req.Header[k] = vs
					}
					req.Header.Set("X-Request-Id", "fixed-id")
					rec := httptest.NewRecorder()
					s.ServeHTTP(rec, req)
					return rec, log.last(t)
				}
				fast, fastLog := serve(false)
				slow, slowLog := serve(true)
				if fast.Code != slow.Code || !bytes.Equal(fast.Body.Bytes(), slow.Body.Bytes()) {
					t.Errorf("shortcut: %d, %d bytes; chi: %d, %d bytes", fast.Code, fast.Body.Len(), slow.Code, slow.Body.Len())
				}
				if !headersEqual(fast.Header(), slow.Header()) {
					t.Errorf("headers differ:\nshortcut %v\nchi      %v", fast.Header(), slow.Header())
				}
				for _, k := range []string{"route", "status", "bytes", "method", "path", "request_id"} {
					if fastLog[k] != slowLog[k] {
						t.Errorf("log %s: shortcut %v, chi %v", k, fastLog[k], slowLog[k])
					}
				}
				if r := fastLog["route"]; r == "notfound" || r == "" {
					t.Errorf("log route %v, want the page's pattern", r)
				}
			})
		}
	}
	metrics := httptest.NewRecorder()
	s.MetricsHandler().ServeHTTP(metrics, httptest.NewRequest(http.MethodGet, "/metrics", nil))
	if !strings.Contains(metrics.Body.String(), `versus_requests_total{method="GET",route="/compare/{slug}",status="200"}`) {
		t.Errorf("metrics lack the comparison route:\n%s", metrics.Body.String())
	}
}

func headersEqual(a, b http.Header) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if !slices.Equal(v, b[k]) {
			return false
		}
	}
	return true
}

// TestFastPathFollowsSwap: the table belongs to one state; after a swap
// the shortcut serves the new pages and no longer the old ones.
func TestFastPathFollowsSwap(t *testing.T) {
	s := newTestServer(t, Options{})
	get := func(path string) int {
		rec := httptest.NewRecorder()
		s.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, path, nil))
		return rec.Code
	}
	if code := get("/compare/north-vs-south"); code != http.StatusOK {
		t.Fatalf("before the swap: %d, want 200", code)
	}
	real, err := catalog.Load(content.FS)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Swap(real); err != nil {
		t.Fatal(err)
	}
	if code := get("/compare/north-vs-south"); code != http.StatusNotFound {
		t.Errorf("a page of the old content after the swap: %d, want 404", code)
	}
	if code := get("/compare/django-vs-flask"); code != http.StatusOK {
		t.Errorf("a page of the new content after the swap: %d, want 200", code)
	}
}
