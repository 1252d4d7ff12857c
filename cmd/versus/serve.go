package main

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"os"
	"runtime/debug"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/versus-dev/versus/content"
	"github.com/versus-dev/versus/internal/catalog"
	"github.com/versus-dev/versus/internal/compare"
	"github.com/versus-dev/versus/internal/server"
	"github.com/versus-dev/versus/internal/watch"
)

// serveConfig is the serve command line, checked.
type serveConfig struct {
	addr            string
	contentDir      string
	watch           bool
	baseURL         string
	logFormat       string
	logLevel        slog.Level
	tlsCert, tlsKey string
	shutdownTimeout time.Duration
	maxArticleBytes int64
	metricsAddr     string
	tlsAnyDates     bool
	cacheSize       int64 // bytes
}

// parseServe reads the serve flags; getenv (os.Getenv outside tests)
// supplies PORT, which sets the default address.
func parseServe(args []string, stderr io.Writer, getenv func(string) string) (*serveConfig, error) {
	fl := flag.NewFlagSet("serve", flag.ContinueOnError)
	fl.SetOutput(stderr)
	port := getenv("PORT")
	defaultAddr := ":8080"
	if port != "" {
		defaultAddr = ":" + port
	}
	var (
		c         serveConfig
		logLevel  string
		cacheSize string
	)
	fl.StringVar(&c.addr, "addr", defaultAddr, "`address` to listen on; the PORT environment variable sets the default port")
	fl.StringVar(&c.contentDir, "content", "", "serve the articles in `DIR` instead of the embedded ones")
	fl.BoolVar(&c.watch, "watch", false, "reload the articles when a file in -content changes; problems show on every page")
	fl.StringVar(&c.baseURL, "base-url", "", "absolute `URL` of the site for canonical links, sitemap and feed (default: http(s)://localhost:PORT)")
	fl.StringVar(&c.logFormat, "log-format", "text", "log format: text or json")
	fl.StringVar(&logLevel, "log-level", "info", "log level: debug, info, warn or error")
	fl.StringVar(&c.tlsCert, "tls-cert", "", "TLS certificate `file` (PEM); serves HTTPS and sends HSTS")
	fl.StringVar(&c.tlsKey, "tls-key", "", "TLS private key `file` (PEM)")
	fl.StringVar(&c.metricsAddr, "metrics-addr", "", "serve Prometheus /metrics on this separate `address` (such as 127.0.0.1:9090); default: not served")
	fl.BoolVar(&c.tlsAnyDates, "tls-allow-expired", false, "start even when the -tls-cert certificate has expired or is not valid yet (logged as a warning)")
	maxArticle := sizeFlag(catalog.DefaultMaxArticleBytes)
	fl.Var(&maxArticle, "max-article-size", "largest article read, in bytes or with a KiB or MiB suffix; a larger one is a problem")
	fl.StringVar(&cacheSize, "cache-size", "256MiB", "`bytes` of rendered pages (with their compressed variants) and parsed articles to keep in memory, e.g. 64MiB or 1GiB")
	fl.DurationVar(&c.shutdownTimeout, "shutdown-timeout", 10*time.Second, "how long to let in-flight requests finish on SIGINT or SIGTERM")
	if err := fl.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil, err
		}
		// The flag package has printed the error and the flags.
		return nil, &exitError{code: 2, err: err, reported: true}
	}
	c.maxArticleBytes = int64(maxArticle)
	if fl.NArg() > 0 {
		return nil, usageErrorf("serve takes no arguments, got %q", fl.Args())
	}
	if port != "" && !isFlagSet(fl, "addr") {
		if n, err := strconv.Atoi(port); err != nil || n < 0 || n > 65535 {
			return nil, usageErrorf("PORT=%q is not a port number", port)
		}
	}
	if c.watch && c.contentDir == "" {
		return nil, usageErrorf("-watch needs -content DIR: the embedded articles cannot change")
	}
	if (c.tlsCert == "") != (c.tlsKey == "") {
		return nil, usageErrorf("-tls-cert and -tls-key go together")
	}
	if c.baseURL != "" {
		if err := checkBaseURL(c.baseURL); err != nil {
			return nil, usageErrorf("-base-url %q: %v; want an absolute http or https URL such as https://versus.example", c.baseURL, err)
		}
	}
	n, err := parseSize(cacheSize)
	if err != nil {
		return nil, usageErrorf("-cache-size %q: %v", cacheSize, err)
	}
	c.cacheSize = n
	if c.shutdownTimeout <= 0 {
		return nil, usageErrorf("-shutdown-timeout must be positive")
	}
	if err := c.logLevel.UnmarshalText([]byte(logLevel)); err != nil {
		return nil, usageErrorf("-log-level %q: want debug, info, warn or error", logLevel)
	}
	if c.logFormat != "text" && c.logFormat != "json" {
		return nil, usageErrorf("-log-format %q: want text or json", c.logFormat)
	}
	return &c, nil
}

