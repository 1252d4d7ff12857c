package server

import (
	"bytes"
	"errors"
	"net"
	"sync"
)

// GuardFraming wraps ln so that every HTTP/1.x connection is checked, in
// front of net/http, for a request that carries both Content-Length and
// Transfer-Encoding. RFC 9112 (6.1) says such a request may be an attempt
// at request smuggling and that a server that accepts it must close the
// connection after answering; net/http drops the Content-Length, answers,
// and keeps the connection for the next (possibly smuggled) request. Here
// the read that would complete such a request's header fails instead, so
// net/http answers "400 Bad Request" with "Connection: close" and closes:
// a request pipelined after it is never answered.
//
// The check follows each request's framing (Content-Length bodies and
// chunked bodies with their trailers) byte by byte as net/http reads them,
// and passes every byte through unchanged and unbuffered; a body costs a
// subtraction per read. When the stream stops looking like HTTP/1.x (a
// header line past maxHeaderBytes, a chunk size it cannot read), net/http
// is about to refuse it too, and the check steps aside for that connection.
func GuardFraming(ln net.Listener) net.Listener { return framingListener{ln} }

type framingListener struct{ net.Listener }

func (l framingListener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err != nil {
		return nil, err
	}
	return &framingConn{Conn: c, f: framer{state: fsLine, firstLine: true}}, nil
}

// errAmbiguousFraming is what the guarded read returns. It must not be one
// net/http takes for a network error (io.EOF, a timeout, a *net.OpError),
// or it would close the connection without answering.
var errAmbiguousFraming = errors.New("request has both Content-Length and Transfer-Encoding")

type framingConn struct {
	net.Conn
	mu sync.Mutex // net/http's background read may overlap a foreground one's end
	f  framer
}

func (c *framingConn) Read(p []byte) (int, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.f.err != nil {
		return 0, c.f.err
	}
	n, err := c.Conn.Read(p)
	if n > 0 {
		if cut := c.f.scan(p[:n]); cut >= 0 {
			// Hand over what precedes the end of the offending header, so
			// net/http cannot finish reading it; the next read fails.
			return cut, nil
		}
	}
	return n, err
}

// framer states.
const (
	fsLine      = iota // in the request line or a header line
	fsBody             // in a Content-Length body
	fsChunkSize        // in a chunk-size line (size, extensions)
	fsChunkData        // in a chunk's data
	fsChunkEnd         // the CRLF after a chunk's data
	fsTrailer          // in the trailer section
	fsOff              // no longer following the stream

	// maxPartial is how much of a line split across reads is kept: the
	// field name and a Content-Length value fit many times over.
	maxPartial = 256
)

// framer follows HTTP/1.x request framing over the bytes of one
// connection. A line that arrives whole in one read (nearly all of them)
// is found with one bytes.IndexByte and looked at once; only a line split
// across reads is copied, in part.
type framer struct {
	state     int
	remaining int64 // body or chunk bytes still to come
	err       error // sticky: the connection's requests are refused

	firstLine bool // the request line is next
	partial   []byte
	lineLen   int // of the partial line

	// The header being read.
	hasCL, hasTE bool
	length       int64
	chunkDigits  int
	inChunkExt   bool
}

// scan moves the framer over b; it returns the index at which to cut b when
// it finds an ambiguous request (and sets err), or -1.
func (f *framer) scan(b []byte) int {
	for i := 0; i < len(b); i++ {
		switch f.state {
		case fsOff:
			return -1
		case fsBody:
			n := min(int64(len(b)-i), f.remaining)
			f.remaining -= n
			i += int(n) - 1
			if f.remaining == 0 {
				f.startRequest()
			}
		case fsChunkData:
			n := min(int64(len(b)-i), f.remaining)
			f.remaining -= n
			i += int(n) - 1
			if f.remaining == 0 {
				f.state = fsChunkEnd
			}
		case fsChunkEnd:
			if b[i] == '\n' {
				f.state, f.chunkDigits, f.remaining, f.inChunkExt = fsChunkSize, 0, 0, false
			}
		case fsChunkSize:
			f.chunkSize(b[i])
		case fsLine, fsTrailer:
			j := bytes.IndexByte(b[i:], '\n')
			if j < 0 {
				f.keep(b[i:])
				return -1
			}
			line := b[i : i+j]
			if f.lineLen > 0 {
				f.keep(line)
				line = f.partial
			}
			i += j
			ambiguous := f.line(line)
			f.partial, f.lineLen = f.partial[:0], 0
			if ambiguous {
				f.err = errAmbiguousFraming
				return i
			}
		}
	}
	return -1
}

