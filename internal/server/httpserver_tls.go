package server

import (
	"context"
	"crypto/tls"
	"errors"
	"log/slog"
	"net"
	"sync"
	"time"
)

// tlsHandshakeTimeout bounds a TLS handshake, as readHeaderTimeout bounds
// a request's header.
const tlsHandshakeTimeout = readHeaderTimeout

// TLSOptions are what ListenTLS reports to.
type TLSOptions struct {
	// Failed is called after each failed handshake (count it in a
	// metric); nil ignores them.
	Failed func()
	// Log gets the first failed handshake at once and then at most one
	// line per LogEvery (default one minute) saying how many failed
	// since, with the last reason: a scanner cannot fill the log.
	Log      *slog.Logger
	LogEvery time.Duration
}

// ListenTLS serves TLS on ln for an http.Server's Serve (whose TLSConfig
// must be cfg, so that it speaks HTTP/2 where the client asks). It does
// the handshakes itself, off the accept loop, so that:
//
//   - an HTTP/1.1 connection is guarded like a plain one (GuardFraming),
//     which needs the decrypted bytes (net/http then sees a plain
//     connection and leaves Request.TLS nil; nothing in versus reads it);
//   - an HTTP/2 connection is handed over as the *tls.Conn net/http
//     needs to start HTTP/2 (its framing has no Content-Length ambiguity);
//   - a failed handshake is counted (o.Failed) and logged at a bounded
//     rate, instead of net/http's log line for each one.
func ListenTLS(ln net.Listener, cfg *tls.Config, o TLSOptions) net.Listener {
	cfg = cfg.Clone()
	if len(cfg.NextProtos) == 0 {
		cfg.NextProtos = []string{"h2", "http/1.1"}
	}
	if o.LogEvery <= 0 {
		o.LogEvery = time.Minute
	}
	if o.Log == nil {
		o.Log = slog.New(slog.DiscardHandler)
	}
	l := &tlsListener{ln: ln, cfg: cfg, o: o, conns: make(chan net.Conn), errs: make(chan error), done: make(chan struct{})}
	go l.acceptLoop()
	return l
}

type tlsListener struct {
	ln    net.Listener
	cfg   *tls.Config
	o     TLSOptions
	conns chan net.Conn
	errs  chan error
	done  chan struct{}
	once  sync.Once

	mu         sync.Mutex // the failure log
	lastLog    time.Time
	unlogged   int
	lastReason string
}

func (l *tlsListener) acceptLoop() {
	for {
		c, err := l.ln.Accept()
		if err != nil {
			select {
			case l.errs <- err: // http.Server retries temporary errors
			case <-l.done:
				return
			}
			if errors.Is(err, net.ErrClosed) {
				return
			}
			continue
		}
		go l.handshake(c)
	}
}

func (l *tlsListener) handshake(c net.Conn) {
	tc := tls.Server(c, l.cfg)
	ctx, cancel := context.WithTimeout(context.Background(), tlsHandshakeTimeout)
	err := tc.HandshakeContext(ctx)
	cancel()
	if err != nil {
		tc.Close()
		l.failed(c.RemoteAddr(), err)
		return
	}
	var out net.Conn = tc
	if tc.ConnectionState().NegotiatedProtocol != "h2" {
		out = &framingConn{Conn: tc, f: framer{state: fsLine, firstLine: true}}
	}
	select {
	case l.conns <- out:
	case <-l.done:
		tc.Close()
	}
}

func (l *tlsListener) failed(from net.Addr, err error) {
	if l.o.Failed != nil {
		l.o.Failed()
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	l.unlogged++
	l.lastReason = err.Error()
	now := time.Now()
	if !l.lastLog.IsZero() && now.Sub(l.lastLog) < l.o.LogEvery {
		return
	}
	l.o.Log.Warn("TLS handshakes failed (all are counted in versus_tls_handshake_failures_total; this line comes at most once a minute)",
		slog.Int("since_last_line", l.unlogged), slog.String("last_from", from.String()), slog.String("last_reason", l.lastReason))
	l.lastLog, l.unlogged = now, 0
}

func (l *tlsListener) Accept() (net.Conn, error) {
	select {
	case c := <-l.conns:
		return c, nil
	case err := <-l.errs:
		return nil, err
	case <-l.done:
		return nil, net.ErrClosed
	}
}

func (l *tlsListener) Close() error {
	l.once.Do(func() { close(l.done) })
	return l.ln.Close()
}

func (l *tlsListener) Addr() net.Addr { return l.ln.Addr() }
