package middleware

import (
	"context"
	"crypto/rand"
	"net/http"
	"sync"
	"sync/atomic"
	"unsafe"

	"github.com/go-chi/chi/v5"
)

type requestIDKey struct{}

// maxRequestIDLen bounds an incoming id so a client cannot bloat every log
// line it causes.
const maxRequestIDLen = 64

// Generated ids are a per-process random prefix and a counter: unique
// within the process, unlikely to collide across processes and restarts
// (60 random bits), and cheap enough to make on every request, unlike a
// fresh read of the system's random source.
const (
	idPrefixLen  = 12                             // base32 characters of the random prefix
	idCounterLen = 10                             // base32 digits of the counter, 50 bits
	idLen        = idPrefixLen + 1 + idCounterLen // prefix, '-', counter
)

const base32Digits = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"

var (
	idPrefix  = rand.Text()[:idPrefixLen]
	idCounter atomic.Uint64
)

// requestCtx is the request's context with its id: one allocation holds
// the context value, the id's bytes and the X-Request-Id header slice, so
// giving a request its id costs one allocation besides the request copy
// that WithContext makes.
type requestCtx struct {
	context.Context
	rctx *chi.Context // chi's routing context, when RequestID supplies it
	id   string
	hdr  [1]string
	buf  [idLen]byte
}

// Value answers the request id key with the requestCtx itself (a pointer,
// so returning it as an interface does not allocate) and asks the parent
// for everything else.
func (c *requestCtx) Value(key any) any {
	if _, ok := key.(requestIDKey); ok {
		return c
	}
	if c.rctx != nil && key == chi.RouteCtxKey {
		return c.rctx
	}
	return c.Context.Value(key)
}

// routeContexts recycles chi routing contexts as chi's own Mux does.
var routeContexts = sync.Pool{New: func() any { return chi.NewRouteContext() }}

// newID writes the next generated id into c.buf and points c.id at it.
// The bytes are never written again, so the string stays immutable.
func (c *requestCtx) newID() {
	copy(c.buf[:], idPrefix)
	c.buf[idPrefixLen] = '-'
	n := idCounter.Add(1)
	for i := idLen - 1; i > idPrefixLen; i-- {
		c.buf[i] = base32Digits[n&31]
		n >>= 5
	}
	c.id = unsafe.String(&c.buf[0], idLen)
}

// RequestID gives every request an id that ties its log lines together and
// that a user can quote in a bug report. A sane incoming X-Request-Id (from
// a proxy in front, at most 64 characters of [A-Za-z0-9-_.]) is kept so the
// id follows the request across hops; anything else is replaced by a
// generated one. The id is echoed in the response's X-Request-Id.
//
// Put in front of a chi router (RequestID(mux), not mux.Use(RequestID)),
// it also carries the router's routing context, taken from a pool: chi
// then routes in it instead of adding a context and a request copy of its
// own, two allocations fewer per request. Behind a router, or in front of
// a request that already has a routing context, it leaves routing alone.
func RequestID(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c := &requestCtx{Context: r.Context()}
		if chi.RouteContext(c.Context) == nil {
			c.rctx = routeContexts.Get().(*chi.Context)
			c.rctx.Reset()
		}
		if in := r.Header["X-Request-Id"]; len(in) > 0 && validRequestID(in[0]) {
			c.id = in[0]
		} else {
			c.newID()
		}
		c.hdr[0] = c.id
		// len == cap == 1: a later Header().Add gets a new array rather
		// than writing past the id.
		w.Header()["X-Request-Id"] = c.hdr[:]
		next.ServeHTTP(w, r.WithContext(c))
		if c.rctx != nil {
			// A handler that panicked never gets here; its routing
			// context is simply collected.
			routeContexts.Put(c.rctx)
		}
	})
}

// RequestIDFrom returns the request id RequestID stored in ctx, or "" when
// the request did not pass through RequestID.
func RequestIDFrom(ctx context.Context) string {
	if c, ok := ctx.Value(requestIDKey{}).(*requestCtx); ok {
		return c.id
	}
	return ""
}

func validRequestID(id string) bool {
	if id == "" || len(id) > maxRequestIDLen {
		return false
	}
	for i := 0; i < len(id); i++ {
		c := id[i]
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9', c == '-', c == '_', c == '.':
		default:
			return false
		}
	}
	return true
}
