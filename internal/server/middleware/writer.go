package middleware

import "net/http"

// statusWriter remembers the status and the number of body bytes written,
// which the access log, the metrics and the recoverer need. It adds no
// optional interfaces of its own: Unwrap lets http.ResponseController reach
// Flush, Hijack and deadlines on the writer underneath.
type statusWriter struct {
	http.ResponseWriter
	status int // 0 until the handler writes a final (non-1xx) header or body
	bytes  int64
}

// wrap returns w as a *statusWriter, reusing it when an outer middleware
// already wrapped it so that stacked middleware share one wrapper.
func wrap(w http.ResponseWriter) *statusWriter {
	if sw, ok := w.(*statusWriter); ok {
		return sw
	}
	return &statusWriter{ResponseWriter: w}
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
