package server

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/versus-dev/versus/internal/catalog"
	"github.com/versus-dev/versus/internal/compare"
	"github.com/versus-dev/versus/internal/server/middleware"
)

// Site is the handler `versus serve` runs, exported so that the load test
// measures exactly what production serves. It is the Server once a
// catalog is valid and, before that (watch mode, content that started
// broken), a page listing the problems. Reload swaps what it serves
// without a restart; a broken edit never replaces good content.
type Site struct {
	log  *slog.Logger
	dir  string
	opts Options

	handler atomic.Pointer[http.Handler]
	mu      sync.Mutex // serialises Reload
	srv     *Server    // nil until some content was valid
}

// NewSite serves cat. A nil cat means the content is broken: the site
// then answers 503 with problems (located under dir, the folder they were
// read from, so an author can open the files) until a Reload succeeds.
// opts.Logger receives the reload and problem lines as well as the
// request log.
func NewSite(cat *catalog.Catalog, problems compare.Problems, dir string, opts Options) (*Site, error) {
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	if opts.Metrics == nil {
		opts.Metrics = middleware.NewMetrics()
	}
	s := &Site{log: opts.Logger, dir: dir, opts: opts}
	if cat == nil {
		if len(problems) == 0 {
			return nil, errors.New("new site: no catalog and no problems saying why")
		}
		s.rejected(problems)
		return s, nil
	}
	srv, err := New(cat, opts)
	if err != nil {
		return nil, fmt.Errorf("prepare the site: %w", err)
	}
	s.srv = srv
	s.set(srv)
	return s, nil
}

// MetricsHandler serves the site's Prometheus metrics (GET and HEAD),
// also while no content was ever valid.
func (s *Site) MetricsHandler() http.Handler { return s.opts.Metrics.Handler() }

// Metrics is the site's registry, for counters kept outside the handler
// (failed TLS handshakes).
func (s *Site) Metrics() *middleware.Metrics { return s.opts.Metrics }

// ServeHTTP answers with whatever the last successful load produced.
func (s *Site) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	(*s.handler.Load()).ServeHTTP(w, r)
}

func (s *Site) set(h http.Handler) { s.handler.Store(&h) }

// Reload is ReloadContext without a deadline.
func (s *Site) Reload(fsys fs.FS) { s.ReloadContext(context.Background(), fsys) }

// ReloadContext reads the content in fsys again. A valid set goes live in
// one swap; a broken one leaves the last good content served and, in watch
// mode, shows its problems on every page. A load cut short by ctx (the
// process is stopping) changes nothing.
func (s *Site) ReloadContext(ctx context.Context, fsys fs.FS) {
	s.mu.Lock()
	defer s.mu.Unlock()
	cat, problems, err := LoadContentContext(ctx, fsys, catalog.Options{MaxArticleBytes: s.opts.MaxArticleBytes})
	if err != nil {
		s.log.Info("content reload abandoned", slog.Any("reason", err))
		return
	}
	if cat == nil {
		s.rejected(problems)
		return
	}
	// Valid content has no problems to show: a new Server starts without
	// them, and swap drops them in the one prerender it does.
	if s.srv == nil {
		srv, err := New(cat, s.opts)
		if err != nil {
			s.log.Error("content reload failed", slog.Any("error", err))
			return
		}
		s.srv = srv
		s.set(srv)
	} else if err := s.srv.swap(cat, true); err != nil {
		s.log.Error("content reload failed; still serving the last good content", slog.Any("error", err))
		return
	}
	s.log.Info("content reloaded", slog.Int("comparisons", cat.Len()))
}

// Reject shows problems found before any content could be read (the
// content folder is gone, say) as a reload that found them would.
func (s *Site) Reject(problems compare.Problems) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.rejected(problems)
}

// LoadContent is catalog.Load with any error turned into problems, so
// callers have one thing to print or show. The catalog is nil when a
// problem is an error; with warnings only it comes with them.
func LoadContent(fsys fs.FS) (*catalog.Catalog, compare.Problems) {
	cat, ps, _ := LoadContentContext(context.Background(), fsys, catalog.Options{})
	return cat, ps
}

