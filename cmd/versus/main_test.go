package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/versus-dev/versus/content"
)

// syncBuffer is stderr for a run that logs from several goroutines.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// logLines decodes the JSON log lines written so far.
func (s *syncBuffer) logLines(t *testing.T) []map[string]any {
	t.Helper()
	var out []map[string]any
	for _, line := range strings.Split(s.String(), "\n") {
		if !strings.HasPrefix(line, "{") {
			continue
		}
		var m map[string]any
		if err := json.Unmarshal([]byte(line), &m); err != nil {
			t.Fatalf("log line %q: %v", line, err)
		}
		out = append(out, m)
	}
	return out
}

// waitLog waits (at most 5 s) for a log line with msg, failing early if run
// returned, and returns the line.
func waitLog(t *testing.T, stderr *syncBuffer, done <-chan error, msg string) map[string]any {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for {
		for _, l := range stderr.logLines(t) {
			if l["msg"] == msg {
				return l
			}
		}
		select {
		case err := <-done:
			t.Fatalf("run returned %v before logging %q; stderr:\n%s", err, msg, stderr)
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("no %q log line within 5s; stderr:\n%s", msg, stderr)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

type running struct {
	url     string
	metrics string // the -metrics-addr URL of /metrics
	stderr  *syncBuffer
	cancel  context.CancelFunc
	done    chan error
}

// stop cancels the context as SIGINT would and returns run's result.
func (r *running) stop(t *testing.T) error {
	t.Helper()
	r.cancel()
	select {
	case err := <-r.done:
		r.done <- err // let the cleanup see it too
		return err
	case <-time.After(15 * time.Second):
		t.Fatal("run did not return after its context was canceled")
		return nil
	}
}

// startServe runs `versus serve` on a free loopback port with JSON logs.
func startServe(t *testing.T, args ...string) *running {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	r := &running{stderr: &syncBuffer{}, cancel: cancel, done: make(chan error, 1)}
	full := append([]string{"serve", "-addr", "127.0.0.1:0", "-metrics-addr", "127.0.0.1:0", "-log-format", "json"}, args...)
	go func() { r.done <- run(ctx, full, io.Discard, r.stderr) }()
	t.Cleanup(func() {
		cancel()
		select {
		case <-r.done:
		case <-time.After(15 * time.Second):
			t.Error("run still running at cleanup")
		}
	})
	l := waitLog(t, r.stderr, r.done, "listening")
	r.url = "http://" + l["addr"].(string)
	r.metrics = waitLog(t, r.stderr, r.done, "serving metrics")["url"].(string)
	return r
}

func get(t *testing.T, url string) (*http.Response, string) {
	t.Helper()
	res, err := http.Get(url)
	if err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatalf("GET %s: read body: %v", url, err)
	}
	return res, string(b)
}

// copyContent writes the embedded articles into a new folder.
func copyContent(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	err := fs.WalkDir(content.FS, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			return os.MkdirAll(filepath.Join(dir, p), 0o755)
		}
		b, err := fs.ReadFile(content.FS, p)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(dir, p), b, 0o644)
	})
	if err != nil {
		t.Fatalf("copy content: %v", err)
	}
	return dir
}

