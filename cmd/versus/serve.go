package main

import (
	"context"
	"crypto/tls"
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
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/versus-dev/versus/content"
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
		c        serveConfig
		logLevel string
	)
	fl.StringVar(&c.addr, "addr", defaultAddr, "`address` to listen on; the PORT environment variable sets the default port")
	fl.StringVar(&c.contentDir, "content", "", "serve the articles in `DIR` instead of the embedded ones")
	fl.BoolVar(&c.watch, "watch", false, "reload the articles when a file in -content changes; problems show on every page")
	fl.StringVar(&c.baseURL, "base-url", "", "absolute `URL` of the site for canonical links, sitemap and feed (default: http(s)://localhost:PORT)")
	fl.StringVar(&c.logFormat, "log-format", "text", "log format: text or json")
	fl.StringVar(&logLevel, "log-level", "info", "log level: debug, info, warn or error")
	fl.StringVar(&c.tlsCert, "tls-cert", "", "TLS certificate `file` (PEM); serves HTTPS and sends HSTS")
	fl.StringVar(&c.tlsKey, "tls-key", "", "TLS private key `file` (PEM)")
	fl.DurationVar(&c.shutdownTimeout, "shutdown-timeout", 10*time.Second, "how long to let in-flight requests finish on SIGINT or SIGTERM")
	if err := fl.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil, err
		}
		// The flag package has printed the error and the flags.
		return nil, &exitError{code: 2, err: err, reported: true}
	}
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
		u, err := url.Parse(c.baseURL)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.RawQuery != "" || u.Fragment != "" {
			return nil, usageErrorf("-base-url %q: want an absolute http or https URL such as https://versus.example", c.baseURL)
		}
	}
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
		if fsys, err = openDir(dir); err != nil {
			return err
		}
	}
	cat, problems := server.LoadContent(fsys)
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
		tlsConfig = &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12}
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
		server.Options{Logger: log, BaseURL: c.baseURL, Watch: c.watch, HSTS: tlsConfig != nil})
	if err != nil {
		return err
	}

	hs := server.NewHTTPServer(site, log)
	hs.TLSConfig = tlsConfig

	watchCtx, stopWatch := context.WithCancel(context.Background())
	var watching sync.WaitGroup
	defer func() {
		stopWatch()
		watching.Wait()
	}()
	if c.watch {
		watching.Add(1)
		go func() {
			defer watching.Done()
			err := watch.Dir(watchCtx, c.contentDir, isArticle, 100*time.Millisecond, func() {
				site.Reload(os.DirFS(c.contentDir))
			})
			if err != nil {
				log.Error("content watcher stopped; edits will not reload", slog.Any("error", err))
			}
		}()
	}

	served := make(chan error, 1)
	go func() {
		if tlsConfig != nil {
			served <- hs.ServeTLS(ln, "", "")
		} else {
			served <- hs.Serve(ln)
		}
	}()
	log.Info("listening", slog.String("addr", ln.Addr().String()), slog.String("url", fmt.Sprintf("%s://%s", scheme, ln.Addr())),
		slog.String("content", dir), slog.Bool("watch", c.watch), slog.String("version", buildVersion()))

	select {
	case err := <-served:
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}
	log.Info("shutting down: finishing in-flight requests", slog.Duration("timeout", c.shutdownTimeout))
	sctx, cancel := context.WithTimeout(context.Background(), c.shutdownTimeout)
	defer cancel()
	if err := hs.Shutdown(sctx); err != nil {
		hs.Close()
		return fmt.Errorf("shutdown: requests still running after %v were cut: %w", c.shutdownTimeout, err)
	}
	if err := <-served; !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("serve: %w", err)
	}
	log.Info("stopped")
	return nil
}

// isArticle says which file changes can alter the catalog.
func isArticle(name string) bool {
	return strings.HasSuffix(name, ".md") && !strings.HasPrefix(name, ".")
}
