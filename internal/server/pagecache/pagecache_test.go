package pagecache

import (
	"bytes"
	"compress/gzip"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/andybalholm/brotli"
)

// testBody is large and repetitive enough that both codings shrink it.
var testBody = []byte("<!doctype html><title>Django vs Flask</title>" +
	strings.Repeat("<p>Django ships an admin; Flask leaves it to extensions.</p>\n", 50))

func decode(t *testing.T, encoding string, body []byte) []byte {
	t.Helper()
	var r io.Reader
	switch encoding {
	case "":
		return body
	case "gzip":
		zr, err := gzip.NewReader(bytes.NewReader(body))
		if err != nil {
			t.Fatalf("gzip reader: %v", err)
		}
		r = zr
	case "br":
		r = brotli.NewReader(bytes.NewReader(body))
	default:
		t.Fatalf("unexpected Content-Encoding %q", encoding)
	}
	out, err := io.ReadAll(r)
	if err != nil {
		t.Fatalf("decode %s: %v", encoding, err)
	}
	return out
}

func TestServeHTTP(t *testing.T) {
	page := New("text/html; charset=utf-8", testBody, time.Hour)
	tag := page.ETag()
	if len(tag) < 10 || tag[0] != '"' || tag[len(tag)-1] != '"' {
		t.Fatalf("ETag() = %s, want a quoted strong tag", tag)
	}
	bare := strings.Trim(tag, `"`)
	gzTag, brTag := `"`+bare+`-gz"`, `"`+bare+`-br"`

	tests := []struct {
		name        string
		method      string
		header      http.Header
		wantStatus  int
		wantCoding  string // Content-Encoding; also the coding the body is decoded with
		wantETag    string
		wantBody    bool // a full body is expected (decoded and compared to testBody)
		wantNoBytes bool // no body bytes at all
	}{
		{name: "no Accept-Encoding gets identity", method: "GET", wantStatus: 200, wantETag: tag, wantBody: true},
		{name: "browser list gets br", method: "GET", header: http.Header{"Accept-Encoding": {"gzip, deflate, br, zstd"}}, wantStatus: 200, wantCoding: "br", wantETag: brTag, wantBody: true},
		{name: "gzip only", method: "GET", header: http.Header{"Accept-Encoding": {"gzip"}}, wantStatus: 200, wantCoding: "gzip", wantETag: gzTag, wantBody: true},
		{name: "x-gzip is gzip", method: "GET", header: http.Header{"Accept-Encoding": {"x-gzip"}}, wantStatus: 200, wantCoding: "gzip", wantETag: gzTag, wantBody: true},
		{name: "coding names are case-insensitive", method: "GET", header: http.Header{"Accept-Encoding": {"BR"}}, wantStatus: 200, wantCoding: "br", wantETag: brTag, wantBody: true},
		{name: "br refused with q=0", method: "GET", header: http.Header{"Accept-Encoding": {"br;q=0, gzip"}}, wantStatus: 200, wantCoding: "gzip", wantETag: gzTag, wantBody: true},
		{name: "q=0.000 refuses, spaces around params", method: "GET", header: http.Header{"Accept-Encoding": {"gzip ; q=0.000, br ;q=0"}}, wantStatus: 200, wantETag: tag, wantBody: true},
		{name: "small nonzero q accepts", method: "GET", header: http.Header{"Accept-Encoding": {"gzip;q=0.001"}}, wantStatus: 200, wantCoding: "gzip", wantETag: gzTag, wantBody: true},
		{name: "server preference beats client q", method: "GET", header: http.Header{"Accept-Encoding": {"gzip;q=1.0, br;q=0.5"}}, wantStatus: 200, wantCoding: "br", wantETag: brTag, wantBody: true},
		{name: "malformed q skips the element", method: "GET", header: http.Header{"Accept-Encoding": {"br;q=abc, gzip;q=1.5, gzip;q=0.5"}}, wantStatus: 200, wantCoding: "gzip", wantETag: gzTag, wantBody: true},
		{name: "several header lines", method: "GET", header: http.Header{"Accept-Encoding": {"deflate", "br"}}, wantStatus: 200, wantCoding: "br", wantETag: brTag, wantBody: true},
		{name: "star accepts br", method: "GET", header: http.Header{"Accept-Encoding": {"*"}}, wantStatus: 200, wantCoding: "br", wantETag: brTag, wantBody: true},
		{name: "star refused but gzip listed", method: "GET", header: http.Header{"Accept-Encoding": {"*;q=0, gzip"}}, wantStatus: 200, wantCoding: "gzip", wantETag: gzTag, wantBody: true},
		{name: "star refused falls back to identity", method: "GET", header: http.Header{"Accept-Encoding": {"*;q=0"}}, wantStatus: 200, wantETag: tag, wantBody: true},
		{name: "identity refused still gets identity", method: "GET", header: http.Header{"Accept-Encoding": {"identity;q=0"}}, wantStatus: 200, wantETag: tag, wantBody: true},
		{name: "unknown coding only", method: "GET", header: http.Header{"Accept-Encoding": {"deflate, zstd"}}, wantStatus: 200, wantETag: tag, wantBody: true},
		{name: "empty Accept-Encoding", method: "GET", header: http.Header{"Accept-Encoding": {""}}, wantStatus: 200, wantETag: tag, wantBody: true},
		{name: "HEAD sends headers only", method: "HEAD", header: http.Header{"Accept-Encoding": {"gzip"}}, wantStatus: 200, wantCoding: "gzip", wantETag: gzTag, wantNoBytes: true},
		{name: "If-None-Match identity", method: "GET", header: http.Header{"If-None-Match": {tag}}, wantStatus: 304, wantETag: tag, wantNoBytes: true},
		{name: "If-None-Match weak tag matches weakly", method: "GET", header: http.Header{"If-None-Match": {"W/" + tag}}, wantStatus: 304, wantETag: tag, wantNoBytes: true},
		{name: "If-None-Match list", method: "GET", header: http.Header{"Accept-Encoding": {"br"}, "If-None-Match": {`"old", ` + brTag}}, wantStatus: 304, wantETag: brTag, wantNoBytes: true},
		{name: "If-None-Match list over lines", method: "GET", header: http.Header{"If-None-Match": {`"old"`, `W/"older", ` + tag}}, wantStatus: 304, wantETag: tag, wantNoBytes: true},
		{name: "If-None-Match tag with comma inside", method: "GET", header: http.Header{"If-None-Match": {`"a,b", ` + tag}}, wantStatus: 304, wantETag: tag, wantNoBytes: true},
		{name: "If-None-Match star", method: "GET", header: http.Header{"If-None-Match": {"*"}}, wantStatus: 304, wantETag: tag, wantNoBytes: true},
		{name: "If-None-Match on HEAD", method: "HEAD", header: http.Header{"If-None-Match": {tag}}, wantStatus: 304, wantETag: tag, wantNoBytes: true},
		{name: "gzip tag does not validate br", method: "GET", header: http.Header{"Accept-Encoding": {"br"}, "If-None-Match": {gzTag}}, wantStatus: 200, wantCoding: "br", wantETag: brTag, wantBody: true},
		{name: "identity tag does not validate gzip", method: "GET", header: http.Header{"Accept-Encoding": {"gzip"}, "If-None-Match": {tag}}, wantStatus: 200, wantCoding: "gzip", wantETag: gzTag, wantBody: true},
		{name: "stale tag", method: "GET", header: http.Header{"If-None-Match": {`"0123"`}}, wantStatus: 200, wantETag: tag, wantBody: true},
		{name: "malformed If-None-Match", method: "GET", header: http.Header{"If-None-Match": {bare}}, wantStatus: 200, wantETag: tag, wantBody: true},
		{name: "unterminated If-None-Match", method: "GET", header: http.Header{"If-None-Match": {`"` + bare}}, wantStatus: 200, wantETag: tag, wantBody: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req := httptest.NewRequest(tt.method, "/compare/django-vs-flask", nil)
			for k, vs := range tt.header {
				req.Header[k] = vs
			}
			rec := httptest.NewRecorder()
			page.ServeHTTP(rec, req)
			res := rec.Result()
			if res.StatusCode != tt.wantStatus {
				t.Fatalf("status = %d, want %d", res.StatusCode, tt.wantStatus)
			}
			if got := res.Header.Get("Content-Encoding"); got != tt.wantCoding {
				t.Errorf("Content-Encoding = %q, want %q", got, tt.wantCoding)
			}
			if got := res.Header.Get("ETag"); got != tt.wantETag {
				t.Errorf("ETag = %s, want %s", got, tt.wantETag)
			}
			if got := res.Header.Get("Vary"); got != "Accept-Encoding" {
				t.Errorf("Vary = %q, want Accept-Encoding", got)
			}
			if got := res.Header.Get("Cache-Control"); got != "public, max-age=3600" {
				t.Errorf("Cache-Control = %q", got)
			}
			raw := rec.Body.Bytes()
			if tt.wantNoBytes && len(raw) != 0 {
				t.Errorf("body has %d bytes, want none", len(raw))
			}
			if tt.wantStatus == 304 {
				if res.Header.Get("Content-Length") != "" || res.Header.Get("Content-Type") != "" {
					t.Errorf("304 carries Content-Length %q / Content-Type %q", res.Header.Get("Content-Length"), res.Header.Get("Content-Type"))
				}
				return
			}
			if got := res.Header.Get("Content-Type"); got != "text/html; charset=utf-8" {
				t.Errorf("Content-Type = %q", got)
			}
			n, err := strconv.Atoi(res.Header.Get("Content-Length"))
			if err != nil {
				t.Fatalf("Content-Length %q: %v", res.Header.Get("Content-Length"), err)
			}
			if tt.wantBody {
				if n != len(raw) {
					t.Errorf("Content-Length = %d, body has %d bytes", n, len(raw))
				}
				if got := decode(t, tt.wantCoding, raw); !bytes.Equal(got, testBody) {
					t.Errorf("decoded body differs from the page (%d vs %d bytes)", len(got), len(testBody))
				}
				if tt.wantCoding != "" && len(raw) >= len(testBody) {
					t.Errorf("%s body (%d bytes) is not smaller than identity (%d)", tt.wantCoding, len(raw), len(testBody))
				}
			}
		})
	}
}