func TestCheck(t *testing.T) {
	broken := filepath.Join("testdata", "broken")
	tests := []struct {
		name       string
		args       []string
		wantCode   int
		wantStdout string
		wantStderr []string // each a whole line, in order; "…" ends a prefix match
	}{
		{name: "embedded content", args: []string{"check"}, wantStdout: "ok: 2 comparisons\n"},
		{name: "good folder", args: []string{"check", "testdata/good"}, wantStdout: "ok: 1 comparison\n"},
		{name: "broken folder", args: []string{"check", broken}, wantCode: 1, wantStderr: []string{
			filepath.Join(broken, "alpha-vs-beta.md") + `:43: unknown source key "nowhere"…`,
			filepath.Join(broken, "gamma-vs-delta.md") + ":20: a # heading is not allowed in the body…",
			filepath.Join(broken, "gamma-vs-delta.md") + ":26: this table row has 2 cells but the header has 3…",
			"3 problems in 2 files",
		}},
		{name: "missing folder", args: []string{"check", "testdata/nope"}, wantCode: 1, wantStderr: []string{
			"versus: content folder: stat testdata/nope: no such file or directory",
		}},
		{name: "file instead of folder", args: []string{"check", "testdata/good/alpha-vs-beta.md"}, wantCode: 1, wantStderr: []string{
			"versus: content folder testdata/good/alpha-vs-beta.md is a file, not a folder",
		}},
		{name: "two folders", args: []string{"check", "a", "b"}, wantCode: 2, wantStderr: []string{
			`versus: check takes at most one folder, got ["a" "b"]`, "usage:…",
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			err := run(context.Background(), tt.args, &stdout, &stderr)
			if code := exitCode(err, &stderr); code != tt.wantCode {
				t.Fatalf("exit code %d, want %d; stderr:\n%s", code, tt.wantCode, stderr.String())
			}
			if stdout.String() != tt.wantStdout {
				t.Errorf("stdout = %q, want %q", stdout.String(), tt.wantStdout)
			}
			lines := strings.Split(strings.TrimRight(stderr.String(), "\n"), "\n")
			if len(tt.wantStderr) == 0 && stderr.Len() > 0 {
				t.Errorf("unexpected stderr:\n%s", stderr.String())
			}
			for i, want := range tt.wantStderr {
				if i >= len(lines) {
					t.Errorf("stderr line %d missing, want %q", i+1, want)
					continue
				}
				if prefix, ok := strings.CutSuffix(want, "…"); ok {
					if !strings.HasPrefix(lines[i], prefix) {
						t.Errorf("stderr line %d = %q, want it to start with %q", i+1, lines[i], prefix)
					}
				} else if lines[i] != want {
					t.Errorf("stderr line %d = %q, want %q", i+1, lines[i], want)
				}
			}
		})
	}
}

func TestVersion(t *testing.T) {
	t.Run("fallbacks", func(t *testing.T) {
		var stdout bytes.Buffer
		if err := run(context.Background(), []string{"version"}, &stdout, io.Discard); err != nil {
			t.Fatal(err)
		}
		// Test binaries carry no module version and, with -buildvcs=false,
		// no VCS revision.
		want := fmt.Sprintf("versus dev (commit unknown, %s %s/%s)\n", runtime.Version(), runtime.GOOS, runtime.GOARCH)
		if stdout.String() != want {
			t.Errorf("version printed %q, want %q", stdout.String(), want)
		}
	})
	t.Run("stamped with -ldflags -X", func(t *testing.T) {
		oldV, oldC := version, commit
		version, commit = "v1.4.0", "0a1b2c3"
		defer func() { version, commit = oldV, oldC }()
		var stdout bytes.Buffer
		if err := run(context.Background(), []string{"version"}, &stdout, io.Discard); err != nil {
			t.Fatal(err)
		}
		want := fmt.Sprintf("versus v1.4.0 (commit 0a1b2c3, %s %s/%s)\n", runtime.Version(), runtime.GOOS, runtime.GOARCH)
		if stdout.String() != want {
			t.Errorf("version printed %q, want %q", stdout.String(), want)
		}
	})
}

