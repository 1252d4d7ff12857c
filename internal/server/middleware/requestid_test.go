package middleware

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/go-chi/chi/v5"
)

func TestRequestID(t *testing.T) {
	tests := []struct {
		name     string
		incoming []string // X-Request-Id lines sent; nil for none
		keep     bool     // the incoming id is expected back
	}{
		{name: "none sent", incoming: nil},
		{name: "sane id kept", incoming: []string{"edge-4f2a_9.B"}, keep: true},
		{name: "64 characters kept", incoming: []string{strings.Repeat("a", 64)}, keep: true},
		{name: "65 characters replaced", incoming: []string{strings.Repeat("a", 65)}},
		{name: "space replaced", incoming: []string{"a b"}},
		{name: "markup replaced", incoming: []string{"<script>"}},
		{name: "newline-free but non-ASCII replaced", incoming: []string{"idé"}},
		{name: "empty replaced", incoming: []string{""}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var seen string
			h := RequestID(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				seen = RequestIDFrom(r.Context())
			}))
			req := httptest.NewRequest("GET", "/", nil)
			if tt.incoming != nil {
				req.Header["X-Request-Id"] = tt.incoming
			}
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, req)
			got := rec.Header().Get("X-Request-Id")
			if got != seen {
				t.Errorf("response id %q differs from context id %q", got, seen)
			}
			if tt.keep {
				if got != tt.incoming[0] {
					t.Errorf("id = %q, want the incoming %q", got, tt.incoming[0])
				}
				return
			}
			if tt.incoming != nil && got == tt.incoming[0] {
				t.Errorf("insane incoming id %q was kept", got)
			}
			if !validRequestID(got) || len(got) < 16 {
				t.Errorf("generated id %q is not a sane id of at least 16 characters", got)
			}
		})
	}
}

func TestRequestIDUnique(t *testing.T) {
	h := RequestID(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {}))
	seen := map[string]bool{}
	for range 100 {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest("GET", "/", nil))
		id := rec.Header().Get("X-Request-Id")
		if seen[id] {
			t.Fatalf("id %q generated twice", id)
		}
		seen[id] = true
	}
}

func TestRequestIDFromWithout(t *testing.T) {
	if got := RequestIDFrom(httptest.NewRequest("GET", "/", nil).Context()); got != "" {
		t.Errorf("RequestIDFrom(plain context) = %q, want empty", got)
	}
}

// TestRequestIDInRouter checks RequestID first in a chi router's
// middleware: the handler sees the path values and the id, and the log
// line carries the route pattern and the same id, request after request.
func TestRequestIDInRouter(t *testing.T) {
	logger, logs := newTestLogger()
	mux := chi.NewRouter()
	mux.Use(RequestID, Logger(logger))
	mux.Get("/compare/{slug}", func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, chi.URLParam(r, "slug")+" "+RequestIDFrom(r.Context()))
	})
	mux.Route("/api", func(r chi.Router) {
		r.Get("/{slug}", func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, chi.URLParam(r, "slug")) })
	})
	h := mux
	tests := []struct{ path, body, route string }{
		{"/compare/alpha", "alpha ", "/compare/{slug}"},
		{"/compare/beta", "beta ", "/compare/{slug}"},
		{"/api/gamma", "gamma", "/api/{slug}"},
		{"/compare/alpha", "alpha ", "/compare/{slug}"},
		{"/nowhere", "404 page not found\n", "notfound"},
	}
	for _, tt := range tests {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest("GET", tt.path, nil))
		id := rec.Header().Get("X-Request-Id")
		want := tt.body
		if strings.HasSuffix(want, " ") {
			want += id
		}
		if rec.Body.String() != want {
			t.Errorf("GET %s: body %q, want %q", tt.path, rec.Body.String(), want)
		}
		recs := logs.records(t)
		if got := recs[len(recs)-1]; got["route"] != tt.route || got["request_id"] != id {
			t.Errorf("GET %s: logged route %v id %v, want %s %s", tt.path, got["route"], got["request_id"], tt.route, id)
		}
	}
}
