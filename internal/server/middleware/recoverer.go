package middleware

import (
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"runtime/debug"
)

// Recoverer turns a panicking handler into a 500 page instead of a dropped
// connection, and logs the panic with its stack and request id to l so it
// can be found and fixed. The client never sees the stack: render writes
// the 500 page (nil writes a short plain-text one).
//
// A panic with http.ErrAbortHandler is net/http's way to abort a response
// on purpose and is passed on. When the handler had already started its
// response, a different status can no longer be sent; the connection is
// then aborted, so the client sees a failure rather than a truncated page
// that looks complete.
func Recoverer(l *slog.Logger, render func(w http.ResponseWriter, r *http.Request)) func(http.Handler) http.Handler {
	if render == nil {
		render = plainInternalError
	}
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			sw, owned := wrap(w)
			defer func() {
				v := recover()
				if v == nil {
					return
				}
				if err, ok := v.(error); ok && errors.Is(err, http.ErrAbortHandler) {
					panic(v)
				}
				l.LogAttrs(r.Context(), slog.LevelError, "panic serving request",
					slog.String("panic", fmt.Sprint(v)),
					slog.String("method", r.Method),
					slog.String("path", r.URL.Path),
					slog.String("request_id", RequestIDFrom(r.Context())),
					slog.String("stack", string(debug.Stack())),
				)
				if sw.started() {
					panic(http.ErrAbortHandler)
				}
				// Drop what the handler set for the response it never sent,
				// so the 500 page is not described by its headers.
				h := sw.Header()
				for _, k := range staleOnPanic {
					delete(h, k)
				}
				render(sw, r)
			}()
			next.ServeHTTP(sw, r)
			if owned {
				release(sw)
			}
		})
	}
}

// staleOnPanic are the headers describing a body, which a panicking
// handler may have set before it failed.
var staleOnPanic = []string{"Content-Type", "Content-Length", "Content-Encoding", "Etag", "Last-Modified", "Cache-Control", "Vary"}

func plainInternalError(w http.ResponseWriter, r *http.Request) {
	msg := "500 internal server error: something broke on our side; it has been logged"
	if id := RequestIDFrom(r.Context()); id != "" {
		msg += " (request id " + id + ")"
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(http.StatusInternalServerError)
	fmt.Fprintln(w, msg)
}
