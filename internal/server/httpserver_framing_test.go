package server

import (
	"bufio"
	"bytes"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

const (
	legitGet     = "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n"
	legitPost    = "POST /compare/django-vs-flask/quiz HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 51\r\n\r\nsize=small&x=Content-Length: 5\r\nTransfer-Encoding: "
	legitChunked = "POST /compare/django-vs-flask/quiz HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\ntransfer-encoding: chunked\r\n\r\n" +
		"5;ext=1\r\nsize=\r\n5\r\nsmall\r\n0\r\nX-Trailer: Content-Length: 3\r\n\r\n"
	// The smuggling shape: both fields, in either order and any case.
	ambiguous = "POST /compare/django-vs-flask/quiz HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 15\r\nTRANSFER-ENCODING: chunked\r\n\r\n" +
		"a\r\nsize=small\r\n0\r\n\r\n"
	ambiguousTEFirst = "POST /compare/django-vs-flask/quiz HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\ncontent-length:4\r\n\r\n0\r\n\r\n"
)

// scanAll feeds stream through a framer in pieces of size n and returns
// the offset of the cut, or -1.
func scanAll(stream string, n int) int {
	f := framer{state: fsLine, firstLine: true}
	for off := 0; off < len(stream); off += n {
		piece := []byte(stream[off:min(off+n, len(stream))])
		if cut := f.scan(piece); cut >= 0 {
			return off + cut
		}
		if f.state == fsOff {
			return -2
		}
	}
	return -1
}

func TestFramerFollowsRequests(t *testing.T) {
	legit := legitGet + legitPost + legitChunked + "\r\n" + legitGet
	for _, bad := range []string{ambiguous, ambiguousTEFirst} {
		headerEnd := len(legit) + strings.Index(bad, "\r\n\r\n") + 3 // the last '\n'
		for _, n := range []int{1, 2, 3, 7, 64, 4096} {
			if got := scanAll(legit, n); got != -1 {
				t.Errorf("pieces of %d: legitimate requests cut at %d", n, got)
			}
			if got := scanAll(legit+bad+legitGet, n); got != headerEnd {
				t.Errorf("pieces of %d: cut at %d, want at the end of the ambiguous header (%d)", n, got, headerEnd)
			}
		}
	}
}

// guardedServer is the site behind NewHTTPServer on a listener wrapped
// as cmd/versus wraps it (or not, to show what net/http does alone).
func guardedServer(t *testing.T, guard bool) string {
	t.Helper()
	s, _ := hxSite(t, Options{})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	if guard {
		ln = GuardFraming(ln)
	}
	hs := NewHTTPServer(s, slog.New(slog.DiscardHandler))
	go hs.Serve(ln)
	t.Cleanup(func() { hs.Close() })
	return ln.Addr().String()
}

// exchange writes raw to a new connection and reads every response until
// the server closes it (or 3 s pass).
func exchange(t *testing.T, addr, raw string) []*http.Response {
	t.Helper()
	c, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if _, err := io.WriteString(c, raw); err != nil {
		t.Fatal(err)
	}
	c.SetReadDeadline(time.Now().Add(3 * time.Second))
	br := bufio.NewReader(c)
	var out []*http.Response
	for {
		res, err := http.ReadResponse(br, nil)
		if err != nil {
			return out
		}
		io.Copy(io.Discard, res.Body)
		res.Body.Close()
		out = append(out, res)
	}
}

// TestAmbiguousFramingClosesTheConnection sends a request with both
// Content-Length and Transfer-Encoding, and a second request pipelined on
// the same connection: the first gets a 400, the second no answer.
func TestAmbiguousFramingClosesTheConnection(t *testing.T) {
	addr := guardedServer(t, true)
	for _, bad := range []string{ambiguous, ambiguousTEFirst} {
		res := exchange(t, addr, bad+legitGet)
		if len(res) != 1 || res[0].StatusCode != http.StatusBadRequest || !res[0].Close {
			var got []int
			for _, r := range res {
				got = append(got, r.StatusCode)
			}
			t.Errorf("answers %v, want one 400 with Connection: close and the pipelined request unanswered", got)
		}
	}
	// Legitimate pipelined requests, a chunked one among them, are all
	// answered: the guard follows their framing.
	res := exchange(t, addr, legitGet+legitPost+legitChunked+legitGet+"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
	var got []int
	for _, r := range res {
		got = append(got, r.StatusCode)
	}
	if len(got) != 5 || got[0] != 200 || got[1] != 422 || got[2] != 303 || got[3] != 200 || got[4] != 200 {
		t.Errorf("pipelined legitimate requests answered %v, want [200 422 303 200 200]", got)
	}
}

// TestAmbiguousFramingWithoutTheGuard records what net/http does alone,
// which is why the guard exists: it answers the pipelined request.
func TestAmbiguousFramingWithoutTheGuard(t *testing.T) {
	addr := guardedServer(t, false)
	if res := exchange(t, addr, ambiguous+legitGet); len(res) != 2 {
		t.Skipf("net/http now answers %d responses: it may close by itself; the guard could go", len(res))
	}
}

func BenchmarkFramer(b *testing.B) {
	req := []byte("GET /compare/django-vs-flask HTTP/1.1\r\nHost: versus.example\r\nUser-Agent: Mozilla/5.0 (X11; Linux x86_64)\r\nAccept: text/html,application/xhtml+xml\r\nAccept-Encoding: gzip, br\r\nAccept-Language: en\r\n\r\n")
	f := framer{state: fsLine, firstLine: true}
	b.SetBytes(int64(len(req)))
	for b.Loop() {
		f.scan(req)
	}
}

var _ = httptest.NewRecorder

// BenchmarkFramerFloor is the least any line-by-line look can cost: one
// bytes.IndexByte per line. BenchmarkFramer is read against it.
func BenchmarkFramerFloor(b *testing.B) {
	req := []byte("GET /compare/django-vs-flask HTTP/1.1\r\nHost: versus.example\r\nUser-Agent: Mozilla/5.0 (X11; Linux x86_64)\r\nAccept: text/html,application/xhtml+xml\r\nAccept-Encoding: gzip, br\r\nAccept-Language: en\r\n\r\n")
	b.SetBytes(int64(len(req)))
	n := 0
	for b.Loop() {
		for rest := req; ; {
			j := bytes.IndexByte(rest, '\n')
			if j < 0 {
				break
			}
			n++
			rest = rest[j+1:]
		}
	}
}
