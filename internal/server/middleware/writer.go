package middleware

import (
	"net/http"
	"sync"
)

// statusWriter remembers the status and the number of body bytes written,
// which the access log, the metrics and the recoverer need. It adds no
// optional interfaces of its own: Unwrap lets http.ResponseController reach
// Flush, Hijack and deadlines on the writer underneath.
type statusWriter struct {
	http.ResponseWriter
	status int // 0 until the handler writes a final (non-1xx) header or body
	bytes  int64
}

// writers recycles wrappers: one per request would be an allocation on a
// path whose page is otherwise a lookup and one Write.
var writers = sync.Pool{New: func() any { return new(statusWriter) }}

// wrap returns w as a *statusWriter, reusing it when an outer middleware
// already wrapped it so that stacked middleware share one wrapper. owned
// says the wrapper is new: the caller must hand it to release once the
// handler has returned and the wrapper is no longer read.
func wrap(w http.ResponseWriter) (sw *statusWriter, owned bool) {
	if sw, ok := w.(*statusWriter); ok {
		return sw, false
	}
	sw = writers.Get().(*statusWriter)
	sw.ResponseWriter = w
	return sw, true
}

// release returns a wrapper to the pool. A handler that panicked past
// the middleware never gets here; its wrapper is simply collected.
func release(sw *statusWriter) {
	*sw = statusWriter{}
	writers.Put(sw)
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 && (code >= 200 || code == http.StatusSwitchingProtocols) {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	n, err := w.ResponseWriter.Write(b)
	w.bytes += int64(n)
	return n, err
}

// Unwrap is what http.ResponseController looks for.
func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// started reports whether the response's status line may already be on
// the wire, after which a different status can no longer be sent.
func (w *statusWriter) started() bool { return w.status != 0 }

// finalStatus is the status the client got: a handler that wrote nothing
// (or only flushed) gets net/http's implicit 200.
func (w *statusWriter) finalStatus() int {
	if w.status == 0 {
		return http.StatusOK
	}
	return w.status
}