func TestUsageErrors(t *testing.T) {
	tests := []struct {
		name     string
		args     []string
		wantCode int
		want     string // in stderr (or stdout for help)
	}{
		{"unknown command", []string{"deploy"}, 2, `unknown command "deploy"`},
		{"version with arguments", []string{"version", "x"}, 2, "version takes no arguments"},
		{"watch without content", []string{"serve", "-watch"}, 2, "-watch needs -content DIR"},
		{"bad log format", []string{"-log-format", "xml"}, 2, `-log-format "xml": want text or json`},
		{"bad log level", []string{"serve", "-log-level", "loud"}, 2, `-log-level "loud"`},
		{"relative base URL", []string{"serve", "-base-url", "versus.example"}, 2, `-base-url "versus.example": the scheme must be http or https; want an absolute http or https URL`},
		{"base URL port out of range", []string{"serve", "-base-url", "https://versus.example:99999"}, 2, `port "99999" is not between 1 and 65535`},
		{"base URL empty port", []string{"serve", "-base-url", "https://versus.example:"}, 2, `port "" is not between 1 and 65535`},
		{"base URL with credentials", []string{"serve", "-base-url", "https://user:pass@versus.example"}, 2, "carries a user name or password"},
		{"base URL with a leading space", []string{"serve", "-base-url", " https://versus.example"}, 2, "contains a space or a control character"},
		{"base URL with a space inside", []string{"serve", "-base-url", "https://versus.example/a b"}, 2, "contains a space or a control character"},
		{"base URL with a fragment", []string{"serve", "-base-url", "https://versus.example/#x"}, 2, "has a query or a fragment"},
		{"cert without key", []string{"serve", "-tls-cert", "c.pem"}, 2, "-tls-cert and -tls-key go together"},
		{"unknown flag", []string{"serve", "-port", "1"}, 2, "flag provided but not defined: -port"},
		{"stray argument", []string{"serve", "extra"}, 2, `serve takes no arguments, got ["extra"]`},
		{"bad cache size", []string{"serve", "-cache-size", "lots"}, 2, `-cache-size "lots": want a positive size`},
		{"zero cache size", []string{"serve", "-cache-size", "0MiB"}, 2, `-cache-size "0MiB": want a positive size`},
		{"missing content folder", []string{"serve", "-content", "testdata/nope"}, 1, "content folder: stat testdata/nope"},
		{"missing TLS files", []string{"serve", "-addr", "127.0.0.1:0", "-tls-cert", "testdata/none.pem", "-tls-key", "testdata/none.key"}, 1, "load TLS key pair testdata/none.pem"},
		{"help", []string{"help"}, 0, "versus check [-format text|json|github] [-strict] [-max-article-size SIZE] [DIR]"},
		{"serve -h", []string{"serve", "-h"}, 0, "-content DIR"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			err := run(context.Background(), tt.args, &stdout, &stderr)
			if code := exitCode(err, &stderr); code != tt.wantCode {
				t.Fatalf("exit code %d, want %d (err %v)", code, tt.wantCode, err)
			}
			if out := stdout.String() + stderr.String(); !strings.Contains(out, tt.want) {
				t.Errorf("output %q lacks %q", out, tt.want)
			}
		})
	}
}

func TestCacheSize(t *testing.T) {
	for arg, want := range map[string]int64{"": 256 << 20, "1048576": 1 << 20, "64MiB": 64 << 20, "2GiB": 2 << 30, "512KiB": 512 << 10} {
		args := []string{}
		if arg != "" {
			args = []string{"-cache-size", arg}
		}
		c, err := parseServe(args, io.Discard, func(string) string { return "" })
		if err != nil {
			t.Fatalf("-cache-size %q: %v", arg, err)
		}
		if c.cacheSize != want {
			t.Errorf("-cache-size %q = %d bytes, want %d", arg, c.cacheSize, want)
		}
	}
}

func TestPortEnvironment(t *testing.T) {
	tests := []struct {
		name, port string
		args       []string
		wantAddr   string
		wantErr    string
	}{
		{name: "default", wantAddr: ":8080"},
		{name: "PORT sets the default", port: "9000", wantAddr: ":9000"},
		{name: "-addr beats PORT", port: "9000", args: []string{"-addr", "127.0.0.1:7000"}, wantAddr: "127.0.0.1:7000"},
		{name: "bad PORT", port: "http", wantErr: `PORT="http" is not a port number`},
		{name: "bad PORT unused under -addr", port: "http", args: []string{"-addr", ":7000"}, wantAddr: ":7000"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			env := func(k string) string {
				if k == "PORT" {
					return tt.port
				}
				return ""
			}
			c, err := parseServe(tt.args, io.Discard, env)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if c.addr != tt.wantAddr {
				t.Errorf("addr = %q, want %q", c.addr, tt.wantAddr)
			}
		})
	}
}

