package server

import (
	"net/http"
	"time"

	"github.com/go-chi/chi/v5"

	"github.com/versus-dev/versus/internal/catalog"
	"github.com/versus-dev/versus/internal/compare"
	"github.com/versus-dev/versus/internal/server/middleware"
)

// Probe answers are tiny and must never come from a cache: a stale "ok"
// would hide a dead instance.
var (
	opsTextH    = []string{"text/plain; charset=utf-8"}
	opsNoStoreH = []string{"no-store"}
	opsOK       = []byte("ok\n")
	opsNotReady = []byte("not ready: no catalog loaded\n")
)

// mountOps adds the endpoints that orchestrators and monitoring call:
// /healthz (the process answers), /readyz (it has content to serve) and
// /metrics (Prometheus, from m's private registry). They sit beside the
// site's routes so they go through the same request id and logging.
func (s *Server) mountOps(r chi.Router, m *middleware.Metrics) {
	r.Get("/healthz", s.healthz)
	r.Head("/healthz", s.healthz)
	r.Get("/readyz", s.readyz)
	r.Head("/readyz", s.readyz)
	r.Get("/metrics", m.Handler().ServeHTTP)
}

// healthz says the process is alive and its router answers. It checks
// nothing else on purpose: a liveness failure gets the process restarted,
// which would not fix bad content.
func (s *Server) healthz(w http.ResponseWriter, r *http.Request) {
	writeProbe(w, r, http.StatusOK, opsOK)
}

// readyz says whether this instance should receive traffic: only once a
// catalog is loaded.
func (s *Server) readyz(w http.ResponseWriter, r *http.Request) {
	if st := s.state.Load(); st == nil || st.cat == nil {
		writeProbe(w, r, http.StatusServiceUnavailable, opsNotReady)
		return
	}
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

// recordLoad keeps the catalog gauges in step with what is served. Call it
// with the new catalog when New or Swap puts one live, and with the
// problems when a reload is rejected (SetProblems with a non-empty list):
// the comparisons gauge then keeps describing the catalog still served.
func recordLoad(m *middleware.Metrics, cat *catalog.Catalog, problems compare.Problems, at time.Time) {
	if m == nil {
		return
	}
	if len(problems) > 0 || cat == nil {
		m.LoadFailed(at)
		return
	}
	m.Loaded(cat.Len(), at)
}
