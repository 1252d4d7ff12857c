// Package server is the versus web site: the chi router, one handler per
// page kind (each in its own file, next to the view model it builds), and
// the one page cache every rendered response goes through.
//
// Nothing is rendered before a request asks for it. The catalog keeps an
// index resident; a page is rendered on its first request, from the
// article parsed again if need be, and kept in a cache with a byte budget
// (Options.CacheSize) that counts every compressed variant. Everything
// derived from one catalog is a state with its own cache generation, and
// Swap replaces the state whole, so a reload never serves a mix of old and
// new content, and nothing rendered from the old catalog after it.
//
// What `versus serve` runs is assembled here too, so the binary, the load
// test and the tests serve the same thing: Site (the Server, reloaded from
// the content folder, or the problems while there is no valid content),
// NewHTTPServer (the http.Server limits) and NewLogger.
package server

import (
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"runtime/debug"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/go-chi/chi/v5"

	"github.com/versus-dev/versus/internal/catalog"
	"github.com/versus-dev/versus/internal/compare"
	"github.com/versus-dev/versus/internal/server/middleware"
	"github.com/versus-dev/versus/internal/server/pagecache"
)

// Options configures a Server. The zero value serves http://localhost:8080
// with a DefaultCacheSize cache.
type Options struct {
	Logger  *slog.Logger
	BaseURL string // absolute site URL for canonical, Open Graph, sitemap and feed links
	Watch   bool   // author mode: every page shows a banner listing content problems
	HSTS    bool   // send Strict-Transport-Security (set when serving TLS)
	// MaxArticleBytes bounds each article a Site reload reads (0: the
	// catalog's default).
	MaxArticleBytes int64
	// PublicMetrics mounts /metrics on the site's own routes. Off by
	// default: the metrics show the Go version and process details, so
	// versus serve offers them on a separate address (-metrics-addr),
	// through MetricsHandler.
	PublicMetrics bool
	// Metrics is the registry to count into; nil makes a new one.
	Metrics *middleware.Metrics
	// CacheSize is the page cache's budget in bytes: rendered pages, each
	// compressed variant, and the articles parsed to render them. Zero
	// means DefaultCacheSize.
	CacheSize int64
}

// DefaultBaseURL is where the site is assumed to live when Options leaves
// BaseURL empty: the address `versus serve` listens on by default.
const DefaultBaseURL = "http://localhost:8080"

// DefaultCacheSize is the page cache budget when Options leaves it zero:
// about 2,000 comparison pages with their gzip and brotli variants, or
// 15,000 result pages.
const DefaultCacheSize = 256 << 20

// MemoryLimit is the soft memory limit `versus serve` gives the Go runtime
// (runtime/debug.SetMemoryLimit) when GOMEMLIMIT is not set: twice the
// cache budget plus 256 MiB. The page cache holds at most its budget, but
// the collector lets the heap grow to twice what is live before it runs
// (GOGC=100), so without a limit a full cache could take the process to
// twice its budget and more; with it, the collector runs sooner as the
// heap nears the limit, and the index, the renders in progress and the
// collector's slack share the rest.
func MemoryLimit(cacheSize int64) int64 {
	if cacheSize <= 0 {
		cacheSize = DefaultCacheSize
	}
	return 2*cacheSize + 256<<20
}

// StartupGCPercent is the collector's target (GOGC) while the content is
// first loaded, when GOGC is not set. Loading parses every file and keeps
// only a small index, so nearly all it allocates is garbage at once and
// the live heap is small: at the default 100 the collector ran every few
// articles and took a third of the CPU (BenchmarkLoadSynthetic100: 89 ms
// at 100, 67 ms at 400). The memory limit still bounds the heap.
const StartupGCPercent = 400

// StartupGC sets the collector for the first load of the content and
// returns the function that sets it back, for `versus serve` and `versus
// check`. With GOGC set in the environment it changes nothing.
func StartupGC() (restore func()) {
	if os.Getenv("GOGC") != "" {
		return func() {}
	}
	old := debug.SetGCPercent(StartupGCPercent)
	return func() { debug.SetGCPercent(old) }
}

// Server answers every request of the site. It is safe for concurrent use;
// Swap and SetProblems may be called while it serves.
type Server struct {
	opts    Options
	log     *slog.Logger
	handler http.Handler
	mux     *chi.Mux // the router handler is; tests add routes to it
	metrics *middleware.Metrics
	cache   *pagecache.Cache

	// assets are the static files, prepared once: they never change while
	// the process runs.
	assets   map[string]http.Handler
	favicon  http.Handler
	internal []byte // the 500 page: it shows no details, so one fits all; written as is, never compressed
	live     *live  // watch mode only: tells open pages to reload (live.go)

	// sitemapMax is how many URLs one sitemap file lists (the sitemaps
	// protocol's limit); tests lower it.
	sitemapMax int

	mu    sync.Mutex // serialises Swap, SetProblems and Reload, which replace state
	state atomic.Pointer[state]
	gen   uint64 // the last generation handed out; under mu
}

