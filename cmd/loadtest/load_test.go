package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/versus-dev/versus/content"
	"github.com/versus-dev/versus/internal/catalog"
	"github.com/versus-dev/versus/internal/server"
)

// TestBareHandlerSendsTheSitesBytes checks the premise of every ratio: the
// baselines send exactly the body the site sends, with and without gzip,
// and the replaying one every header of the site's response too.
func TestBareHandlerSendsTheSitesBytes(t *testing.T) {
	cat, err := catalog.Load(content.FS)
	if err != nil {
		t.Fatal(err)
	}
	h, err := server.NewSite(cat, nil, "content", server.Options{BaseURL: "http://localhost:8080"})
	if err != nil {
		t.Fatal(err)
	}
	site := httptest.NewServer(h)
	defer site.Close()
	for _, enc := range []string{"", "gzip"} {
		for _, replay := range []bool{true, false} {
			t.Run(fmt.Sprintf("accept-encoding=%s/replay=%v", enc, replay), func(t *testing.T) {
				want, err := fetch(site.URL+"/compare/"+measuredSlug, enc)
				if err != nil {
					t.Fatal(err)
				}
				if want.encoding != enc {
					t.Fatalf("site answered Content-Encoding %q, want %q", want.encoding, enc)
				}
				h := bareHandler(want)
				if replay {
					h = replayHandler(want)
				}
				bare := httptest.NewServer(h)
				defer bare.Close()
				got, err := fetch(bare.URL+"/", enc)
				if err != nil {
					t.Fatal(err)
				}
				if !bytes.Equal(got.body, want.body) || got.contentType != want.contentType || got.encoding != want.encoding {
					t.Errorf("bare handler sent %d bytes %q %q, want %d bytes %q %q",
						len(got.body), got.contentType, got.encoding, len(want.body), want.contentType, want.encoding)
				}
				err = sameHeaders(got.header, want.header)
				if replay && err != nil {
					t.Errorf("replaying handler: %v", err)
				}
				if !replay && err == nil {
					t.Errorf("the body-only handler sent the site's %d headers; the two baselines are the same", len(want.header))
				}
			})
		}
	}
}

func TestSameHeaders(t *testing.T) {
	site := http.Header{
		"Content-Type": {"text/html"}, "Etag": {`"abc"`}, "X-Request-Id": {"ABCDEFGHIJKL-AAAAAAAAAB"}, "Date": {"now"},
	}
	tests := []struct {
		name    string
		got     http.Header
		wantErr string
	}{
		{"same", http.Header{"Content-Type": {"text/html"}, "Etag": {`"abc"`}, "X-Request-Id": {"ABCDEFGHIJKL-AAAAAAAAAC"}, "Date": {"later"}}, ""},
		{"missing header", http.Header{"Content-Type": {"text/html"}, "X-Request-Id": {"ABCDEFGHIJKL-AAAAAAAAAC"}}, "no Etag header"},
		{"other value", http.Header{"Content-Type": {"text/plain"}, "Etag": {`"abc"`}, "X-Request-Id": {"ABCDEFGHIJKL-AAAAAAAAAC"}}, "Content-Type is"},
		{"shorter request id", http.Header{"Content-Type": {"text/html"}, "Etag": {`"abc"`}, "X-Request-Id": {"x"}}, "not the size"},
		{"extra header", http.Header{"Content-Type": {"text/html"}, "Etag": {`"abc"`}, "X-Request-Id": {"ABCDEFGHIJKL-AAAAAAAAAC"}, "Server": {"x"}}, "extra Server"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := sameHeaders(tt.got, site)
			if tt.wantErr == "" && err != nil || tt.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tt.wantErr)) {
				t.Errorf("sameHeaders = %v, want %q", err, tt.wantErr)
			}
		})
	}
}

func TestFetchRefusesNonLoopback(t *testing.T) {
	_, err := fetch("http://example.com/", "")
	if err == nil || !strings.Contains(err.Error(), "non-loopback") {
		t.Fatalf("err = %v, want a refusal", err)
	}
}

func TestRunArguments(t *testing.T) {
	tests := []struct {
		name     string
		args     []string
		path     string // PATH for the run; "" keeps the real one
		wantCode int
		wantErr  string
	}{
		{name: "missing wrk names the package", args: nil, path: t.TempDir(), wantCode: 2, wantErr: "apt-get install wrk"},
		{name: "fractional duration", args: []string{"-d", "1500ms"}, wantCode: 2, wantErr: "whole seconds"},
		{name: "bad log mode", args: []string{"-log", "stdout"}, wantCode: 2, wantErr: "want file or discard"},
		{name: "bad sizes", args: []string{"-scale", "-sizes", "10,x"}, wantCode: 2, wantErr: `"x" is not a positive count`},
		{name: "stray argument", args: []string{"now"}, wantCode: 2, wantErr: "unexpected arguments"},
		{name: "bad -n", args: []string{"-write", t.TempDir(), "-n", "0"}, wantCode: 2, wantErr: "want 1 or more"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.path != "" {
				t.Setenv("PATH", tt.path)
			}
			err := run(context.Background(), tt.args, io.Discard, io.Discard)
			var ce *exitCodeError
			if !errors.As(err, &ce) || ce.code != tt.wantCode || !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("run(%q) = %v, want exit %d with %q", tt.args, err, tt.wantCode, tt.wantErr)
			}
		})
	}
}
