package middleware

import (
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func renderTestPage(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(http.StatusInternalServerError)
	io.WriteString(w, "<h1>Something broke</h1><p>Request "+RequestIDFrom(r.Context())+"</p>")
}

func TestRecoverer(t *testing.T) {
	tests := []struct {
		name      string
		render    func(http.ResponseWriter, *http.Request)
		handler   http.HandlerFunc
		wantBody  string
		wantType  string
		wantPanic string // logged panic value
	}{
		{
			name:   "string panic renders the page",
			render: renderTestPage,
			handler: func(w http.ResponseWriter, r *http.Request) {
				panic("secret internal detail")
			},
			wantBody: "<h1>Something broke</h1>", wantType: "text/html; charset=utf-8", wantPanic: "secret internal detail",
		},
		{
			name:   "error panic, headers of the unsent response are dropped",
			render: renderTestPage,
			handler: func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", "application/json")
				w.Header().Set("Content-Length", "9999")
				w.Header().Set("Content-Encoding", "br")
				w.Header().Set("ETag", `"abc"`)
				panic(errors.New("secret internal detail"))
			},
			wantBody: "<h1>Something broke</h1>", wantType: "text/html; charset=utf-8", wantPanic: "secret internal detail",
		},
		{
			name: "nil render writes plain text with the request id",
			handler: func(w http.ResponseWriter, r *http.Request) {
				var m map[string]int
				m["secret internal detail"]++
			},
			wantBody: "500 internal server error", wantType: "text/plain; charset=utf-8", wantPanic: "assignment to entry in nil map",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			logger, logs := newTestLogger()
			h := RequestID(Recoverer(logger, tt.render)(tt.handler))
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, httptest.NewRequest("GET", "/compare/x", nil))
			if rec.Code != http.StatusInternalServerError {
				t.Fatalf("status = %d, want 500", rec.Code)
			}
			id := rec.Header().Get("X-Request-Id")
			body := rec.Body.String()
			if !strings.Contains(body, tt.wantBody) || !strings.Contains(body, id) {
				t.Errorf("body %q lacks %q or the request id %q", body, tt.wantBody, id)
			}
			for _, leak := range []string{"secret internal detail", "goroutine", ".go:"} {
				if strings.Contains(body, leak) {
					t.Errorf("body leaks %q: %q", leak, body)
				}
			}
			if got := rec.Header().Get("Content-Type"); got != tt.wantType {
				t.Errorf("Content-Type = %q, want %q", got, tt.wantType)
			}
			for _, k := range []string{"Content-Length", "Content-Encoding", "ETag"} {
				if v := rec.Header().Get(k); v != "" {
					t.Errorf("stale %s: %q survived the panic", k, v)
				}
			}
			recs := logs.records(t)
			if len(recs) != 1 {
				t.Fatalf("%d log lines, want 1", len(recs))
			}
			got := recs[0]
			if got["level"] != "ERROR" || got["request_id"] != id || got["path"] != "/compare/x" {
				t.Errorf("log line %v lacks level ERROR, request id %q or the path", got, id)
			}
			if p, _ := got["panic"].(string); !strings.Contains(p, tt.wantPanic) {
				t.Errorf("logged panic %q, want it to contain %q", p, tt.wantPanic)
			}
			if s, _ := got["stack"].(string); !strings.Contains(s, "recoverer_test.go") {
				t.Errorf("logged stack does not reach the panicking handler: %q", s)
			}
		})
	}
}

func TestRecovererPassesAbort(t *testing.T) {
	logger, logs := newTestLogger()
	h := Recoverer(logger, renderTestPage)(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		panic(http.ErrAbortHandler)
	}))
	defer func() {
		if v := recover(); v != http.ErrAbortHandler {
			t.Errorf("recovered %v, want http.ErrAbortHandler passed on", v)
		}
		if n := len(logs.records(t)); n != 0 {
			t.Errorf("an intentional abort was logged (%d lines)", n)
		}
	}()
	h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", "/", nil))
}

// TestRecovererAfterWrite uses a real server: once the handler has sent
// part of a page, the client must see a broken response, not a short page
// that looks whole.
func TestRecovererAfterWrite(t *testing.T) {
	logger, logs := newTestLogger()
	h := Recoverer(logger, renderTestPage)(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Length", "1000")
		w.WriteHeader(http.StatusOK)
		io.WriteString(w, "<p>half a page")
		http.NewResponseController(w).Flush()
		panic("late failure")
	}))
	srv := httptest.NewUnstartedServer(h)
	srv.Config.ErrorLog = nil
	srv.Start()
	defer srv.Close()
	res, err := http.Get(srv.URL)
	if err != nil {
		t.Fatalf("GET: %v", err)
	}
	body, err := io.ReadAll(res.Body)
	res.Body.Close()
	if err == nil {
		t.Fatalf("read %q without error; want the truncated response to fail", body)
	}
	if strings.Contains(string(body), "Something broke") {
		t.Errorf("error page appended to a started response: %q", body)
	}
	recs := logs.records(t)
	if len(recs) != 1 || recs[0]["panic"] != "late failure" {
		t.Errorf("logs = %v, want one line for the late panic", recs)
	}
}
