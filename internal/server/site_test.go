package server

import (
	"bufio"
	"bytes"
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/versus-dev/versus/internal/catalog"
	"github.com/versus-dev/versus/internal/compare"
)

// siteFS is the test articles as an in-memory folder a test can break.
func siteFS(t *testing.T) fstest.MapFS {
	t.Helper()
	fsys := fstest.MapFS{}
	for _, name := range []string{"north-vs-south.md", "alpha-vs-beta-vs-gamma.md"} {
		b, err := os.ReadFile("testdata/content/" + name)
		if err != nil {
			t.Fatal(err)
		}
		fsys[name] = &fstest.MapFile{Data: b}
	}
	return fsys
}

func siteGet(t *testing.T, h http.Handler, path string) (int, string) {
	t.Helper()
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, path, nil))
	return rec.Code, rec.Body.String()
}

// TestSiteReload walks a watch-mode session: good content, a broken edit
// (last good content stays, the problem is shown), a fix.
func TestSiteReload(t *testing.T) {
	fsys := siteFS(t)
	cat, ps, _ := LoadContentContext(context.Background(), fsys, catalog.Options{KeepArticles: true}) // as versus serve -watch loads it
	if cat == nil {
		t.Fatalf("test content: %v", ps)
	}
	s, err := NewSite(cat, nil, "articles", Options{Watch: true})
	if err != nil {
		t.Fatal(err)
	}
	const page = "/compare/north-vs-south"
	if code, _ := siteGet(t, s, page); code != http.StatusOK {
		t.Fatalf("GET %s: %d, want 200", page, code)
	}

	good := fsys["north-vs-south.md"].Data
	fsys["north-vs-south.md"] = &fstest.MapFile{Data: append(bytes.Clone(good), "\n# Not allowed here\n"...)}
	s.Reload(fsys)
	code, body := siteGet(t, s, page)
	if code != http.StatusOK || !strings.Contains(body, `data-testid="problem-banner"`) || !strings.Contains(body, "articles/north-vs-south.md:") {
		t.Errorf("after a broken edit: %d, banner naming articles/north-vs-south.md: %v", code, strings.Contains(body, "articles/north-vs-south.md:"))
	}

	delete(fsys, "alpha-vs-beta-vs-gamma.md")
	fsys["north-vs-south.md"] = &fstest.MapFile{Data: good}
	s.Reload(fsys)
	code, body = siteGet(t, s, page)
	if code != http.StatusOK || strings.Contains(body, `data-testid="problem-banner"`) {
		t.Errorf("after the fix: %d, banner still shown: %v", code, strings.Contains(body, `data-testid="problem-banner"`))
	}
	if code, _ := siteGet(t, s, "/compare/alpha-vs-beta-vs-gamma"); code != http.StatusNotFound {
		t.Errorf("a deleted article after reload: %d, want 404", code)
	}
}

// TestSiteStartsBroken: with no valid content every page answers 503 with
// the problems, /healthz says the process is up, and the first valid
// reload starts the site.
func TestSiteStartsBroken(t *testing.T) {
	problems := compare.Problems{{File: "north-vs-south.md", Line: 3, Msg: "title is empty"}}
	s, err := NewSite(nil, problems, "articles", Options{Watch: true})
	if err != nil {
		t.Fatal(err)
	}
	code, body := siteGet(t, s, "/")
	if code != http.StatusServiceUnavailable || !strings.Contains(body, "articles/north-vs-south.md:3: title is empty") || !strings.Contains(body, "1 problem in 1 file") {
		t.Errorf("GET /: %d %q, want 503 naming the problem", code, body)
	}
	if code, body := siteGet(t, s, "/healthz"); code != http.StatusOK || body != "ok\n" {
		t.Errorf("GET /healthz: %d %q, want 200 ok", code, body)
	}
	s.Reload(siteFS(t))
	if code, _ := siteGet(t, s, "/compare/north-vs-south"); code != http.StatusOK {
		t.Errorf("after a valid reload: %d, want 200", code)
	}
	if _, err := NewSite(nil, nil, "articles", Options{}); err == nil {
		t.Error("NewSite without content or problems: no error")
	}
}