func TestMethodNotAllowed(t *testing.T) {
	page := New("text/html; charset=utf-8", testBody, time.Hour)
	for _, method := range []string{"POST", "PUT", "DELETE", "OPTIONS", "PATCH"} {
		t.Run(method, func(t *testing.T) {
			rec := httptest.NewRecorder()
			page.ServeHTTP(rec, httptest.NewRequest(method, "/", strings.NewReader("x=1")))
			if rec.Code != http.StatusMethodNotAllowed {
				t.Fatalf("status = %d, want 405", rec.Code)
			}
			if got := rec.Header().Get("Allow"); got != "GET, HEAD" {
				t.Errorf("Allow = %q", got)
			}
			if !strings.Contains(rec.Body.String(), "GET and HEAD") {
				t.Errorf("body %q does not say which methods work", rec.Body.String())
			}
			if got, want := rec.Header().Get("Content-Length"), strconv.Itoa(rec.Body.Len()); got != want {
				t.Errorf("Content-Length = %q, want %q", got, want)
			}
		})
	}
}

func TestNewStatus(t *testing.T) {
	body := []byte("<!doctype html><title>Not found</title>" + strings.Repeat("<p>No comparison has that address.</p>", 20))
	page := NewStatus(http.StatusNotFound, "text/html; charset=utf-8", body, 0)
	if page.Status() != 404 || page.ETag() != "" {
		t.Fatalf("Status() = %d, ETag() = %q; want 404 and no ETag", page.Status(), page.ETag())
	}
	tests := []struct {
		name       string
		header     http.Header
		wantCoding string
	}{
		{name: "plain", wantCoding: ""},
		{name: "If-None-Match star is ignored outside 2xx", header: http.Header{"If-None-Match": {"*"}}},
		{name: "compressed 404", header: http.Header{"Accept-Encoding": {"gzip"}}, wantCoding: "gzip"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req := httptest.NewRequest("GET", "/nope", nil)
			for k, vs := range tt.header {
				req.Header[k] = vs
			}
			rec := httptest.NewRecorder()
			page.ServeHTTP(rec, req)
			if rec.Code != 404 {
				t.Fatalf("status = %d, want 404", rec.Code)
			}
			if rec.Header().Get("ETag") != "" {
				t.Errorf("a 404 carries ETag %q", rec.Header().Get("ETag"))
			}
			if got := rec.Header().Get("Cache-Control"); got != "public, max-age=0" {
				t.Errorf("Cache-Control = %q", got)
			}
			if got := rec.Header().Get("Content-Encoding"); got != tt.wantCoding {
				t.Errorf("Content-Encoding = %q, want %q", got, tt.wantCoding)
			}
			if got := decode(t, tt.wantCoding, rec.Body.Bytes()); !bytes.Equal(got, body) {
				t.Errorf("body differs")
			}
		})
	}
}

