package middleware

import (
	"context"
	"crypto/rand"
	"net/http"
	"sync/atomic"
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

// requestCtx is the request's context with its id, and the X-Request-Id
// header slice in the same allocation.
type requestCtx struct {
	context.Context
	id  string
	hdr [1]string
}

// Value answers the request id key with the requestCtx itself (a pointer,
// so returning it as an interface does not allocate) and asks the parent
// for everything else.
func (c *requestCtx) Value(key any) any {
	if _, ok := key.(requestIDKey); ok {
		return c
	}
	return c.Context.Value(key)
}

// newID is the next generated id: the prefix, '-' and the counter in
// fixed-width base 32.
func newID() string {
	var buf [idLen]byte
	copy(buf[:], idPrefix)
	buf[idPrefixLen] = '-'
	n := idCounter.Add(1)
	for i := idLen - 1; i > idPrefixLen; i-- {
		buf[i] = base32Digits[n&31]
		n >>= 5
	}
	return string(buf[:])
}

// RequestID gives every request an id that ties its log lines together and
// that a user can quote in a bug report. A sane incoming X-Request-Id (from
// a proxy in front, at most 64 characters of [A-Za-z0-9-_.]) is kept so the
// id follows the request across hops; anything else is replaced by a
// generated one. The id is echoed in the response's X-Request-Id.
func RequestID(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c := &requestCtx{Context: r.Context()}
		if in := r.Header["X-Request-Id"]; len(in) > 0 && validRequestID(in[0]) {
			c.id = in[0]
		} else {
			c.id = newID()
		}
		c.hdr[0] = c.id
		// len == cap == 1: a later Header().Add gets a new array rather
		// than writing past the id.
		w.Header()["X-Request-Id"] = c.hdr[:]
		next.ServeHTTP(w, r.WithContext(c))
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
