// Package server is the versus web site: the chi router, its page, quiz and
// JSON handlers, and the prerendering of every page that does not depend on
// the request. Prerendered pages live in an immutable state that Swap
// replaces whole, so a reload never serves a mix of old and new content.
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
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/go-chi/chi/v5"

	"github.com/versus-dev/versus/internal/card"
	"github.com/versus-dev/versus/internal/catalog"
	"github.com/versus-dev/versus/internal/compare"
	"github.com/versus-dev/versus/internal/server/middleware"
	"github.com/versus-dev/versus/internal/server/pagecache"
)

// Options configures a Server. The zero value serves http://localhost:8080.
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
	// Metrics is the registry to count into; nil makes a new one. A Site
	// passes its own, so the counts survive the Server it replaces.
	Metrics *middleware.Metrics
}

// DefaultBaseURL is where the site is assumed to live when Options leaves
// BaseURL empty: the address `versus serve` listens on by default.
const DefaultBaseURL = "http://localhost:8080"

// Server answers every request of the site. It is safe for concurrent use;
// Swap and SetProblems may be called while it serves.
type Server struct {
	opts    Options
	log     *slog.Logger
	handler http.Handler // the request id around mux
	mux     *chi.Mux
	metrics *middleware.Metrics

	// assets are the static files, prepared once: they never change while
	// the process runs.
	assets   map[string]http.Handler
	favicon  http.Handler
	internal []byte      // the 500 page: it shows no details, so one fits all; written as is, never compressed
	cards    *card.Cache // result preview PNGs, keyed by what they show

	mu    sync.Mutex // serialises Swap and SetProblems, which both rebuild state
	state atomic.Pointer[state]
}

// state is everything derived from one catalog (and, in watch mode, one set
// of problems). It is never modified after it is stored.
type state struct {
	cat      *catalog.Catalog
	problems compare.Problems
	pages    map[string]*pagecache.Page // by URL path
	notFound *pagecache.Page
	compress *pagecache.Batch // background compression of pages and notFound
	// results caches rendered recommendations and each comparison's
	// scorer; it is dropped with the state, so a reload never serves a
	// result rendered from the old catalog.
	results resultCache
}

// cardCacheSize bounds the preview-card cache: a two-subject comparison has a
// few hundred distinct cards at most (headline × percentages), about 50 KB each.
const cardCacheSize = 512

// New prerenders every page of cat; it fails, naming the page, when one of
// them cannot be rendered.
func New(cat *catalog.Catalog, opts Options) (*Server, error) {
	if cat == nil {
		return nil, errors.New("server: nil catalog")
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	opts.BaseURL = strings.TrimRight(opts.BaseURL, "/")
	if opts.BaseURL == "" {
		opts.BaseURL = DefaultBaseURL
	}
	if opts.Metrics == nil {
		opts.Metrics = middleware.NewMetrics()
	}
	s := &Server{opts: opts, log: opts.Logger, metrics: opts.Metrics, cards: card.NewCache(cardCacheSize)}
	if err := s.prepareAssets(); err != nil {
		return nil, err
	}
	st, err := s.prerender(cat, nil)
	if err != nil {
		return nil, err
	}
	s.state.Store(st)
	s.metrics.Loaded(cat.Len(), time.Now())
	s.handler = s.routes()
	return s, nil
}

// MetricsHandler serves the Prometheus metrics, wherever the caller
// mounts it (GET and HEAD).
func (s *Server) MetricsHandler() http.Handler { return s.metrics.Handler() }

// ServeHTTP routes the request through the middleware and the router.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.handler.ServeHTTP(w, r)
}

// Swap prerenders cat and then replaces the served content in one step;
// the problems shown in watch mode stay until the next SetProblems.
// When prerendering fails the old content stays and the error says why.
func (s *Server) Swap(cat *catalog.Catalog) error {
	return s.swap(cat, false)
}

// swap is Swap; clearProblems drops the problems in the same prerender,
// for a reload that found none, instead of a second one by SetProblems.
func (s *Server) swap(cat *catalog.Catalog, clearProblems bool) error {
	if cat == nil {
		return errors.New("swap: nil catalog")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	var problems compare.Problems
	if !clearProblems {
		problems = s.state.Load().problems
	}
	st, err := s.prerender(cat, problems)
	if err != nil {
		return fmt.Errorf("swap: %w", err)
	}
	s.state.Store(st)
	s.metrics.Loaded(cat.Len(), time.Now())
	return nil
}

// SetProblems records the problems of the last reload so that, in watch
// mode, every page shows them to the author. The pages are rendered again
// with the banner, so serving stays a lookup. Outside watch mode it only
// marks the reload failed in the metrics, whose comparisons gauge keeps
// describing the catalog still served: readers never see authoring
// problems.
func (s *Server) SetProblems(ps compare.Problems) {
	if len(ps) > 0 {
		s.metrics.LoadFailed(time.Now())
	}
	if !s.opts.Watch {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	cur := s.state.Load()
	st, err := s.prerender(cur.cat, ps)
	if err != nil {
		s.log.Error("render problem banner", slog.Any("error", err))
		return
	}
	s.state.Store(st)
}
