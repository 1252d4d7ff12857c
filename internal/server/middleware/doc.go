// Package middleware holds the HTTP middleware every versus response goes
// through: request ids, the access log, panic recovery, security headers,
// request size limits and Prometheus metrics. Each one is an ordinary
// func(http.Handler) http.Handler so it composes with chi's Use.
//
// The intended order, outermost first, is
//
//	RequestID → Logger → Metrics → Recoverer → SecurityHeaders → CanonicalPath → MaxBytes → router
//
// so that the log line and the metrics see the 500 a recovered panic turns
// into, and the panic's log line carries the request id. Logger and Metrics
// read the chi route pattern after the handler ran, so install them with
// the router's Use, not around the router.
package middleware