func TestServe(t *testing.T) {
	r := startServe(t)
	tests := []struct {
		path       string
		wantStatus int
		want       string
	}{
		{"/", 200, "Django vs Flask"},
		{"/compare/django-vs-flask", 200, "<h1"},
		{"/compare/no-such-thing", 404, "Page not found"},
		{"/healthz", 200, "ok\n"},
		{"/readyz", 200, "ok\n"},
		{"/metrics", 404, "Page not found"}, // on -metrics-addr only
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			res, body := get(t, r.url+tt.path)
			if res.StatusCode != tt.wantStatus {
				t.Fatalf("status %d, want %d", res.StatusCode, tt.wantStatus)
			}
			if !strings.Contains(body, tt.want) {
				t.Errorf("body lacks %q", tt.want)
			}
			if res.Header.Get("X-Request-Id") == "" {
				t.Error("no X-Request-Id: the middleware is not in front")
			}
		})
	}
	t.Run("metrics on -metrics-addr", func(t *testing.T) {
		res, body := get(t, r.metrics)
		if res.StatusCode != 200 || !strings.Contains(body, "versus_catalog_comparisons 2") || !strings.Contains(body, "versus_tls_handshake_failures_total 0") {
			t.Errorf("GET %s: %d\n%.400s", r.metrics, res.StatusCode, body)
		}
		res, err := http.Head(r.metrics)
		if err != nil || res.StatusCode != 200 {
			t.Errorf("HEAD %s: %v, %v; want 200", r.metrics, res, err)
		}
	})
	t.Run("security headers", func(t *testing.T) {
		res, _ := get(t, r.url+"/")
		for _, h := range []string{"Content-Security-Policy", "X-Content-Type-Options", "Referrer-Policy", "X-Frame-Options"} {
			if res.Header.Get(h) == "" {
				t.Errorf("no %s header", h)
			}
		}
		if v := res.Header.Get("Strict-Transport-Security"); v != "" {
			t.Errorf("HSTS %q sent over plain HTTP", v)
		}
	})
	if err := r.stop(t); err != nil {
		t.Fatalf("run returned %v after cancel, want nil", err)
	}
	if _, err := http.Get(r.url + "/"); err == nil {
		t.Error("still answering after run returned")
	}
	waitLog(t, r.stderr, nil, "stopped")
}

func TestServeInvalidContent(t *testing.T) {
	var stderr syncBuffer
	err := run(context.Background(), []string{"serve", "-addr", "127.0.0.1:0", "-content", "testdata/broken"}, io.Discard, &stderr)
	if code := exitCode(err, &stderr); code != 1 {
		t.Fatalf("exit code %d, want 1", code)
	}
	out := stderr.String()
	for _, want := range []string{
		filepath.Join("testdata", "broken", "alpha-vs-beta.md") + ":43: ",
		filepath.Join("testdata", "broken", "gamma-vs-delta.md") + ":20: ",
		filepath.Join("testdata", "broken", "gamma-vs-delta.md") + ":26: ",
		"3 problems in 2 files",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("stderr lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "listening") {
		t.Errorf("it listened despite broken content:\n%s", out)
	}
}

// TestGracefulShutdown holds many questionnaire POSTs open with their
// handlers running: each sends "Expect: 100-continue", and the server's
// "100 Continue" proves the handler has started reading the body. Then the
// context is canceled, and only then are the bodies sent. Every request
// must still get its whole answer, and run must return nil. (Closing the
// server instead of shutting it down cuts these connections, which fails
// the test.)
func TestGracefulShutdown(t *testing.T) {
	r := startServe(t)
	addr := strings.TrimPrefix(r.url, "http://")
	const (
		path = "/compare/django-vs-flask/quiz"
		form = "size=small"
	)
	head := fmt.Sprintf("POST %s HTTP/1.1\r\nHost: %s\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: %d\r\nExpect: 100-continue\r\n\r\n", path, addr, len(form))

	// The answer to the same request sent at once is what every held one
	// must get.
	noRedirect := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	res, err := noRedirect.Post(r.url+path, "application/x-www-form-urlencoded", strings.NewReader(form))
	if err != nil {
		t.Fatal(err)
	}
	wantBody, _ := io.ReadAll(res.Body)
	res.Body.Close()
	wantStatus, wantLocation := res.StatusCode, res.Header.Get("Location")
	if wantStatus != http.StatusSeeOther || wantLocation == "" {
		t.Fatalf("reference POST: status %d, Location %q; want a 303 to the result", wantStatus, wantLocation)
	}

	const n = 8
	type held struct {
		conn net.Conn
		br   *bufio.Reader
	}
	var reqs []held
	for range n {
		c, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		if _, err := io.WriteString(c, head); err != nil {
			t.Fatal(err)
		}
		br := bufio.NewReader(c)
		cont, err := http.ReadResponse(br, nil)
		if err != nil || cont.StatusCode != http.StatusContinue {
			t.Fatalf("want 100 Continue before the body, got %v (%v)", cont, err)
		}
		reqs = append(reqs, held{c, br})
	}

	r.cancel()
	waitLog(t, r.stderr, nil, "shutting down: finishing in-flight requests")

	for i, rq := range reqs {
		if _, err := io.WriteString(rq.conn, form); err != nil {
			t.Errorf("request %d: sending the body: %v", i, err)
			continue
		}
		res, err := http.ReadResponse(rq.br, nil)
		if err != nil {
			t.Errorf("request %d: dropped during shutdown: %v", i, err)
			continue
		}
		body, err := io.ReadAll(res.Body)
		res.Body.Close()
		if err != nil {
			t.Errorf("request %d: body cut: %v", i, err)
		}
		if res.StatusCode != wantStatus || res.Header.Get("Location") != wantLocation || !bytes.Equal(body, wantBody) {
			t.Errorf("request %d: status %d, Location %q, %d bytes; want %d, %q, %d bytes",
				i, res.StatusCode, res.Header.Get("Location"), len(body), wantStatus, wantLocation, len(wantBody))
		}
	}
	if err := r.stop(t); err != nil {
		t.Fatalf("run returned %v, want nil after a graceful shutdown", err)
	}
}

// eventually polls fn (at most 5 s) until it returns "" and fails with its
// last complaint and the server's log otherwise. A valid edit must be live
// well within that.
func (r *running) eventually(t *testing.T, what string, fn func() string) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for {
		msg := fn()
		if msg == "" {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s: still %s after 5s; log:\n%s", what, msg, r.stderr)
		}
		time.Sleep(25 * time.Millisecond)
	}
}

