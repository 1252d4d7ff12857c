package server

import (
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"strconv"
	"strings"

	"github.com/versus-dev/versus/internal/catalog"
	"github.com/versus-dev/versus/internal/server/middleware"
	"github.com/versus-dev/versus/internal/server/pagecache"
	"github.com/versus-dev/versus/web"
)

// httpError is an error whose message is safe to show the reader: a
// handler returns one for bad input; any other error is an internal one
// that is logged and shown as a generic 500. It is the one mapping from
// errors to answers (as golang/pkgsite's serveError and benbjohnson/wtf's
// error codes): status, the page's title, message, details and links for
// HTML, and msg (or apiMsg) for JSON.
type httpError struct {
	status  int
	title   string
	msg     string
	details []string
	links   []web.Link
	apiMsg  string // the JSON error when it differs from msg and details
	err     error  // the cause, for the log; never shown
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

// asHTTPError maps err to what the reader is told: an httpError as is, a
// file that changed since the content was loaded as 503 (a reload is on its
// way in watch mode; otherwise the operator must restart or reload), and
// nil for anything else, which is an internal error.
func asHTTPError(err error) *httpError {
	var he *httpError
	if errors.As(err, &he) {
		return he
	}
	if errors.Is(err, catalog.ErrChanged) {
		return &httpError{
			status: http.StatusServiceUnavailable,
			title:  "This page is being updated",
			msg:    "Its article changed since the site loaded its content. Try again in a moment.",
			links:  []web.Link{{Label: "Go to the home page", Href: "/"}},
			err:    err,
		}
	}
	return nil
}

// serveError maps an error to its page: a set named in another order →
// 301 to its canonical URL, not found → 404, a reader's
// mistake → its 4xx page naming what is wrong, anything else → 500, which
// is logged and shows no details.
func (s *Server) serveError(w http.ResponseWriter, r *http.Request, st *state, err error) {
	var re *redirectError
	if errors.As(err, &re) {
		http.Redirect(w, r, re.to, http.StatusMovedPermanently)
		return
	}
	he := asHTTPError(err)
	if he == nil {
		s.logInternal(r, err)
		s.render500(w, r)
		return
	}
	if he.status >= 500 {
		s.logInternal(r, err)
		w.Header().Set("Retry-After", "1")
	}
	if he == errNotFound {
		s.serveNotFound(w, r, st)
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
	he := asHTTPError(err)
	if he == nil {
		s.logInternal(r, err)
		writeJSON(w, http.StatusInternalServerError, "no-store", map[string]string{"error": "internal error; it has been logged"})
		return
	}
	if he.status >= 500 {
		s.logInternal(r, err)
	}
	msg := he.apiMsg
	if msg == "" {
		msg = he.msg
		if len(he.details) > 0 {
			msg += " " + strings.Join(he.details, "; ")
		}
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

// serveNotFound sends the 404 page, which is the same for every unknown
// URL and so is cached like any page. pagecache answers only GET and HEAD,
// so for other methods (a POST to an unknown comparison) the same bytes
// are written directly: the answer is still 404, not 405.
func (s *Server) serveNotFound(w http.ResponseWriter, r *http.Request, st *state) {
	p, err := s.cache.Page(pagecache.Key{Gen: st.gen, Kind: kindNotFound}, func() (*pagecache.Page, error) {
		body, err := renderBytes(r.Context(), web.ErrorPage(s.page(st, web.Meta{Title: "Page not found", Path: "/", NoIndex: true}), notFoundView()))
		if err != nil {
			return nil, err
		}
		return pagecache.NewDeferred(http.StatusNotFound, htmlType, body, s.maxAge()), nil
	})
	if err != nil {
		s.logInternal(r, err)
		s.render500(w, r)
		return
	}
	if r.Method == http.MethodGet || r.Method == http.MethodHead {
		p.ServeHTTP(w, r)
		return
	}
	writeBody(w, http.StatusNotFound, htmlType, "no-store", p.Body())
}

func notFoundView() web.ErrorView {
	return web.ErrorView{
		Status:  http.StatusNotFound,
		Title:   "Page not found",
		Message: "There is no page at this address. It may have moved, or the link may be mistyped.",
		Links:   []web.Link{{Label: "See all comparisons", Href: "/"}},
	}
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