func TestConstruction(t *testing.T) {
	t.Run("tiny bodies are only served as identity", func(t *testing.T) {
		page := New("text/plain; charset=utf-8", []byte("ok\n"), time.Minute)
		req := httptest.NewRequest("GET", "/healthz", nil)
		req.Header.Set("Accept-Encoding", "br, gzip")
		rec := httptest.NewRecorder()
		page.ServeHTTP(rec, req)
		if rec.Header().Get("Content-Encoding") != "" || rec.Body.String() != "ok\n" {
			t.Errorf("got Content-Encoding %q body %q", rec.Header().Get("Content-Encoding"), rec.Body.String())
		}
		if got := rec.Header().Get("Cache-Control"); got != "public, max-age=60" {
			t.Errorf("Cache-Control = %q", got)
		}
	})
	t.Run("empty body", func(t *testing.T) {
		page := New("text/plain", nil, time.Minute)
		rec := httptest.NewRecorder()
		page.ServeHTTP(rec, httptest.NewRequest("GET", "/", nil))
		if rec.Code != 200 || rec.Header().Get("Content-Length") != "0" || page.ETag() == "" {
			t.Errorf("status %d, Content-Length %q, ETag %q", rec.Code, rec.Header().Get("Content-Length"), page.ETag())
		}
	})
	t.Run("negative and fractional max-age", func(t *testing.T) {
		for d, want := range map[time.Duration]string{-time.Second: "public, max-age=0", 1500 * time.Millisecond: "public, max-age=1"} {
			rec := httptest.NewRecorder()
			New("text/plain", []byte("x"), d).ServeHTTP(rec, httptest.NewRequest("GET", "/", nil))
			if got := rec.Header().Get("Cache-Control"); got != want {
				t.Errorf("maxAge %v: Cache-Control = %q, want %q", d, got, want)
			}
		}
	})
	t.Run("body is copied", func(t *testing.T) {
		buf := []byte("original body")
		page := New("text/plain", buf, time.Minute)
		copy(buf, "XXXXXXXX")
		if string(page.Body()) != "original body" {
			t.Errorf("Body() = %q after the caller reused its buffer", page.Body())
		}
	})
	t.Run("different bodies have different ETags", func(t *testing.T) {
		a, b := New("text/plain", []byte("a"), 0), New("text/plain", []byte("b"), 0)
		if a.ETag() == b.ETag() {
			t.Errorf("both ETags are %s", a.ETag())
		}
		if c := New("text/html", []byte("a"), time.Hour); c.ETag() != a.ETag() {
			t.Errorf("same body, different ETags: %s vs %s", a.ETag(), c.ETag())
		}
	})
	t.Run("invalid status panics at build time", func(t *testing.T) {
		defer func() {
			if recover() == nil {
				t.Error("NewStatus(0, …) did not panic")
			}
		}()
		NewStatus(0, "text/plain", nil, 0)
	})
}

