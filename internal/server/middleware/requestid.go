package middleware

import (
	"context"
	"crypto/rand"
	"net/http"
)

type requestIDKey struct{}

// maxRequestIDLen bounds an incoming id so a client cannot bloat every log
// line it causes.
const maxRequestIDLen = 64

// RequestID gives every request an id that ties its log lines together and
// that a user can quote in a bug report. A sane incoming X-Request-Id (from
// a proxy in front, at most 64 characters of [A-Za-z0-9-_.]) is kept so the
// id follows the request across hops; anything else is replaced by a random
// one. The id is echoed in the response's X-Request-Id.
func RequestID(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id := r.Header.Get("X-Request-Id")
		if !validRequestID(id) {
			id = rand.Text()
		}
		w.Header()["X-Request-Id"] = []string{id}
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), requestIDKey{}, id)))
	})
}

// RequestIDFrom returns the request id RequestID stored in ctx, or "" when
// the request did not pass through RequestID.
func RequestIDFrom(ctx context.Context) string {
	id, _ := ctx.Value(requestIDKey{}).(string)
	return id
}

func validRequestID(id string) bool {
	if id == "" || len(id) > maxRequestIDLen {
		return false
	}
	for i := 0; i < len(id); i++ {
		c := id[i]
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9', c == '-', c == '_', c == '.':
		default:
			return false
		}
	}
	return true
}