func TestNewLogger(t *testing.T) {
	tests := []struct {
		format, wantErr string
		wantLine        string
	}{
		{format: "text", wantLine: "level=WARN msg=\"content problem\""},
		{format: "json", wantLine: `"level":"WARN","msg":"content problem"`},
		{format: "xml", wantErr: `log format "xml": want text or json`},
	}
	for _, tt := range tests {
		t.Run(tt.format, func(t *testing.T) {
			var out syncLog
			log, buf, err := NewLogger(&out, tt.format, slog.LevelInfo)
			if tt.wantErr != "" {
				if err == nil || err.Error() != tt.wantErr {
					t.Fatalf("err = %v, want %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			defer buf.Close()
			log.Debug("below the level")
			log.Info("request")
			if s := out.String(); s != "" {
				t.Errorf("an info line was written at once, not buffered: %q", s)
			}
			log.With("k", "v").Warn("content problem")
			s := out.String()
			if !strings.Contains(s, tt.wantLine) || !strings.Contains(s, "request") {
				t.Errorf("after a warning the output is %q, want the buffered line and %q", s, tt.wantLine)
			}
			if strings.Contains(s, "below the level") {
				t.Errorf("a debug line was written at info level: %q", s)
			}
		})
	}
}

// TestLiveEndpoint: only watch mode has /_live and the live.js script; a
// rejected and a valid reload each send a new generation to a listener.
func TestLiveEndpoint(t *testing.T) {
	fsys := siteFS(t)
	cat, _ := LoadContent(fsys)
	prod, err := NewSite(cat, nil, "articles", Options{})
	if err != nil {
		t.Fatal(err)
	}
	rec := httptest.NewRecorder()
	prod.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/_live", nil))
	if rec.Code != http.StatusNotFound {
		t.Errorf("production /_live: status %d, want 404", rec.Code)
	}
	rec = httptest.NewRecorder()
	prod.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/", nil))
	if rec.Code != http.StatusOK || strings.Contains(rec.Body.String(), "/static/live.") {
		t.Errorf("production home: status %d, includes live.js: %v", rec.Code, strings.Contains(rec.Body.String(), "/static/live."))
	}

	s, err := NewSite(cat, nil, "articles", Options{Watch: true})
	if err != nil {
		t.Fatal(err)
	}
	rec = httptest.NewRecorder()
	s.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/", nil))
	if !strings.Contains(rec.Body.String(), `<script src="/static/live.`) {
		t.Error("a watch-mode page does not include live.js")
	}
	srv := httptest.NewServer(s)
	defer srv.Close()
	resp, err := http.Get(srv.URL + "/_live")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Type") != "text/event-stream" {
		t.Fatalf("/_live: status %d, Content-Type %q", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	r := bufio.NewReader(resp.Body)
	next := func() string {
		t.Helper()
		for {
			line, err := r.ReadString('\n')
			if err != nil {
				t.Fatalf("read the stream: %v", err)
			}
			if strings.HasPrefix(line, "data: ") {
				return strings.TrimSpace(strings.TrimPrefix(line, "data: "))
			}
		}
	}
	first := next()
	good := fsys["north-vs-south.md"].Data
	fsys["north-vs-south.md"] = &fstest.MapFile{Data: append(bytes.Clone(good), "\n# Not allowed here\n"...)}
	s.Reload(fsys)
	rejected := next()
	fsys["north-vs-south.md"] = &fstest.MapFile{Data: good}
	s.Reload(fsys)
	fixed := next()
	if first == rejected || rejected == fixed || first == fixed {
		t.Errorf("generations %q, %q, %q: want a new one after each reload", first, rejected, fixed)
	}
}
