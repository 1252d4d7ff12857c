package middleware

import (
	"log/slog"
	"net/http"
	"time"

	"github.com/go-chi/chi/v5"
)

// Logger writes one structured line per request once the handler has
// finished: method, path, route pattern, status, bytes, duration and
// request id. The route pattern (/compare/{slug}) is what lets the lines
// be grouped; the path says which page. Server errors (5xx) are logged at
// Error level so they stand out; everything else at Info.
//
// The line is built with LogAttrs and no formatting of our own, so its
// cost is the handler's encoding; give the handler a LogBuffer rather than
// a bare file or stderr, or every request pays for a write system call.
func Logger(l *slog.Logger) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			start := time.Now()
			sw, owned := wrap(w)
			next.ServeHTTP(sw, r)
			status := sw.finalStatus()
			level := slog.LevelInfo
			if status >= 500 {
				level = slog.LevelError
			}
			ctx := r.Context()
			if l.Enabled(ctx, level) {
				l.LogAttrs(ctx, level, "request",
					slog.String("method", r.Method),
					slog.String("path", r.URL.Path),
					slog.String("route", routePattern(r)),
					slog.Int("status", status),
					slog.Int64("bytes", sw.bytes),
					slog.Duration("duration", time.Since(start)),
					slog.String("request_id", RequestIDFrom(ctx)),
				)
			}
			if owned {
				release(sw)
			}
		})
	}
}

// routePattern is the chi pattern that matched, or "notfound" when none
// did. Reading it after the handler ran is what makes it complete: chi
// fills it in as the request descends through sub-routers.
func routePattern(r *http.Request) string {
	if p := chi.RouteContext(r.Context()).RoutePattern(); p != "" {
		return p
	}
	return "notfound"
}