// keep adds part of a line split across reads.
func (f *framer) keep(b []byte) {
	f.lineLen += len(b)
	if f.lineLen > maxHeaderBytes {
		f.state = fsOff // net/http answers 431 or 400 and closes
		return
	}
	if room := maxPartial - len(f.partial); room > 0 {
		f.partial = append(f.partial, b[:min(len(b), room)]...)
	}
}

// startRequest resets the framer for the next request's header.
func (f *framer) startRequest() {
	f.state, f.firstLine = fsLine, true
	f.hasCL, f.hasTE, f.length = false, false, 0
}

// line looks at one line (without its LF); it says whether a header just
// ended with both framing fields.
func (f *framer) line(l []byte) bool {
	truncated := f.lineLen > len(l)
	l = bytes.TrimSuffix(l, []byte{'\r'})
	if len(l) == 0 && !truncated {
		return f.endOfSection()
	}
	if f.firstLine {
		f.firstLine = false
		return false
	}
	if f.state == fsTrailer {
		return false
	}
	colon := bytes.IndexByte(l, ':')
	if colon < 0 {
		return false // net/http refuses it
	}
	name := l[:colon]
	switch {
	case asciiEqualFold(name, "transfer-encoding"):
		f.hasTE = true
	case asciiEqualFold(name, "content-length"):
		f.hasCL = true
		n, ok := parseLength(bytes.Trim(l[colon+1:], " \t"))
		if !ok || truncated {
			f.state = fsOff // net/http refuses it
			return false
		}
		f.length = n
	}
	return false
}

// endOfSection handles the empty line that ends a header or a trailer.
func (f *framer) endOfSection() bool {
	switch {
	case f.firstLine:
		return false // empty lines before the request line are skipped
	case f.state == fsTrailer:
		f.startRequest()
	case f.hasCL && f.hasTE:
		return true
	case f.hasTE: // chunked (anything else net/http refuses and closes)
		f.state, f.chunkDigits, f.remaining, f.inChunkExt = fsChunkSize, 0, 0, false
	case f.length > 0:
		f.state, f.remaining = fsBody, f.length
	default:
		f.startRequest()
	}
	return false
}

func parseLength(b []byte) (int64, bool) {
	if len(b) == 0 || len(b) > 18 {
		return 0, false
	}
	var n int64
	for _, c := range b {
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int64(c-'0')
	}
	return n, true
}

func (f *framer) chunkSize(c byte) {
	switch {
	case c == '\n':
		if f.chunkDigits == 0 {
			f.state = fsOff
			return
		}
		if f.remaining == 0 {
			f.state, f.firstLine = fsTrailer, false
			return
		}
		f.state = fsChunkData
	case f.inChunkExt || c == '\r':
	case c == ';' || c == ' ' || c == '\t':
		f.inChunkExt = true
	default:
		d := hexDigit(c)
		if d < 0 || f.chunkDigits == 15 {
			f.state = fsOff // net/http refuses it
			return
		}
		f.chunkDigits++
		f.remaining = f.remaining<<4 | int64(d)
	}
}

func hexDigit(c byte) int {
	switch {
	case c >= '0' && c <= '9':
		return int(c - '0')
	case c >= 'a' && c <= 'f':
		return int(c-'a') + 10
	case c >= 'A' && c <= 'F':
		return int(c-'A') + 10
	}
	return -1
}

func asciiEqualFold(b []byte, s string) bool {
	if len(b) != len(s) {
		return false
	}
	for i := range b {
		c := b[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		if c != s[i] {
			return false
		}
	}
	return true
}