// LoadContentContext is LoadContent within ctx and opts' limits; the error
// is ctx's, when it ended the load first.
func LoadContentContext(ctx context.Context, fsys fs.FS, opts catalog.Options) (*catalog.Catalog, compare.Problems, error) {
	cat, err := catalog.LoadContext(ctx, fsys, opts)
	if err == nil {
		return cat, cat.Warnings(), nil
	}
	if ctx.Err() != nil && errors.Is(err, ctx.Err()) {
		return nil, nil, err
	}
	var ps compare.Problems
	if errors.As(err, &ps) && len(ps) > 0 {
		return nil, ps, nil
	}
	return nil, compare.Problems{{File: ".", Msg: err.Error()}}, nil
}

// rejected logs every problem and shows them: on every page of the running
// site, or on the placeholder when no content was ever valid.
func (s *Site) rejected(problems compare.Problems) {
	located := problems.In(s.dir)
	for _, p := range located {
		s.log.Warn("content problem", slog.String("problem", p.Error()))
	}
	if s.srv != nil {
		s.log.Error("content rejected; still serving the last good content", slog.String("problems", problems.Summary()))
		s.srv.SetProblems(located)
		return
	}
	s.log.Error("content rejected; nothing to serve until it is fixed", slog.String("problems", problems.Summary()))
	s.set(notReady(located))
}

// notReady answers while no valid content was ever loaded (watch mode
// only): /healthz says the process is up, /readyz and every page answer
// 503 with the problems, so the author sees what to fix.
func notReady(problems compare.Problems) http.Handler {
	var b strings.Builder
	b.WriteString("503 service unavailable: the content has problems, and the site starts once they are fixed.\n\n")
	for _, p := range problems {
		b.WriteString(p.Error())
		b.WriteByte('\n')
	}
	b.WriteString(problems.Summary() + "\n")
	body := b.String()
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.Header().Set("Cache-Control", "no-store")
		if r.URL.Path == "/healthz" {
			io.WriteString(w, "ok\n")
			return
		}
		w.Header().Set("Retry-After", "1")
		w.WriteHeader(http.StatusServiceUnavailable)
		io.WriteString(w, body)
	})
}

// Log output is batched: up to logBufferSize bytes, written at least every
// logFlushInterval, which is as late as a line shows up in a terminal.
const (
	logBufferSize    = 64 << 10
	logFlushInterval = 100 * time.Millisecond
)

// NewLogger is the logger of `versus serve`: text or JSON lines (format
// "text" or "json") at level and above, written to out through a
// LogBuffer so that a request's log line costs a memory copy, not a
// system call. Warnings and errors flush the buffer at once: whoever
// watches the log for a content problem or a failure should not wait.
// Close the buffer when the server has stopped, or the last lines are
// lost.
func NewLogger(out io.Writer, format string, level slog.Leveler) (*slog.Logger, *middleware.LogBuffer, error) {
	opts := &slog.HandlerOptions{Level: level}
	if format != "text" && format != "json" {
		return nil, nil, fmt.Errorf("log format %q: want text or json", format)
	}
	buf := middleware.NewLogBuffer(out, logBufferSize, logFlushInterval)
	var h slog.Handler
	if format == "json" {
		h = slog.NewJSONHandler(buf, opts)
	} else {
		h = slog.NewTextHandler(buf, opts)
	}
	return slog.New(flushOnWarn{h, buf}), buf, nil
}

// flushOnWarn writes out the buffer after every record at Warn or above.
type flushOnWarn struct {
	slog.Handler
	buf *middleware.LogBuffer
}

func (h flushOnWarn) Handle(ctx context.Context, r slog.Record) error {
	err := h.Handler.Handle(ctx, r)
	if r.Level >= slog.LevelWarn {
		if ferr := h.buf.Flush(); err == nil {
			err = ferr
		}
	}
	return err
}

func (h flushOnWarn) WithAttrs(as []slog.Attr) slog.Handler {
	return flushOnWarn{h.Handler.WithAttrs(as), h.buf}
}

func (h flushOnWarn) WithGroup(name string) slog.Handler {
	return flushOnWarn{h.Handler.WithGroup(name), h.buf}
}