func TestQAccepts(t *testing.T) {
	tests := []struct {
		params    string
		ok, valid bool
	}{
		{"", true, true},
		{"q=1", true, true},
		{"q=1.000", true, true},
		{"q=0", false, true},
		{"q=0.", false, true},
		{"q=0.000", false, true},
		{"Q=0", false, true},
		{" q = 0.5 ", true, true},
		{"level=1;q=0", false, true},
		{"q=0.0001", false, false},
		{"q=1.5", false, false},
		{"q=2", false, false},
		{"q=", false, false},
		{"q=0,5", false, false},
		{"q=.5", false, false},
	}
	for _, tt := range tests {
		t.Run(tt.params, func(t *testing.T) {
			ok, valid := qAccepts(tt.params)
			if ok != tt.ok || valid != tt.valid {
				t.Errorf("qAccepts(%q) = %v, %v; want %v, %v", tt.params, ok, valid, tt.ok, tt.valid)
			}
		})
	}
}

// TestThroughServer checks that net/http keeps the preset Content-Length
// and sends 304s without a body over a real connection.
func TestThroughServer(t *testing.T) {
	page := New("text/html; charset=utf-8", testBody, time.Hour)
	srv := httptest.NewServer(page)
	defer srv.Close()
	client := &http.Client{Transport: &http.Transport{DisableCompression: true}}

	req, _ := http.NewRequest("GET", srv.URL, nil)
	req.Header.Set("Accept-Encoding", "gzip")
	res, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	raw, err := io.ReadAll(res.Body)
	res.Body.Close()
	if err != nil {
		t.Fatal(err)
	}
	if res.StatusCode != 200 || res.ContentLength != int64(len(raw)) || res.Header.Get("Content-Encoding") != "gzip" {
		t.Fatalf("status %d, ContentLength %d for %d bytes, Content-Encoding %q", res.StatusCode, res.ContentLength, len(raw), res.Header.Get("Content-Encoding"))
	}
	if !bytes.Equal(decode(t, "gzip", raw), testBody) {
		t.Fatal("gzip body over the wire differs")
	}

	req, _ = http.NewRequest("GET", srv.URL, nil)
	req.Header.Set("Accept-Encoding", "gzip")
	req.Header.Set("If-None-Match", res.Header.Get("ETag"))
	res, err = client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	raw, _ = io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != 304 || len(raw) != 0 {
		t.Fatalf("revalidation: status %d with %d body bytes, want 304 and none", res.StatusCode, len(raw))
	}
}

