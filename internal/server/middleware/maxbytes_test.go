package middleware

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// echoBody reads the whole body like a form handler would, mapping a body
// over the limit to 413 with IsTooLarge.
func echoBody(called *bool) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		*called = true
		b, err := io.ReadAll(r.Body)
		switch {
		case IsTooLarge(fmt.Errorf("read form: %w", err)):
			http.Error(w, "too large", http.StatusRequestEntityTooLarge)
		case err != nil:
			http.Error(w, err.Error(), http.StatusBadRequest)
		default:
			fmt.Fprintf(w, "read %d bytes", len(b))
		}
	})
}

func TestMaxBytes(t *testing.T) {
	const limit = 16
	tests := []struct {
		name        string
		body        string
		chunked     bool // hide the length, as a chunked upload does
		wantStatus  int
		wantBody    string
		wantHandler bool
	}{
		{name: "no body", wantStatus: 200, wantBody: "read 0 bytes", wantHandler: true},
		{name: "at the limit", body: strings.Repeat("a", limit), wantStatus: 200, wantBody: "read 16 bytes", wantHandler: true},
		{name: "declared too large is refused early", body: strings.Repeat("a", limit+1), wantStatus: 413, wantBody: "413 request body too large: the limit is 16 bytes"},
		{name: "chunked within the limit", body: "size=small", chunked: true, wantStatus: 200, wantBody: "read 10 bytes", wantHandler: true},
		{name: "chunked past the limit fails the read", body: strings.Repeat("a", 100), chunked: true, wantStatus: 413, wantBody: "too large", wantHandler: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var body io.Reader
			if tt.body != "" {
				body = strings.NewReader(tt.body)
			}
			req := httptest.NewRequest("POST", "/compare/x/quiz", body)
			if tt.chunked {
				req.ContentLength = -1
				req.Body = io.NopCloser(strings.NewReader(tt.body))
			}
			called := false
			rec := httptest.NewRecorder()
			MaxBytes(limit)(echoBody(&called)).ServeHTTP(rec, req)
			if rec.Code != tt.wantStatus {
				t.Fatalf("status = %d, want %d (body %q)", rec.Code, tt.wantStatus, rec.Body.String())
			}
			if !strings.Contains(rec.Body.String(), tt.wantBody) {
				t.Errorf("body = %q, want it to contain %q", rec.Body.String(), tt.wantBody)
			}
			if called != tt.wantHandler {
				t.Errorf("handler called = %v, want %v", called, tt.wantHandler)
			}
		})
	}
}

func TestIsTooLarge(t *testing.T) {
	tests := []struct {
		name string
		err  error
		want bool
	}{
		{"nil", nil, false},
		{"plain", errors.New("http: request body too large"), false},
		{"EOF", io.ErrUnexpectedEOF, false},
		{"MaxBytesError", &http.MaxBytesError{Limit: 1}, true},
		{"wrapped", fmt.Errorf("parse form: %w", &http.MaxBytesError{Limit: 1}), true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := IsTooLarge(tt.err); got != tt.want {
				t.Errorf("IsTooLarge(%v) = %v, want %v", tt.err, got, tt.want)
			}
		})
	}
}