func writeFile(t *testing.T, path, text string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestWatch edits a copy of the real content while the site serves it: a
// valid edit goes live, a broken one leaves the last good page up with the
// problem in the author banner, and fixing it goes live again.
func TestWatch(t *testing.T) {
	dir := copyContent(t)
	article := filepath.Join(dir, "python-web-frameworks", "django-vs-flask.md")
	orig, err := os.ReadFile(article)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(orig, []byte("\ntitle: Django vs Flask\n")) {
		t.Fatal("the article's title line changed; update this test")
	}
	r := startServe(t, "-content", dir, "-watch")
	page := r.url + "/compare/django-vs-flask"

	edited := bytes.Replace(orig, []byte("\ntitle: Django vs Flask\n"), []byte("\ntitle: Django vs Flask, edited live\n"), 1)
	writeFile(t, article, string(edited))
	r.eventually(t, "valid edit", func() string {
		res, body := get(t, page)
		if res.StatusCode != 200 || !strings.Contains(body, "Django vs Flask, edited live") {
			return fmt.Sprintf("status %d without the new title", res.StatusCode)
		}
		return ""
	})

	// A level-one heading two lines below the current last line.
	badLine := bytes.Count(edited, []byte("\n")) + 2
	writeFile(t, article, string(edited)+"\n# Not allowed here\n")
	wantProblem := fmt.Sprintf("django-vs-flask.md:%d: ", badLine)
	r.eventually(t, "broken edit", func() string {
		res, body := get(t, page)
		if res.StatusCode != 200 {
			return fmt.Sprintf("status %d", res.StatusCode)
		}
		if !strings.Contains(body, "Django vs Flask, edited live") {
			return "the last good page is gone"
		}
		if !strings.Contains(body, `data-testid="problem-banner"`) || !strings.Contains(body, wantProblem) {
			return "no banner naming " + wantProblem
		}
		return ""
	})
	logged := false
	for _, l := range r.stderr.logLines(t) {
		if l["msg"] == "content problem" && strings.Contains(fmt.Sprint(l["problem"]), wantProblem) {
			logged = true
		}
	}
	if !logged {
		t.Errorf("no log line for %s:\n%s", wantProblem, r.stderr)
	}
	if _, body := get(t, r.metrics); !strings.Contains(body, "versus_catalog_last_reload_success 0") {
		t.Error("/metrics does not report the failed reload")
	}

	fixed := bytes.Replace(orig, []byte("\ntitle: Django vs Flask\n"), []byte("\ntitle: Django vs Flask, fixed\n"), 1)
	writeFile(t, article, string(fixed))
	r.eventually(t, "fix", func() string {
		res, body := get(t, page)
		if res.StatusCode != 200 || !strings.Contains(body, "Django vs Flask, fixed") {
			return fmt.Sprintf("status %d without the fixed title", res.StatusCode)
		}
		if strings.Contains(body, `data-testid="problem-banner"`) {
			return "the banner is still shown"
		}
		return ""
	})
	if _, body := get(t, r.metrics); !strings.Contains(body, "versus_catalog_last_reload_success 1") {
		t.Error("/metrics does not report the successful reload")
	}
	if err := r.stop(t); err != nil {
		t.Fatalf("run returned %v after cancel", err)
	}
}

// TestWatchStartsBroken starts author mode on broken content: the process
// stays up and says what to fix, and the site appears once it is fixed.
func TestWatchStartsBroken(t *testing.T) {
	dir := t.TempDir()
	good, err := os.ReadFile("testdata/good/alpha-vs-beta.md")
	if err != nil {
		t.Fatal(err)
	}
	bad, err := os.ReadFile("testdata/broken/alpha-vs-beta.md")
	if err != nil {
		t.Fatal(err)
	}
	writeFile(t, filepath.Join(dir, "alpha-vs-beta.md"), string(bad))
	r := startServe(t, "-content", dir, "-watch")

	res, body := get(t, r.url+"/")
	if res.StatusCode != http.StatusServiceUnavailable || !strings.Contains(body, "alpha-vs-beta.md:43: ") {
		t.Fatalf("GET / on broken content: status %d, body %q; want 503 naming alpha-vs-beta.md:43", res.StatusCode, body)
	}
	if res, _ := get(t, r.url+"/healthz"); res.StatusCode != 200 {
		t.Errorf("/healthz = %d while waiting for content, want 200", res.StatusCode)
	}
	if res, _ := get(t, r.url+"/readyz"); res.StatusCode != http.StatusServiceUnavailable {
		t.Errorf("/readyz = %d while waiting for content, want 503", res.StatusCode)
	}

	writeFile(t, filepath.Join(dir, "alpha-vs-beta.md"), string(good))
	r.eventually(t, "fix", func() string {
		res, body := get(t, r.url+"/compare/alpha-vs-beta")
		if res.StatusCode != 200 || !strings.Contains(body, "Alpha vs Beta") {
			return fmt.Sprintf("status %d", res.StatusCode)
		}
		return ""
	})
	if res, _ := get(t, r.url+"/readyz"); res.StatusCode != 200 {
		t.Errorf("/readyz = %d once content is valid, want 200", res.StatusCode)
	}
}

// TestServeFlushesLogOnShutdown checks the buffered log's last step: when
// run returns, every request line and the final "stopped" are already on
// stderr, with no waiting, and each request was logged once.
func TestServeFlushesLogOnShutdown(t *testing.T) {
	r := startServe(t)
	var ids []string
	for range 5 {
		res, _ := get(t, r.url+"/compare/django-vs-flask")
		ids = append(ids, res.Header.Get("X-Request-Id"))
	}
	if err := r.stop(t); err != nil {
		t.Fatalf("run returned %v after cancel, want nil", err)
	}
	out := r.stderr.String() // read once, right after run returned
	for _, id := range ids {
		if n := strings.Count(out, `"request_id":"`+id+`"`); n != 1 {
			t.Errorf("request %s logged %d times when run returned, want once:\n%s", id, n, out)
		}
	}
	if !strings.Contains(out, `"msg":"stopped"`) {
		t.Errorf("no stopped line when run returned:\n%s", out)
	}
}