// state is everything one catalog (and, in watch mode, one set of problems)
// is served from. It is never modified after it is stored; its pages live
// in the cache under its generation.
type state struct {
	gen      uint64
	cat      *catalog.Catalog // nil while no content was ever valid (Site only)
	problems compare.Problems
}

// New serves cat. It renders nothing: each page is rendered when it is
// first asked for.
func New(cat *catalog.Catalog, opts Options) (*Server, error) {
	if cat == nil {
		return nil, errors.New("server: nil catalog")
	}
	return newServer(cat, nil, opts)
}

// newServer is New, also for a Site whose content was never valid (cat
// nil, problems saying why).
func newServer(cat *catalog.Catalog, problems compare.Problems, opts Options) (*Server, error) {
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	opts.BaseURL = strings.TrimRight(opts.BaseURL, "/")
	if opts.BaseURL == "" {
		opts.BaseURL = DefaultBaseURL
	}
	if opts.CacheSize == 0 {
		opts.CacheSize = DefaultCacheSize
	}
	if opts.CacheSize < 0 {
		return nil, fmt.Errorf("server: cache size %d: want a positive number of bytes", opts.CacheSize)
	}
	if opts.Metrics == nil {
		opts.Metrics = middleware.NewMetrics()
	}
	s := &Server{opts: opts, log: opts.Logger, metrics: opts.Metrics, sitemapMax: sitemapLimit}
	if opts.Watch {
		s.live = newLive()
	}
	var err error
	if s.cache, err = pagecache.NewCache(opts.CacheSize, s.metrics.Registry()); err != nil {
		return nil, err
	}
	if err := s.prepareAssets(); err != nil {
		return nil, err
	}
	s.store(cat, problems)
	if cat != nil {
		s.metrics.Loaded(cat.Len(), time.Now())
	}
	s.handler = s.routes()
	return s, nil
}

// MetricsHandler serves the Prometheus metrics, wherever the caller
// mounts it (GET and HEAD), also while no content was ever valid.
func (s *Server) MetricsHandler() http.Handler { return s.metrics.Handler() }

// Metrics is the server's registry, for counters kept outside the handler
// (failed TLS handshakes).
func (s *Server) Metrics() *middleware.Metrics { return s.metrics }

// ServeHTTP routes the request through the middleware and the router.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.handler.ServeHTTP(w, r)
}

// CacheBytes is what the page cache holds, in bytes, for the load test
// and the metrics.
func (s *Server) CacheBytes() int64 { return s.cache.Bytes() }

// CacheBudget is the page cache's budget in bytes.
func (s *Server) CacheBudget() int64 { return s.opts.CacheSize }

// store makes cat and problems the served state, under a new generation,
// and drops every value of the old one. Callers hold mu (or own s), and
// record the load in the metrics.
func (s *Server) store(cat *catalog.Catalog, problems compare.Problems) {
	s.gen++
	s.state.Store(&state{gen: s.gen, cat: cat, problems: problems})
	s.cache.Clear()
	s.live.bump() // watch mode: open pages load the new state
}

// Swap replaces the served content in one step; the problems shown in
// watch mode stay until the next SetProblems. Nothing rendered from the
// old content is served once Swap has returned.
func (s *Server) Swap(cat *catalog.Catalog) error {
	if cat == nil {
		return errors.New("swap: nil catalog")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.store(cat, s.state.Load().problems)
	s.metrics.Loaded(cat.Len(), time.Now())
	return nil
}

// SetProblems records the problems of the last reload so that, in watch
// mode, every page shows them to the author (a new generation: every page
// is rendered again with the banner). Outside watch mode it only marks the
// reload failed in the metrics, whose comparisons gauge keeps describing
// the catalog still served: readers never see authoring problems.
func (s *Server) SetProblems(ps compare.Problems) {
	if len(ps) > 0 {
		s.metrics.LoadFailed(time.Now())
	}
	if !s.opts.Watch {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.store(s.state.Load().cat, ps)
}

// handler is what a page kind's file provides: it answers from the one
// state loaded for the request, so a swap mid-request cannot mix two
// catalogs, and it reports failure instead of writing it, so every error
// goes through serveError (or serveJSONError) and gets the same treatment.
type handler func(w http.ResponseWriter, r *http.Request, st *state) error

// html adapts a page handler: errors become HTML pages.
func (s *Server) html(h handler) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		st := s.state.Load()
		if err := h(w, r, st); err != nil {
			s.serveError(w, r, st, err)
		}
	}
}

// api adapts an API handler: errors become JSON.
func (s *Server) api(h handler) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		st := s.state.Load()
		if err := h(w, r, st); err != nil {
			s.serveJSONError(w, r, err)
		}
	}
}

// slugParam is the comparison slug of a route under /compare/{slug}.
func slugParam(r *http.Request) string { return chi.URLParam(r, "slug") }