// parseSize reads a byte count: a whole number, optionally followed by
// KiB, MiB or GiB.
func parseSize(s string) (int64, error) {
	num, mult := s, int64(1)
	for _, u := range []struct {
		suffix string
		mult   int64
	}{{"KiB", 1 << 10}, {"MiB", 1 << 20}, {"GiB", 1 << 30}} {
		if strings.HasSuffix(s, u.suffix) {
			num, mult = strings.TrimSuffix(s, u.suffix), u.mult
			break
		}
	}
	n, err := strconv.ParseInt(num, 10, 64)
	if err != nil || n < 1 || n > (1<<40)/mult {
		return 0, errors.New("want a positive size in bytes, KiB, MiB or GiB, such as 256MiB")
	}
	return n * mult, nil
}

func isFlagSet(fl *flag.FlagSet, name string) bool {
	set := false
	fl.Visit(func(f *flag.Flag) { set = set || f.Name == name })
	return set
}

// serve runs the site until ctx is done, then lets in-flight requests
// finish (bounded by -shutdown-timeout) and returns nil. The log is
// batched in memory; every return flushes it.
func serve(ctx context.Context, args []string, stderr io.Writer) error {
	c, err := parseServe(args, stderr, os.Getenv)
	if err != nil {
		return err
	}
	log, logBuf, err := server.NewLogger(stderr, c.logFormat, c.logLevel)
	if err != nil {
		return usageErrorf("-log-format: %v", err)
	}
	defer logBuf.Close()

	fsys, dir := fs.FS(content.FS), embeddedDir
	if c.contentDir != "" {
		dir = c.contentDir
		d, err := openDir(dir)
		if err != nil {
			return err
		}
		defer d.Close()
		fsys = d
	}
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(server.MemoryLimit(c.cacheSize))
	}
	loadOpts := catalog.Options{MaxArticleBytes: c.maxArticleBytes, KeepArticles: c.watch} // with -watch the last good content survives a broken edit on disk
	restoreGC := server.StartupGC()
	cat, problems, err := server.LoadContentContext(ctx, fsys, loadOpts)
	restoreGC()
	if err != nil {
		log.Info("stopped while loading the content", slog.Any("reason", err))
		return nil
	}
	if cat == nil && !c.watch {
		printProblems(stderr, dir, problems)
		return &exitError{code: 1, err: fmt.Errorf("not serving: %s", problems.Summary()), reported: true}
	}
	if cat != nil && len(problems) > 0 {
		printProblems(stderr, dir, problems) // warnings: served all the same
	}

	var tlsConfig *tls.Config
	if c.tlsCert != "" {
		cert, err := tls.LoadX509KeyPair(c.tlsCert, c.tlsKey)
		if err != nil {
			return fmt.Errorf("load TLS key pair %s, %s: %w", c.tlsCert, c.tlsKey, err)
		}
		if err := checkCertDates(cert.Leaf, time.Now()); err != nil {
			if !c.tlsAnyDates {
				return fmt.Errorf("-tls-cert %s: %w (start anyway with -tls-allow-expired)", c.tlsCert, err)
			}
			log.Warn("serving a TLS certificate browsers will refuse", slog.String("cert", c.tlsCert), slog.String("problem", err.Error()))
		}
		tlsConfig = &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12, NextProtos: []string{"h2", "http/1.1"}}
	}

	ln, err := net.Listen("tcp", c.addr)
	if err != nil {
		return fmt.Errorf("listen: %w", err)
	}
	defer ln.Close()
	scheme := "http"
	if tlsConfig != nil {
		scheme = "https"
	}
	port := ln.Addr().(*net.TCPAddr).Port
	if c.baseURL == "" {
		c.baseURL = fmt.Sprintf("%s://localhost:%d", scheme, port)
	}

	site, err := server.NewSite(cat, problems, dir,
		server.Options{Logger: log, BaseURL: c.baseURL, Watch: c.watch, HSTS: tlsConfig != nil, MaxArticleBytes: c.maxArticleBytes, CacheSize: c.cacheSize})
	if err != nil {
		return err
	}

	hs := server.NewHTTPServer(site, log)
	hs.TLSConfig = tlsConfig
	conns := trackConns(hs)

	var metricsSrv *http.Server
	if c.metricsAddr != "" {
		mln, err := net.Listen("tcp", c.metricsAddr)
		if err != nil {
			return fmt.Errorf("listen for metrics: %w", err)
		}
		defer mln.Close()
		mux := http.NewServeMux()
		mux.Handle("GET /metrics", site.MetricsHandler()) // GET also routes HEAD
		metricsSrv = server.NewHTTPServer(mux, log)
		go metricsSrv.Serve(mln)
		log.Info("serving metrics", slog.String("addr", mln.Addr().String()), slog.String("url", fmt.Sprintf("http://%s/metrics", mln.Addr())))
	}

	// The watcher stops with the first signal, and a reload in progress
	// with it (loading honours the context), so it never holds up the exit.
	watchCtx, stopWatch := context.WithCancel(ctx)
	var watching sync.WaitGroup
	defer func() {
		stopWatch()
		watching.Wait()
	}()
	if c.watch {
		watching.Add(1)
		go func() {
			defer watching.Done()
			err := watch.Dir(watchCtx, c.contentDir, watch.Options{
				Match:    isArticle,
				Debounce: 100 * time.Millisecond,
				Log:      log,
				OnChange: func() { reloadDir(watchCtx, site, c.contentDir) },
			})
			if err != nil {
				log.Error("content watcher stopped; edits will not reload", slog.Any("error", err))
			}
		}()
	}

	// Both listeners check every HTTP/1.x request's framing before
	// net/http reads it (server.GuardFraming); the TLS one also does the
	// handshakes, counting the failures instead of logging each.
	guarded := server.GuardFraming(ln)
	if tlsConfig != nil {
		guarded = server.ListenTLS(ln, tlsConfig, server.TLSOptions{Failed: site.Metrics().TLSHandshakeFailed, Log: log})
	}
	served := make(chan error, 1)
	go func() { served <- hs.Serve(guarded) }()
	log.Info("listening", slog.String("addr", ln.Addr().String()), slog.String("url", fmt.Sprintf("%s://%s", scheme, ln.Addr())),
		slog.String("content", dir), slog.Bool("watch", c.watch), slog.String("version", buildVersion()))

	select {
	case err := <-served:
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}
	log.Info("shutting down: finishing in-flight requests", slog.Duration("timeout", c.shutdownTimeout))
	if metricsSrv != nil {
		metricsSrv.Close() // nothing there is worth waiting for
	}
	sctx, cancel := context.WithTimeout(context.Background(), c.shutdownTimeout)
	defer cancel()
	if err := hs.Shutdown(sctx); err != nil {
		// What could finish has; the rest (a client too slow to send its
		// request or read its answer) is cut. That is the end of a
		// shutdown, not a failure: an orchestrator must not see one.
		cut := conns.open()
		hs.Close()
		log.Warn("shutdown: connections still open at the timeout were cut",
			slog.Duration("timeout", c.shutdownTimeout), slog.Int("cut", len(cut)), slog.Any("connections", cut))
	}
	if err := <-served; !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("serve: %w", err)
	}
	log.Info("stopped")
	return nil
}

