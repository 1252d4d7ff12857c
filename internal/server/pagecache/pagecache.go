// Package pagecache serves pages that were rendered once, ahead of the
// request: every content coding, ETag and header value is computed when the
// page is built, so answering a request is a header lookup and one Write.
//
// A Page is immutable and safe for concurrent use. Rebuild pages (for
// example when the catalog reloads) rather than changing them.
package pagecache

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/andybalholm/brotli"
)

// Page is one prerendered response body with its identity, gzip and brotli
// variants. The zero value is not usable: build pages with New or NewStatus.
type Page struct {
	status int

	identity variant
	gzip     *variant // nil when gzip does not make the body smaller
	br       *variant // nil when brotli does not make the body smaller

	contentType  []string
	cacheControl []string
}

// variant is one content coding of the body, with its header values
// preformatted so that serving it only assigns slices to the header map.
type variant struct {
	body     []byte
	etag     string   // quoted, as sent; "" for non-2xx pages
	etagH    []string // nil for non-2xx pages
	length   []string
	encoding []string // nil for identity
}

// Header values shared by every page. Each slice has len == cap, so a
// handler or middleware appending to one (Header().Add) gets a new array
// instead of writing into the shared one.
var (
	varyH          = []string{"Accept-Encoding"}
	gzipH          = []string{"gzip"}
	brH            = []string{"br"}
	allowH         = []string{"GET, HEAD"}
	textPlainH     = []string{"text/plain; charset=utf-8"}
	nosniffH       = []string{"nosniff"}
	notAllowedMsg  = []byte("405 method not allowed: this page answers GET and HEAD only\n")
	notAllowedLenH = []string{strconv.Itoa(len(notAllowedMsg))}
)

// New prerenders a 200 page. body is copied, so the caller may reuse its
// buffer. maxAge becomes Cache-Control: public, max-age=N (whole seconds;
// negative counts as zero).
func New(contentType string, body []byte, maxAge time.Duration) *Page {
	return NewStatus(http.StatusOK, contentType, body, maxAge)
}

// NewStatus prerenders a page answered with status, such as the 404 page,
// which is the same for every unknown URL and so is worth building once.
// Pages with a status outside 2xx carry no ETag and ignore If-None-Match,
// as RFC 9110 §13.2.1 requires of conditional requests.
func NewStatus(status int, contentType string, body []byte, maxAge time.Duration) *Page {
	if status < 100 || status > 999 {
		panic(fmt.Sprintf("pagecache: invalid status %d", status))
	}
	body = bytes.Clone(body)
	if body == nil {
		body = []byte{}
	}
	secs := int64(maxAge / time.Second)
	if secs < 0 {
		secs = 0
	}
	p := &Page{
		status:       status,
		contentType:  []string{contentType},
		cacheControl: []string{"public, max-age=" + strconv.FormatInt(secs, 10)},
	}
	tag := ""
	if status >= 200 && status < 300 {
		sum := sha256.Sum256(body)
		tag = hex.EncodeToString(sum[:16])
	}
	p.identity = newVariant(body, tag, "", nil)
	if gz := gzipBytes(body); len(gz) < len(body) {
		v := newVariant(gz, tag, "-gz", gzipH)
		p.gzip = &v
	}
	if b := brotliBytes(body); len(b) < len(body) {
		v := newVariant(b, tag, "-br", brH)
		p.br = &v
	}
	return p
}

// newVariant gives each coding its own strong ETag: a gzip and an identity
// body are different representations, and a cache that stored one must not
// be told by a 304 that it may serve it as the other.
func newVariant(body []byte, tag, suffix string, encoding []string) variant {
	v := variant{body: body, length: []string{strconv.Itoa(len(body))}, encoding: encoding}
	if tag != "" {
		v.etag = `"` + tag + suffix + `"`
		v.etagH = []string{v.etag}
	}
	return v
}

func gzipBytes(body []byte) []byte {
	var buf bytes.Buffer
	zw, err := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	if err != nil { // only for an invalid level, which BestCompression is not
		panic(err)
	}
	zw.Write(body) // writes to a bytes.Buffer cannot fail
	zw.Close()
	return buf.Bytes()
}

// brotliQuality trades a little size for much less prerendering time,
// which every start and every watch-mode reload pays for every page. On
// the Django vs Flask page (107 kB), quality 11 took about 50 times longer
// than 6 (over half a second against about 10 ms) for a body 13% smaller;
// 6 is still 14% smaller than gzip at its best.
const brotliQuality = 6

func brotliBytes(body []byte) []byte {
	var buf bytes.Buffer
	bw := brotli.NewWriterLevel(&buf, brotliQuality)
	bw.Write(body) // writes to a bytes.Buffer cannot fail
	bw.Close()
	return buf.Bytes()
}

// Status is the status code the page is served with.
func (p *Page) Status() int { return p.status }

// ETag is the quoted strong ETag of the uncompressed body ("" for a page
// whose status is not 2xx). The gzip and brotli variants add -gz and -br
// inside the quotes.
func (p *Page) ETag() string { return p.identity.etag }

// Body is the uncompressed body. It is shared: do not modify it.
func (p *Page) Body() []byte { return p.identity.body }

// ServeHTTP answers GET and HEAD with the best variant the client accepts
// (br, then gzip, then identity), 304 when If-None-Match already names it,
// and 405 for any other method.
func (p *Page) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		h["Allow"] = allowH
		h["Content-Type"] = textPlainH
		h["X-Content-Type-Options"] = nosniffH
		h["Content-Length"] = notAllowedLenH
		w.WriteHeader(http.StatusMethodNotAllowed)
		w.Write(notAllowedMsg)
		return
	}
	v := p.choose(r.Header["Accept-Encoding"])
	h["Vary"] = varyH
	h["Cache-Control"] = p.cacheControl
	if v.etagH != nil {
		h["Etag"] = v.etagH
		if inm := r.Header["If-None-Match"]; len(inm) > 0 && etagListMatches(inm, v.etag) {
			w.WriteHeader(http.StatusNotModified)
			return
		}
	}
	h["Content-Type"] = p.contentType
	h["Content-Length"] = v.length
	if v.encoding != nil {
		h["Content-Encoding"] = v.encoding
	}
	w.WriteHeader(p.status)
	if r.Method != http.MethodHead {
		w.Write(v.body)
	}
}

// choose picks the variant to send. The server's preference (br > gzip >
// identity) wins over the client's q-values, which only matter when zero:
// every modern client that sends br prefers it, and ranking by q would cost
// parsing work on every request for no difference in practice. When the
// client refuses even identity we still send identity: RFC 9110 §12.5.3
// allows it, and a readable body beats a 406.
func (p *Page) choose(acceptEncoding []string) *variant {
	if len(acceptEncoding) == 0 {
		return &p.identity
	}
	a := parseAcceptEncoding(acceptEncoding)
	if p.br != nil && a.allows(codingBr) {
		return p.br
	}
	if p.gzip != nil && a.allows(codingGzip) {
		return p.gzip
	}
	return &p.identity
}
