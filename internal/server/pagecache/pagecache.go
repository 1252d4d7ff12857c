// Package pagecache keeps rendered pages in one cache with a byte budget
// and serves them: the ETag and header values are computed when the page
// is built, and each content coding once (by the first request that wants
// it), so answering a request from the cache is a lookup, a header
// assignment and one Write.
//
// A Page's body never changes and a Page is safe for concurrent use.
// Render pages again (for example when the catalog reloads, under a new
// generation of keys) rather than changing them.
package pagecache

import (
	"bytes"
	"compress/gzip"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/andybalholm/brotli"
	"github.com/cespare/xxhash/v2"
)

// Page is one rendered response body with its identity, gzip and brotli
// variants. The zero value is not usable: build pages with New, NewStatus
// or NewDeferred.
//
// The identity body exists from construction. The compressed variants are
// computed once, by Compress or by the first request that accepts the
// coding, whichever comes first; after that, serving them is a pointer
// load. A page held by a Cache tells it when a variant is added, so the
// cache's byte count includes every variant.
type Page struct {
	status int
	tag    string // hex ETag of the identity body; "" for non-2xx pages

	identity variant
	gzip     lazyVariant
	br       lazyVariant

	contentType  []string
	cacheControl []string

	// grown, when set (by Cache, before the page is shared), is called
	// after a compressed variant was computed.
	grown func()
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

// lazyVariant is a compressed variant computed at most once. v is nil until
// it is computed, then the variant, or notKept when compression did not
// save enough to be worth its memory.
type lazyVariant struct {
	once sync.Once
	v    atomic.Pointer[variant]
}

// notKept marks a variant that was computed and dropped.
var notKept = &variant{}

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

// New builds a 200 page with every variant computed before it returns,
// for pages built once per process (static assets). body is copied, so the
// caller may reuse its buffer. maxAge becomes Cache-Control: public,
// max-age=N (whole seconds; negative counts as zero).
func New(contentType string, body []byte, maxAge time.Duration) *Page {
	return NewStatus(http.StatusOK, contentType, body, maxAge)
}

// NewStatus builds a page answered with status, such as the 404 page,
// which is the same for every unknown URL and so is worth building once.
// Pages with a status outside 2xx carry no ETag and ignore If-None-Match,
// as RFC 9110 §13.2.1 requires of conditional requests.
func NewStatus(status int, contentType string, body []byte, maxAge time.Duration) *Page {
	p := NewDeferred(status, contentType, bytes.Clone(body), maxAge)
	p.Compress()
	return p
}

// NewDeferred is NewStatus without the compression, which costs about
// ten times the rendering: the page can be served at once, and each
// compressed variant comes from Compress or from the first request that
// accepts it, so no CPU goes to a coding no client asked for. The page
// keeps body, which the caller must not change afterwards: a page just
// rendered is not copied again.
func NewDeferred(status int, contentType string, body []byte, maxAge time.Duration) *Page {
	if status < 100 || status > 999 {
		panic(fmt.Sprintf("pagecache: invalid status %d", status))
	}
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
	if status >= 200 && status < 300 {
		// A 64-bit xxHash of the body: a strong validator needs only to
		// change whenever the bytes do, and SHA-256 took an eighth of a
		// result page's miss.
		p.tag = hex.EncodeToString(binary.BigEndian.AppendUint64(nil, xxhash.Sum64(body)))
	}
	p.identity = newVariant(body, p.tag, "", nil)
	if strings.HasPrefix(contentType, "image/png") {
		// Already deflated: compressing again would only cost CPU.
		p.gzip.v.Store(notKept)
		p.br.v.Store(notKept)
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

// Compress computes the gzip and brotli variants if they are not computed
// yet. It is safe to call from several goroutines and while the page
// serves; each variant is computed once.
func (p *Page) Compress() {
	p.gzipVariant()
	p.brVariant()
}

// Compressed reports whether both compressed variants have been computed
// (kept or dropped), so no request for this page will compress again.
func (p *Page) Compressed() bool {
	return p.gzip.v.Load() != nil && p.br.v.Load() != nil
}

// gzipVariant returns the gzip variant, computing it on first use; nil
// when it is not worth keeping.
func (p *Page) gzipVariant() *variant {
	return p.gzip.get(func() *variant { return p.keep(gzipBytes(p.identity.body), "-gz", gzipH) }, p.grown)
}

func (p *Page) brVariant() *variant {
	return p.br.get(func() *variant { return p.keep(brotliBytes(p.identity.body), "-br", brH) }, p.grown)
}

// get returns the computed variant, or nil when it was dropped. The fast
// path is one atomic load, so serving a compressed page allocates nothing;
// compute runs once, and concurrent callers wait for it. grown, if not
// nil, is called once the variant is stored.
func (l *lazyVariant) get(compute func() *variant, grown func()) *variant {
	v := l.v.Load()
	if v == nil {
		l.once.Do(func() {
			l.v.Store(compute())
			if grown != nil {
				grown()
			}
		})
		v = l.v.Load()
	}
	if v == notKept {
		return nil
	}
	return v
}

// keep turns compressed bytes into a variant, or notKept when they save
// less than an eighth of the identity body: such a variant would cost its
// memory, and the client a decode, for a transfer-time gain too small to
// matter (tiny bodies and already-compressed images end up here).
func (p *Page) keep(compressed []byte, suffix string, encoding []string) *variant {
	n := len(p.identity.body)
	if len(compressed) > n-n/8 || len(compressed) >= n {
		return notKept
	}
	v := newVariant(compressed, p.tag, suffix, encoding)
	return &v
}

// Compression levels, chosen by measuring the 116 kB Django vs Flask page
// with reused writers (which is how they run: the writers' large tables are
// pooled, since allocating and clearing them cost more than compressing).
// gzip 6 gives 20,752 bytes in 1.7 ms against 20,598 bytes in 2.2 ms at 9:
// 0.7% larger for a quarter less time. brotli 6 gives 17,584 bytes in
// 2.1 ms; 5 is 1% larger for no less time, 4 is 8% larger, 9 saves 1.5%
// for four times the time, and 11 saves 12% for ninety times (190 ms a
// page, which every start and every watch-mode reload would pay).
const (
	gzipLevel     = 6
	brotliQuality = 6
)

// compressor is a writer and its output buffer, pooled together: both
// grow to their working size once and are then reused page after page.
type compressor[W interface {
	io.WriteCloser
	Reset(io.Writer)
}] struct {
	w   W
	out bytes.Buffer
}

// compress returns body compressed, in a slice of exactly its length, so a
// page keeps no spare capacity for its lifetime.
func (c *compressor[W]) compress(body []byte) []byte {
	c.out.Reset()
	c.w.Reset(&c.out)
	c.w.Write(body) // writes to a bytes.Buffer cannot fail
	c.w.Close()
	return bytes.Clone(c.out.Bytes())
}

var (
	gzipPool = sync.Pool{New: func() any {
		zw, err := gzip.NewWriterLevel(nil, gzipLevel)
		if err != nil { // only for an invalid level, which gzipLevel is not
			panic(err)
		}
		return &compressor[*gzip.Writer]{w: zw}
	}}
	brPool = sync.Pool{New: func() any {
		return &compressor[*brotli.Writer]{w: brotli.NewWriterLevel(nil, brotliQuality)}
	}}
)

func gzipBytes(body []byte) []byte {
	c := gzipPool.Get().(*compressor[*gzip.Writer])
	defer gzipPool.Put(c)
	return c.compress(body)
}

func brotliBytes(body []byte) []byte {
	c := brPool.Get().(*compressor[*brotli.Writer])
	defer brPool.Put(c)
	return c.compress(body)
}

// pageOverhead approximates what a page costs besides its bodies: the
// struct, its header slices and its cache entry.
const pageOverhead = 512

// Size is the memory the page holds, in bytes: every body computed so far
// (identity and the compressed variants kept) and a fixed overhead. A
// body counts its capacity, which the allocator rounds up to its size
// class (to 8 KiB pages past 32 KiB): counting the lengths left the
// process 2 to 4% over budget + index + 128 MiB in `loadtest -scale`.
func (p *Page) Size() int {
	n := pageOverhead + cap(p.identity.body)
	for _, l := range []*lazyVariant{&p.gzip, &p.br} {
		if v := l.v.Load(); v != nil {
			n += cap(v.body)
		}
	}
	return n
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
	if a.allows(codingBr) {
		if v := p.brVariant(); v != nil {
			return v
		}
	}
	if a.allows(codingGzip) {
		if v := p.gzipVariant(); v != nil {
			return v
		}
	}
	return &p.identity
}