// connTracker knows every connection of an http.Server and its state, so a
// shutdown that runs out of time can say what it cut.
type connTracker struct {
	mu    sync.Mutex
	conns map[net.Conn]http.ConnState
}

func trackConns(hs *http.Server) *connTracker {
	t := &connTracker{conns: map[net.Conn]http.ConnState{}}
	prev := hs.ConnState
	hs.ConnState = func(c net.Conn, st http.ConnState) {
		t.mu.Lock()
		if st == http.StateClosed || st == http.StateHijacked {
			delete(t.conns, c)
		} else {
			t.conns[c] = st
		}
		t.mu.Unlock()
		if prev != nil {
			prev(c, st)
		}
	}
	return t
}

// open lists the connections not closed yet, as "address (state)".
func (t *connTracker) open() []string {
	t.mu.Lock()
	defer t.mu.Unlock()
	out := make([]string, 0, len(t.conns))
	for c, st := range t.conns {
		out = append(out, fmt.Sprintf("%s (%s)", c.RemoteAddr(), st))
	}
	slices.Sort(out)
	return out
}

// checkBaseURL refuses what url.Parse lets through but no site can be
// served at: a port out of range, credentials, spaces or control
// characters, a query or fragment.
func checkBaseURL(s string) error {
	for _, r := range s {
		if r <= ' ' || r == 0x7f {
			return errors.New("it contains a space or a control character")
		}
	}
	u, err := url.Parse(s)
	switch {
	case err != nil:
		return errors.New("it does not parse as a URL")
	case u.Scheme != "http" && u.Scheme != "https":
		return errors.New("the scheme must be http or https")
	case u.Host == "" || u.Hostname() == "":
		return errors.New("it has no host")
	case u.User != nil:
		return errors.New("it carries a user name or password, which every page would publish")
	case u.RawQuery != "" || u.ForceQuery || u.Fragment != "":
		return errors.New("it has a query or a fragment")
	}
	if p := u.Port(); p != "" || strings.HasSuffix(u.Host, ":") {
		if n, err := strconv.Atoi(p); err != nil || n < 1 || n > 65535 {
			return fmt.Errorf("port %q is not between 1 and 65535", p)
		}
	}
	return nil
}

// checkCertDates refuses a certificate outside its validity period.
func checkCertDates(leaf *x509.Certificate, now time.Time) error {
	if leaf == nil {
		return nil
	}
	if now.Before(leaf.NotBefore) {
		return fmt.Errorf("the certificate is not valid before %s", leaf.NotBefore.UTC().Format(time.RFC3339))
	}
	if now.After(leaf.NotAfter) {
		return fmt.Errorf("the certificate expired on %s", leaf.NotAfter.UTC().Format(time.RFC3339))
	}
	return nil
}

// reloadDir loads the content folder at dir afresh (a new catalog.Dir, so
// a folder removed and made again is the new one) into site; a folder
// that is not there is a problem shown like any other.
func reloadDir(ctx context.Context, site *server.Site, dir string) {
	d, err := catalog.OpenDir(dir)
	if err != nil {
		site.Reject(compare.Problems{{File: ".", Msg: "the content folder is gone (removed or renamed): still serving the last good content; it reloads when the folder is back"}})
		return
	}
	defer d.Close()
	site.ReloadContext(ctx, d)
}

// isArticle says which file changes can alter the catalog.
func isArticle(name string) bool {
	return strings.HasSuffix(name, ".md") && !strings.HasPrefix(name, ".")
}
