package pagecache

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"
)

// serve answers one GET for page with the given Accept-Encoding and
// If-None-Match ("" sends none) and returns the recorder.
func serve(page *Page, acceptEncoding, ifNoneMatch string) *httptest.ResponseRecorder {
	req := httptest.NewRequest("GET", "/compare/x", nil)
	if acceptEncoding != "" {
		req.Header.Set("Accept-Encoding", acceptEncoding)
	}
	if ifNoneMatch != "" {
		req.Header.Set("If-None-Match", ifNoneMatch)
	}
	rec := httptest.NewRecorder()
	page.ServeHTTP(rec, req)
	return rec
}

// bodyN is a compressible page body that differs with n, so pages built
// from different n have different ETags.
func bodyN(n int) []byte {
	return []byte(fmt.Sprintf("<!doctype html><title>Page %d</title>%s", n,
		strings.Repeat(fmt.Sprintf("<p>Paragraph of page %d, repeated so it compresses.</p>\n", n), 40)))
}

func TestDeferredPage(t *testing.T) {
	eager := New("text/html; charset=utf-8", testBody, time.Hour)
	tag := eager.ETag()
	bare := strings.Trim(tag, `"`)
	tests := []struct {
		name       string
		accept     string
		wantCoding string
		wantETag   string
	}{
		{name: "identity client does not trigger compression", accept: "", wantETag: tag},
		{name: "identity refused codings", accept: "br;q=0, gzip;q=0", wantETag: tag},
		{name: "br client gets br on first request", accept: "gzip, br", wantCoding: "br", wantETag: `"` + bare + `-br"`},
		{name: "gzip client gets gzip on first request", accept: "gzip", wantCoding: "gzip", wantETag: `"` + bare + `-gz"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			page := NewDeferred(http.StatusOK, "text/html; charset=utf-8", testBody, time.Hour)
			if page.Compressed() {
				t.Fatal("a new deferred page says it is compressed")
			}
			if page.ETag() != tag {
				t.Fatalf("ETag() = %s, want %s (the same body as New)", page.ETag(), tag)
			}
			rec := serve(page, tt.accept, "")
			if rec.Code != 200 {
				t.Fatalf("status %d", rec.Code)
			}
			if got := rec.Header().Get("Content-Encoding"); got != tt.wantCoding {
				t.Errorf("Content-Encoding = %q, want %q", got, tt.wantCoding)
			}
			if got := rec.Header().Get("ETag"); got != tt.wantETag {
				t.Errorf("ETag = %s, want %s", got, tt.wantETag)
			}
			if got := decode(t, tt.wantCoding, rec.Body.Bytes()); !bytes.Equal(got, testBody) {
				t.Errorf("decoded body differs from the page")
			}
			if tt.wantCoding == "" && page.Compressed() {
				t.Error("an identity response compressed the page")
			}
			// The same request on the eager page gives the same bytes.
			if want := serve(eager, tt.accept, ""); !bytes.Equal(rec.Body.Bytes(), want.Body.Bytes()) {
				t.Errorf("deferred %q body differs from the eager page's", tt.accept)
			}
		})
	}
}

// TestDeferredCompress checks that after Compress every variant is served
// with its own strong ETag, and revalidates only against that tag.
func TestDeferredCompress(t *testing.T) {
	page := NewDeferred(http.StatusOK, "text/html; charset=utf-8", testBody, time.Hour)
	page.Compress()
	if !page.Compressed() {
		t.Fatal("Compressed() is false after Compress")
	}
	bare := strings.Trim(page.ETag(), `"`)
	variants := []struct{ accept, coding, etag string }{
		{"", "", `"` + bare + `"`},
		{"gzip", "gzip", `"` + bare + `-gz"`},
		{"br, gzip", "br", `"` + bare + `-br"`},
	}
	for _, v := range variants {
		for _, inm := range variants {
			name := fmt.Sprintf("accept %q, If-None-Match %s", v.accept, inm.etag)
			t.Run(name, func(t *testing.T) {
				rec := serve(page, v.accept, inm.etag)
				if got := rec.Header().Get("ETag"); got != v.etag {
					t.Errorf("ETag = %s, want %s", got, v.etag)
				}
				if inm.etag == v.etag {
					if rec.Code != http.StatusNotModified || rec.Body.Len() != 0 {
						t.Errorf("status %d with %d bytes, want 304 and none", rec.Code, rec.Body.Len())
					}
					return
				}
				if rec.Code != 200 || rec.Header().Get("Content-Encoding") != v.coding {
					t.Fatalf("status %d, Content-Encoding %q; want 200, %q", rec.Code, rec.Header().Get("Content-Encoding"), v.coding)
				}
				if got := decode(t, v.coding, rec.Body.Bytes()); !bytes.Equal(got, testBody) {
					t.Error("decoded body differs from the page")
				}
			})
		}
	}
}

func TestVariantsKeptOnlyWhenWorthIt(t *testing.T) {
	rnd := rand.New(rand.NewPCG(1, 2))
	noise := make([]byte, 4096)
	for i := range noise {
		noise[i] = byte(rnd.UintN(256))
	}
	// Mostly noise with a compressible tail of a tenth: compression saves
	// something, but less than the eighth a variant must save.
	almost := append(bytes.Clone(noise), bytes.Repeat([]byte("a"), len(noise)/10)...)
	tests := []struct {
		name     string
		body     []byte
		wantKept bool
	}{
		{"incompressible", noise, false},
		{"saves less than an eighth", almost, false},
		{"html", testBody, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if !tt.wantKept {
				// Check the premise: brotli does save a little on "almost".
				if n := len(brotliBytes(tt.body)); tt.name != "incompressible" && n >= len(tt.body) {
					t.Fatalf("brotli does not shrink the test body (%d bytes from %d): the case tests nothing", n, len(tt.body))
				}
			}
			page := NewDeferred(http.StatusOK, "application/octet-stream", tt.body, 0)
			page.Compress()
			for _, accept := range []string{"br", "gzip"} {
				rec := serve(page, accept, "")
				got := rec.Header().Get("Content-Encoding")
				if tt.wantKept && got != accept {
					t.Errorf("Accept-Encoding %s: Content-Encoding %q, want %s", accept, got, accept)
				}
				if !tt.wantKept && got != "" {
					t.Errorf("Accept-Encoding %s: Content-Encoding %q (%d bytes for %d), want identity", accept, got, rec.Body.Len(), len(tt.body))
				}
				if got := decode(t, got, rec.Body.Bytes()); !bytes.Equal(got, tt.body) {
					t.Error("decoded body differs")
				}
			}
		})
	}
}

// TestConcurrentRequests serves every deferred page to clients of every
// coding at once, so the first requests for a coding race to compress it;
// run it with -race. Every response must be complete, decode to its page
// and carry the ETag of the coding it was sent with.
func TestConcurrentRequests(t *testing.T) {
	const n = 60
	pages := make([]*Page, n)
	for i := range pages {
		pages[i] = NewDeferred(http.StatusOK, "text/html; charset=utf-8", bodyN(i), time.Minute)
	}
	accepts := []string{"", "gzip", "br", "gzip, deflate, br, zstd"}
	var wg sync.WaitGroup
	for c := range 6 {
		wg.Go(func() {
			for i := range n {
				k := (i*7 + c) % n // each client in its own order
				page, want := pages[k], bodyN(k)
				bare := strings.Trim(page.ETag(), `"`)
				wantTags := map[string]string{"": `"` + bare + `"`, "gzip": `"` + bare + `-gz"`, "br": `"` + bare + `-br"`}
				for j := range accepts {
					accept := accepts[(j+c)%len(accepts)]
					rec := serve(page, accept, "")
					coding := rec.Header().Get("Content-Encoding")
					if got := rec.Header().Get("ETag"); got != wantTags[coding] {
						t.Errorf("Content-Encoding %q sent with ETag %s, want %s", coding, got, wantTags[coding])
					}
					if accept != "" && coding == "" {
						t.Errorf("Accept-Encoding %q got identity for a compressible page", accept)
					}
					if got := decode(t, coding, rec.Body.Bytes()); !bytes.Equal(got, want) {
						t.Errorf("page %d, Accept-Encoding %q: decoded body differs", k, accept)
					}
				}
			}
		})
	}
	wg.Wait()
	// Every page was requested at least once with br and with gzip, so
	// it is compressed now.
	for i, p := range pages {
		if !p.Compressed() {
			t.Errorf("page %d not compressed after every coding was requested", i)
		}
	}
}