// reusedWriter is the cheapest ResponseWriter possible, so that
// AllocsPerRun counts what Page.ServeHTTP allocates and nothing else.
type reusedWriter struct {
	h      http.Header
	status int
	n      int
}

func (w *reusedWriter) Header() http.Header         { return w.h }
func (w *reusedWriter) WriteHeader(s int)           { w.status = s }
func (w *reusedWriter) Write(b []byte) (int, error) { w.n += len(b); return len(b), nil }

// BenchmarkServeHTTP is the per-request cost of a cached page, with
// allocs/op the figure to watch (0 when last measured): header values are
// preformatted slices assigned into the map, and negotiation scans the
// request headers in place. Eager and deferred pages, identity, br (after
// the first request compressed it) and a 304.
func BenchmarkServeHTTP(b *testing.B) {
	eager := New("text/html; charset=utf-8", testBody, time.Hour)
	deferred := NewDeferred(http.StatusOK, "text/html; charset=utf-8", testBody, time.Hour)
	cases := []struct {
		name   string
		page   *Page
		header http.Header
		status int
	}{
		{"identity", eager, http.Header{}, 200},
		{"br", eager, http.Header{"Accept-Encoding": {"gzip, deflate, br;q=1.0, zstd"}}, 200},
		{"304", eager, http.Header{"Accept-Encoding": {"gzip"}, "If-None-Match": {`W/"x", ` + `"` + strings.Trim(eager.ETag(), `"`) + `-gz"`}}, 304},
		{"deferred-identity", deferred, http.Header{}, 200},
		{"deferred-br", deferred, http.Header{"Accept-Encoding": {"gzip, deflate, br;q=1.0, zstd"}}, 200},
	}
	for _, tc := range cases {
		b.Run(tc.name, func(b *testing.B) {
			req := httptest.NewRequest("GET", "/", nil)
			req.Header = tc.header
			w := &reusedWriter{h: make(http.Header, 8)}
			tc.page.ServeHTTP(w, req) // a deferred page compresses on the first request
			if w.status != tc.status {
				b.Fatalf("status %d, want %d", w.status, tc.status)
			}
			b.ReportAllocs()
			for b.Loop() {
				clear(w.h)
				tc.page.ServeHTTP(w, req)
			}
		})
	}
}

// BenchmarkCacheHit is a page found in the Cache: the key lookup that
// every cached response starts with.
func BenchmarkCacheHit(b *testing.B) {
	pc, err := NewCache(1<<20, nil)
	if err != nil {
		b.Fatal(err)
	}
	k := Key{Gen: 1, Kind: "comparison", ID: "django-vs-flask"}
	render := func() (*Page, error) { return New("text/html", testBody, time.Hour), nil }
	if _, err := pc.Page(k, render); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := pc.Page(k, render); err != nil {
			b.Fatal(err)
		}
	}
}
