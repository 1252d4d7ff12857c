package middleware

import (
	"errors"
	"net/http"
	"strconv"
)

// MaxBytes caps request bodies at n bytes, so a client cannot make a
// handler read (or buffer) without end. A declared Content-Length above n
// is refused at once with 413 and a message giving the limit; a body that
// turns out longer than declared (or chunked) fails when the handler reads
// past n, with an error IsTooLarge recognises so the handler can answer 413.
func MaxBytes(n int64) func(http.Handler) http.Handler {
	msg := []byte("413 request body too large: the limit is " + strconv.FormatInt(n, 10) + " bytes\n")
	msgLen := []string{strconv.Itoa(len(msg))}
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.ContentLength > n {
				h := w.Header()
				h["Content-Type"] = []string{"text/plain; charset=utf-8"}
				h["Content-Length"] = msgLen
				h["Connection"] = []string{"close"}
				w.WriteHeader(http.StatusRequestEntityTooLarge)
				w.Write(msg)
				return
			}
			if r.Body != nil && r.Body != http.NoBody {
				r.Body = http.MaxBytesReader(w, r.Body, n)
			}
			next.ServeHTTP(w, r)
		})
	}
}

// IsTooLarge reports whether err (perhaps wrapped) comes from reading past
// the MaxBytes limit, which a handler should answer with 413, not 400.
func IsTooLarge(err error) bool {
	var mbe *http.MaxBytesError
	return errors.As(err, &mbe)
}
