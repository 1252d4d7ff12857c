package middleware

import (
	"net/http"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Metrics counts requests by route and keeps the catalog gauges, in a
// registry of its own: no package globals, so tests and several servers in
// one process never collide.
type Metrics struct {
	reg         *prometheus.Registry
	requests    *prometheus.CounterVec
	duration    *prometheus.HistogramVec
	comparisons prometheus.Gauge
	reloadOK    prometheus.Gauge
	reloadTime  prometheus.Gauge
	tlsFailed   prometheus.Counter
}

// NewMetrics builds the registry with the request metrics, the catalog
// gauges and the standard Go runtime and process collectors.
func NewMetrics() *Metrics {
	m := &Metrics{
		reg: prometheus.NewRegistry(),
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Namespace: "versus", Name: "requests_total",
			Help: "HTTP requests answered, by chi route pattern (\"notfound\" when none matched), method and status.",
		}, []string{"route", "method", "status"}),
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Namespace: "versus", Name: "request_duration_seconds",
			Help: "Time to answer an HTTP request, by chi route pattern.",
			// Cached pages take microseconds; the recommender and
			// result pages a few milliseconds.
			Buckets: []float64{.0001, .00025, .0005, .001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5},
		}, []string{"route"}),
		comparisons: prometheus.NewGauge(prometheus.GaugeOpts{
			Namespace: "versus", Name: "catalog_comparisons",
			Help: "Published comparisons in the catalog being served.",
		}),
		reloadOK: prometheus.NewGauge(prometheus.GaugeOpts{
			Namespace: "versus", Name: "catalog_last_reload_success",
			Help: "1 when the last content load succeeded, 0 when it failed and older content is still served.",
		}),
		reloadTime: prometheus.NewGauge(prometheus.GaugeOpts{
			Namespace: "versus", Name: "catalog_last_reload_timestamp_seconds",
			Help: "Unix time of the last content load attempt.",
		}),
		tlsFailed: prometheus.NewCounter(prometheus.CounterOpts{
			Namespace: "versus", Name: "tls_handshake_failures_total",
			Help: "TLS handshakes that failed (scanners, clients that do not trust the certificate, timeouts); counted rather than logged one by one.",
		}),
	}
	m.reg.MustRegister(m.requests, m.duration, m.comparisons, m.reloadOK, m.reloadTime, m.tlsFailed,
		collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
	)
	return m
}

// Registry is where other parts of the server (the page cache) register
// their own metrics, so /metrics shows them beside the request metrics.
func (m *Metrics) Registry() prometheus.Registerer { return m.reg }

// Handler serves the registry in the Prometheus exposition format; mount
// it at /metrics.
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{Registry: m.reg})
}

// Loaded records a successful content load: n published comparisons, now
// live.
func (m *Metrics) Loaded(n int, at time.Time) {
	m.comparisons.Set(float64(n))
	m.reloadOK.Set(1)
	m.reloadTime.Set(float64(at.UnixNano()) / 1e9)
}

// TLSHandshakeFailed counts one failed TLS handshake.
func (m *Metrics) TLSHandshakeFailed() { m.tlsFailed.Inc() }

// LoadFailed records a content load that was rejected; the comparisons
// gauge keeps describing the catalog still served.
func (m *Metrics) LoadFailed(at time.Time) {
	m.reloadOK.Set(0)
	m.reloadTime.Set(float64(at.UnixNano()) / 1e9)
}

// Middleware counts each request and times it under its chi route pattern,
// never the raw path: paths are unbounded (any /compare/anything is a
// request), patterns are the fixed set the router declares.
func (m *Metrics) Middleware(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		sw, owned := wrap(w)
		next.ServeHTTP(sw, r)
		route := routePattern(r)
		m.requests.WithLabelValues(route, methodLabel(r.Method), statusLabel(sw.finalStatus())).Inc()
		m.duration.WithLabelValues(route).Observe(time.Since(start).Seconds())
		if owned {
			release(sw)
		}
	})
}

// methodLabel folds methods the site does not use into one value, so a
// client inventing methods cannot grow the label set.
func methodLabel(m string) string {
	switch m {
	case http.MethodGet, http.MethodHead, http.MethodPost, http.MethodPut, http.MethodPatch,
		http.MethodDelete, http.MethodOptions, http.MethodConnect, http.MethodTrace:
		return m
	}
	return "other"
}

// statusLabels avoids formatting the status on every request.
var statusLabels = func() (l [600]string) {
	for i := range l {
		l[i] = strconv.Itoa(i)
	}
	return l
}()

func statusLabel(code int) string {
	if code >= 0 && code < len(statusLabels) {
		return statusLabels[code]
	}
	return strconv.Itoa(code)
}
