package server

import (
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"strconv"
	"strings"

	"github.com/versus-dev/versus/internal/server/middleware"
	"github.com/versus-dev/versus/web"
)

// httpError is an error whose message is safe to show the reader: a
// handler returns one for bad input; any other error is an internal one
// that is logged and shown as a generic 500.
type httpError struct {
	status  int
	title   string
	msg     string
	details []string
	links   []web.Link
	err     error // the cause, for the log; never shown
}

func (e *httpError) Error() string {
	if e.err != nil {
		return e.msg + ": " + e.err.Error()
	}
	return e.msg
}

func (e *httpError) Unwrap() error { return e.err }

// errNotFound answers 404 with the site's not-found page.
var errNotFound = &httpError{status: http.StatusNotFound, title: "Page not found", msg: "There is no page at this address."}

// handlerFunc is a handler that reports failure instead of writing it, so
// every error goes through serveError and gets the same treatment.
type handlerFunc func(w http.ResponseWriter, r *http.Request) error

func (s *Server) html(h handlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if err := h(w, r); err != nil {
			s.serveError(w, r, err)
		}
	}
}

func (s *Server) api(h handlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if err := h(w, r); err != nil {
			s.serveJSONError(w, r, err)
		}
	}
}

// serveError maps an error to its page: not found → 404, a reader's
// mistake → its 4xx page naming what is wrong, anything else → 500, which
// is logged and shows no details.
func (s *Server) serveError(w http.ResponseWriter, r *http.Request, err error) {
	var re *redirectError
	if errors.As(err, &re) {
		http.Redirect(w, r, re.to, http.StatusMovedPermanently)
		return
	}
	var he *httpError
	if !errors.As(err, &he) {
		s.logInternal(r, err)
		s.render500(w, r)
		return
	}
	st := s.state.Load()
	if he == errNotFound {
		serveNotFound(st, w, r)
		return
	}
	body, rerr := renderBytes(r.Context(), web.ErrorPage(
		s.page(st, web.Meta{Title: he.title, Path: r.URL.Path, NoIndex: true}),
		web.ErrorView{Status: he.status, Title: he.title, Message: he.msg, Details: he.details, Links: he.links}))
	if rerr != nil {
		s.logInternal(r, rerr)
		s.render500(w, r)
		return
	}
	writeBody(w, he.status, htmlType, "no-store", body)
}

func (s *Server) serveJSONError(w http.ResponseWriter, r *http.Request, err error) {
	var re *redirectError
	if errors.As(err, &re) {
		http.Redirect(w, r, re.to, http.StatusMovedPermanently)
		return
	}
	var he *httpError
	if !errors.As(err, &he) {
		s.logInternal(r, err)
		writeJSON(w, http.StatusInternalServerError, "no-store", map[string]string{"error": "internal error; it has been logged"})
		return
	}
	msg := he.msg
	if len(he.details) > 0 {
		msg += " " + strings.Join(he.details, "; ")
	}
	writeJSON(w, he.status, "no-store", map[string]string{"error": msg})
}

func (s *Server) logInternal(r *http.Request, err error) {
	s.log.LogAttrs(r.Context(), slog.LevelError, "internal error",
		slog.String("method", r.Method),
		slog.String("path", r.URL.Path),
		slog.String("request_id", middleware.RequestIDFrom(r.Context())),
		slog.Any("error", err))
}

// serveNotFound sends the prerendered 404 page. pagecache answers only GET
// and HEAD, so for other methods (a POST to an unknown comparison) the same
// bytes are written directly: the answer is still 404, not 405.
func serveNotFound(st *state, w http.ResponseWriter, r *http.Request) {
	if r.Method == http.MethodGet || r.Method == http.MethodHead {
		st.notFound.ServeHTTP(w, r)
		return
	}
	writeBody(w, http.StatusNotFound, htmlType, "no-store", st.notFound.Body())
}

// render500 is the Recoverer's page for a panicking handler.
// It writes the bytes itself rather than through pagecache, which would
// answer a POST with 405.
func (s *Server) render500(w http.ResponseWriter, r *http.Request) {
	writeBody(w, http.StatusInternalServerError, htmlType, "no-store", s.internal)
}

func writeBody(w http.ResponseWriter, status int, ctype, cacheControl string, body []byte) {
	h := w.Header()
	h.Set("Content-Type", ctype)
	h.Set("Cache-Control", cacheControl)
	h.Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(status)
	w.Write(body)
}

func writeJSON(w http.ResponseWriter, status int, cacheControl string, v any) {
	body, err := json.Marshal(v)
	if err != nil {
		// Only our own plain structs are encoded; this cannot fail on them.
		status, body = http.StatusInternalServerError, []byte(`{"error":"internal error"}`)
	}
	body = append(body, '\n')
	writeBody(w, status, jsonType, cacheControl, body)
}
