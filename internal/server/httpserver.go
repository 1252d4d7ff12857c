package server

import (
	"log/slog"
	"net/http"
	"time"
)

// Limits a reader never meets and a slow or hostile client always does.
// They live here, not in cmd/versus, so the binary, the load test and the
// hostile-input tests all run the same server.
const (
	readHeaderTimeout = 5 * time.Second   // slowloris: headers must arrive promptly
	readTimeout       = 10 * time.Second  // a questionnaire POST is under 1 KiB
	writeTimeout      = 30 * time.Second  // the largest page is ~120 KB
	idleTimeout       = 120 * time.Second // keep-alive for readers clicking around
	maxHeaderBytes    = 64 << 10          // beyond this net/http answers 431
)

// NewHTTPServer wraps h in an http.Server with versus's timeouts and header
// limit; errors net/http handles itself (bad requests, TLS handshakes) are
// logged to log at warning level.
func NewHTTPServer(h http.Handler, log *slog.Logger) *http.Server {
	return &http.Server{
		Handler:           h,
		ReadHeaderTimeout: readHeaderTimeout,
		ReadTimeout:       readTimeout,
		WriteTimeout:      writeTimeout,
		IdleTimeout:       idleTimeout,
		MaxHeaderBytes:    maxHeaderBytes,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
}
