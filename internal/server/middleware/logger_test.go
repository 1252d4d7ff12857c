package middleware

import (
	"io"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/go-chi/chi/v5"
)

func TestLogger(t *testing.T) {
	logger, logs := newTestLogger()
	r := chi.NewRouter()
	r.Use(RequestID, Logger(logger))
	r.Get("/compare/{slug}", func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, "page of "+chi.URLParam(r, "slug"))
	})
	r.Get("/empty", func(w http.ResponseWriter, r *http.Request) {})
	r.Get("/created", func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusCreated)
		w.WriteHeader(http.StatusTeapot) // superfluous: the client got 201
		io.WriteString(w, "ok")
	})
	r.Get("/broken", func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "boom", http.StatusInternalServerError)
	})
	r.Route("/api", func(r chi.Router) {
		r.Get("/compare/{slug}/quiz", func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "{}") })
	})

	tests := []struct {
		path, route, level string
		status             int
		bytes              int
	}{
		{"/compare/django-vs-flask", "/compare/{slug}", "INFO", 200, len("page of django-vs-flask")},
		{"/empty", "/empty", "INFO", 200, 0},
		{"/created", "/created", "INFO", 201, 2},
		{"/broken", "/broken", "ERROR", 500, len("boom\n")},
		{"/api/compare/x/quiz", "/api/compare/{slug}/quiz", "INFO", 200, 2},
		{"/no/such/page", "notfound", "INFO", 404, len("404 page not found\n")},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			before := len(logs.records(t))
			rec := httptest.NewRecorder()
			r.ServeHTTP(rec, httptest.NewRequest("GET", tt.path, nil))
			if rec.Code != tt.status {
				t.Fatalf("status = %d, want %d", rec.Code, tt.status)
			}
			recs := logs.records(t)
			if len(recs) != before+1 {
				t.Fatalf("%d new log lines, want 1", len(recs)-before)
			}
			got := recs[len(recs)-1]
			want := map[string]any{
				"msg": "request", "level": tt.level, "method": "GET", "path": tt.path, "route": tt.route,
				"status": float64(tt.status), "bytes": float64(tt.bytes), "request_id": rec.Header().Get("X-Request-Id"),
			}
			for k, v := range want {
				if got[k] != v {
					t.Errorf("%s = %v, want %v", k, got[k], v)
				}
			}
			if d, ok := got["duration"].(float64); !ok || d < 0 {
				t.Errorf("duration = %v, want a non-negative number", got["duration"])
			}
		})
	}
}

// TestLoggerKeepsFlusher checks that the wrapper does not hide the
// underlying writer's Flush from http.ResponseController, which streaming
// handlers need.
func TestLoggerKeepsFlusher(t *testing.T) {
	logger, _ := newTestLogger()
	var flushErr error
	h := Logger(logger)(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, "part")
		flushErr = http.NewResponseController(w).Flush()
	}))
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", "/", nil))
	if flushErr != nil || !rec.Flushed {
		t.Errorf("Flush through the wrapper: err %v, flushed %v", flushErr, rec.Flushed)
	}
}

// TestLoggerInformational checks over a real connection that a 1xx sent
// before the response is not logged as the status the client got.
func TestLoggerInformational(t *testing.T) {
	logger, logs := newTestLogger()
	srv := httptest.NewServer(Logger(logger)(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Link", "</static/site.css>; rel=preload; as=style")
		w.WriteHeader(http.StatusEarlyHints)
		w.WriteHeader(http.StatusAccepted)
	})))
	defer srv.Close()
	res, err := http.Get(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusAccepted {
		t.Fatalf("client got %d, want 202", res.StatusCode)
	}
	srv.Close() // waits for the handler, and so for its log line
	recs := logs.records(t)
	if len(recs) != 1 || recs[0]["status"] != float64(202) || recs[0]["route"] != "notfound" {
		t.Errorf("logs = %v, want one line with status 202 and route notfound (no chi router)", recs)
	}
}
