package main

import (
	"bufio"
	"context"
	"crypto/tls"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"
)

// TestShutdownCutsSlowClientExitZero: a client that sends half a form and
// then nothing holds its request past -shutdown-timeout. The shutdown
// finishes the rest, cuts it, says so, and run ends with exit status 0.
func TestShutdownCutsSlowClientExitZero(t *testing.T) {
	r := startServe(t, "-shutdown-timeout", "300ms")
	addr := strings.TrimPrefix(r.url, "http://")
	c, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	fmt.Fprintf(c, "POST /compare/django-vs-flask/quiz HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 100\r\nExpect: 100-continue\r\n\r\n")
	br := bufio.NewReader(c)
	if res, err := http.ReadResponse(br, nil); err != nil || res.StatusCode != http.StatusContinue {
		t.Fatalf("want 100 Continue (the handler is reading the body), got %v, %v", res, err)
	}
	io.WriteString(c, "size=sm") // and never the rest

	start := time.Now()
	err = r.stop(t)
	if code := exitCode(err, io.Discard); code != 0 {
		t.Fatalf("exit status %d (%v) after cutting a slow client, want 0", code, err)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("stopping took %v with a 300ms shutdown timeout", d)
	}
	l := waitLog(t, r.stderr, nil, "shutdown: connections still open at the timeout were cut")
	if l["cut"] != float64(1) || !strings.Contains(fmt.Sprint(l["connections"]), c.LocalAddr().String()+" (active)") {
		t.Errorf("cut line %v, want the one active connection from %s", l, c.LocalAddr())
	}
	waitLog(t, r.stderr, nil, "stopped")
}

// TestServeAmbiguousFraming: the binary's listener refuses Content-Length
// with Transfer-Encoding and closes (the guard is wired in, not only
// tested beside it).
func TestServeAmbiguousFraming(t *testing.T) {
	r := startServe(t)
	c, err := net.Dial("tcp", strings.TrimPrefix(r.url, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	io.WriteString(c, "POST /compare/django-vs-flask/quiz HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\n"+
		"Content-Length: 15\r\nTransfer-Encoding: chunked\r\n\r\na\r\nsize=small\r\n0\r\n\r\nGET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
	answers := readAll(t, c)
	if len(answers) != 1 || answers[0] != 400 {
		t.Errorf("answers %v, want one 400 and the pipelined request unanswered", answers)
	}
}

func readAll(t *testing.T, c net.Conn) []int {
	t.Helper()
	c.SetReadDeadline(time.Now().Add(3 * time.Second))
	br := bufio.NewReader(c)
	var codes []int
	for {
		res, err := http.ReadResponse(br, nil)
		if err != nil {
			return codes
		}
		io.Copy(io.Discard, res.Body)
		codes = append(codes, res.StatusCode)
	}
}

func TestServeTLSCertificateDates(t *testing.T) {
	now := time.Now()
	for _, tt := range []struct {
		name           string
		from, to       time.Time
		want           string
		allowedLogLine string
	}{
		{"expired", now.Add(-48 * time.Hour), now.Add(-24 * time.Hour), "the certificate expired on ", ""},
		{"not yet valid", now.Add(24 * time.Hour), now.Add(48 * time.Hour), "the certificate is not valid before ", ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			cert, key, _ := writeCert(t, tt.from, tt.to)
			code, _, stderr := runWithin(t, 10*time.Second, "serve", "-addr", "127.0.0.1:0", "-tls-cert", cert, "-tls-key", key)
			if code != 1 || !strings.Contains(stderr, tt.want) || !strings.Contains(stderr, "-tls-allow-expired") {
				t.Errorf("exit %d, stderr %q; want 1 naming the dates and the override", code, stderr)
			}
			r := startServe(t, "-tls-cert", cert, "-tls-key", key, "-tls-allow-expired")
			waitLog(t, r.stderr, r.done, "serving a TLS certificate browsers will refuse")
		})
	}
}

// TestServeTLSHandshakes: HTTP/2 still works through the TLS listener,
// HTTP/1.1 over TLS is guarded, and failed handshakes are counted, with
// one log line for a burst of them.
func TestServeTLSHandshakes(t *testing.T) {
	cert, key, pool := writeSelfSigned(t)
	r := startServe(t, "-tls-cert", cert, "-tls-key", key)
	addr := strings.TrimPrefix(r.url, "http://")

	h2 := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}, ForceAttemptHTTP2: true}}
	res, err := h2.Get("https://" + addr + "/healthz")
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.ProtoMajor != 2 {
		t.Errorf("negotiated %s, want HTTP/2", res.Proto)
	}

	tc, err := tls.Dial("tcp", addr, &tls.Config{RootCAs: pool, NextProtos: []string{"http/1.1"}})
	if err != nil {
		t.Fatal(err)
	}
	defer tc.Close()
	io.WriteString(tc, "POST /compare/django-vs-flask/quiz HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\nGET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
	if got := readAll(t, tc); len(got) != 1 || got[0] != 400 {
		t.Errorf("HTTP/1.1 over TLS with both framing fields: answers %v, want one 400", got)
	}

	for range 5 { // plain HTTP to the TLS port: 5 failed handshakes
		c, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		io.WriteString(c, "GET / HTTP/1.1\r\nHost: x\r\n\r\n")
		io.Copy(io.Discard, c)
		c.Close()
	}
	r.eventually(t, "failed handshakes counted", func() string {
		if _, body := get(t, r.metrics); !strings.Contains(body, "versus_tls_handshake_failures_total 5") {
			return "the metric is not 5"
		}
		return ""
	})
	n := 0
	for _, l := range r.stderr.logLines(t) {
		if strings.HasPrefix(fmt.Sprint(l["msg"]), "TLS handshakes failed") {
			n++
		}
		if strings.Contains(fmt.Sprint(l["msg"]), "TLS handshake error") {
			t.Errorf("net/http's line for each handshake is back: %v", l)
		}
	}
	if n != 1 {
		t.Errorf("%d log lines for 5 failed handshakes, want 1", n)
	}
	if err := r.stop(t); err != nil {
		t.Errorf("stop: %v", err)
	}
}

var _ = context.Background
