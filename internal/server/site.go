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
	"time"

	"github.com/versus-dev/versus/internal/catalog"
	"github.com/versus-dev/versus/internal/compare"
	"github.com/versus-dev/versus/internal/server/middleware"
)

// Site is the handler `versus serve` runs, exported so that the load test
// measures exactly what production serves. It is the Server, which before
// any content was valid (watch mode, content that started broken) answers
// with the problems. Reload swaps what it serves without a restart, through
// the Server's one swap; a broken edit never replaces good content.
type Site struct {
	*Server
	dir string
}

// NewSite serves cat. A nil cat means the content is broken: the site
// then answers 503 with problems (located under dir, the folder they were
// read from, so an author can open the files) until a Reload succeeds.
// opts.Logger receives the reload and problem lines as well as the
// request log.
func NewSite(cat *catalog.Catalog, problems compare.Problems, dir string, opts Options) (*Site, error) {
	if cat == nil && len(problems) == 0 {
		return nil, errors.New("new site: no catalog and no problems saying why")
	}
	var shown compare.Problems
	if cat == nil {
		shown = problems.In(dir)
	}
	srv, err := newServer(cat, shown, opts)
	if err != nil {
		return nil, fmt.Errorf("prepare the site: %w", err)
	}
	s := &Site{Server: srv, dir: dir}
	if cat == nil {
		s.logRejected(problems)
	}
	return s, nil
}

// Reload is ReloadContext without a deadline.
func (s *Site) Reload(fsys fs.FS) { s.ReloadContext(context.Background(), fsys) }

// ReloadContext reads the content in fsys again. A valid set goes live in
// one swap; a broken one leaves the last good content served and, in watch
// mode, shows its problems on every page. A load cut short by ctx (the
// process is stopping) changes nothing.
func (s *Site) ReloadContext(ctx context.Context, fsys fs.FS) {
	opts := catalog.Options{MaxArticleBytes: s.opts.MaxArticleBytes, KeepArticles: s.opts.Watch}
	cat, problems, err := LoadContentContext(ctx, fsys, opts)
	if err != nil {
		s.log.Info("content reload abandoned", slog.Any("reason", err))
		return
	}
	if cat == nil {
		s.Reject(problems)
		return
	}
	// Valid content has no problems to show.
	s.mu.Lock()
	s.store(cat, nil)
	s.metrics.Loaded(cat.Len(), time.Now())
	s.mu.Unlock()
	s.log.Info("content reloaded", slog.Int("comparisons", cat.Len()))
}

// Reject shows problems found before any content could be read (the
// content folder is gone, say), or by a load, as a reload that found them
// would: the last good content stays served, with the problems shown in
// watch mode.
func (s *Site) Reject(problems compare.Problems) {
	s.logRejected(problems)
	located := problems.In(s.dir)
	s.mu.Lock()
	defer s.mu.Unlock()
	cur := s.state.Load()
	if cur.cat == nil {
		s.store(nil, located) // still nothing valid: show the new problems
		return
	}
	s.metrics.LoadFailed(time.Now())
	if s.opts.Watch {
		s.store(cur.cat, located)
	}
}

// LoadContent is catalog.Load with any error turned into problems, so
// callers have one thing to print or show. The catalog is nil when a
// problem is an error; with warnings only it comes with them.
func LoadContent(fsys fs.FS) (*catalog.Catalog, compare.Problems) {
	cat, ps, _ := LoadContentContext(context.Background(), fsys, catalog.Options{})
	return cat, ps
}

// LoadContentContext is LoadContent within ctx and opts' limits (watch
// mode passes KeepArticles); the error is ctx's, when it ended the load
// first.
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

// logRejected logs every problem of content that was not loaded.
func (s *Site) logRejected(problems compare.Problems) {
	for _, p := range problems.In(s.dir) {
		s.log.Warn("content problem", slog.String("problem", p.Error()))
	}
	if s.state.Load().cat != nil {
		s.log.Error("content rejected; still serving the last good content", slog.String("problems", problems.Summary()))
		return
	}
	s.log.Error("content rejected; nothing to serve until it is fixed", slog.String("problems", problems.Summary()))
}

// ready is the last middleware before the routes: while no valid content
// was ever loaded (watch mode only), /healthz says the process is up, and
// /readyz and every page answer 503 with the problems, so the author sees
// what to fix.
func (s *Server) ready(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		st := s.state.Load()
		if st.cat != nil {
			next.ServeHTTP(w, r)
			return
		}
		notReady(st.problems).ServeHTTP(w, r)
	})
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
