package server

import (
	"net/http"

	"github.com/go-chi/chi/v5"
)

// Probe answers are tiny and must never come from a cache: a stale "ok"
// would hide a dead instance.
var (
	opsTextH    = []string{"text/plain; charset=utf-8"}
	opsNoStoreH = []string{"no-store"}
	opsOK       = []byte("ok\n")
)

// mountOps adds the endpoints that orchestrators and monitoring call:
// /healthz (the process answers), /readyz (it has content to serve) and,
// with Options.PublicMetrics, /metrics (Prometheus, from the server's
// private registry; otherwise see MetricsHandler). They sit
// beside the site's routes so they go through the same request id and
// logging.
func (s *Server) mountOps(r chi.Router) {
	r.Get("/healthz", s.healthz)
	r.Head("/healthz", s.healthz)
	r.Get("/readyz", s.readyz)
	r.Head("/readyz", s.readyz)
	if s.opts.PublicMetrics {
		r.Get("/metrics", s.metrics.Handler().ServeHTTP)
		r.Head("/metrics", s.metrics.Handler().ServeHTTP)
	}
}

// healthz says the process is alive and its router answers. It checks
// nothing else on purpose: a liveness failure gets the process restarted,
// which would not fix bad content.
func (s *Server) healthz(w http.ResponseWriter, r *http.Request) {
	writeProbe(w, r, http.StatusOK, opsOK)
}

// readyz says this instance should receive traffic. A Server always has
// a catalog (New and Swap refuse nil), so it is always ready; until some
// content is valid, the Site answers /readyz with 503 itself (notReady).
func (s *Server) readyz(w http.ResponseWriter, r *http.Request) {
	writeProbe(w, r, http.StatusOK, opsOK)
}

func writeProbe(w http.ResponseWriter, r *http.Request, status int, body []byte) {
	h := w.Header()
	h["Content-Type"] = opsTextH
	h["Cache-Control"] = opsNoStoreH
	w.WriteHeader(status)
	if r.Method != http.MethodHead {
		w.Write(body)
	}
}
