package server

import (
	"fmt"
	"net/http"
	"strings"

	"github.com/go-chi/chi/v5"

	"github.com/versus-dev/versus/internal/server/middleware"
	"github.com/versus-dev/versus/web"
)

// maxBodyBytes is the backstop for every request body; only the
// questionnaire accepts one, under its own tighter maxFormBytes.
const maxBodyBytes = 1 << 20

// routes is the whole site. A new page kind is one file (its handler and
// view model) and one line here.
func (s *Server) routes() http.Handler {
	r := chi.NewRouter()
	r.Use(
		middleware.RequestID,
		middleware.Logger(s.log),
		s.metrics.Middleware,
		middleware.Recoverer(s.log, s.render500),
		middleware.SecurityHeaders(s.opts.HSTS),
		middleware.CanonicalPath(http.HandlerFunc(s.notFound)),
		middleware.MaxBytes(maxBodyBytes),
		s.ready,
	)
	r.NotFound(s.notFound)
	r.MethodNotAllowed(s.methodNotAllowed(r))

	get := func(pattern string, h http.HandlerFunc) {
		r.Get(pattern, h)
		r.Head(pattern, h)
	}
	get("/", s.html(s.home))
	get("/tags/{tag}", s.html(s.tag))
	get("/compare/{slug}", s.html(s.comparison))
	get("/compare/{slug}/scoring", s.html(s.scoring))
	get("/compare/{slug}/quiz", s.html(s.quizForm))
	r.Post("/compare/{slug}/quiz", s.html(s.quizSubmit))
	get("/compare/{slug}/result", s.html(s.result))
	get("/compare/{slug}/result.png", s.html(s.resultCard))
	get("/api/compare/{slug}/quiz", s.api(s.apiQuiz))
	get("/api/compare/{slug}/recommendation", s.api(s.apiRecommendation))
	get("/compare", s.html(s.pick))
	get("/categories/{category}", s.html(s.categoryPage))
	get("/categories/{category}/scoring", s.html(s.scoring))
	get("/categories/{category}/quiz", s.html(s.quizForm))
	r.Post("/categories/{category}/quiz", s.html(s.quizSubmit))
	get("/categories/{category}/result", s.html(s.result))
	get("/categories/{category}/result.png", s.html(s.resultCard))
	get("/subjects/{subject}", s.html(s.subjectPage))
	get("/sitemap.xml", s.html(s.sitemap))
	get("/sitemap-{n:[0-9]+}.xml", s.html(s.sitemapPart))
	get("/robots.txt", s.html(s.robots))
	get("/feed.xml", s.html(s.feed))
	get("/favicon.ico", s.favicon.ServeHTTP)
	get("/static/*", s.asset)
	s.mountOps(r)
	if s.live != nil {
		get(livePath, s.serveLive)
	}
	s.mux = r
	return r
}

func (s *Server) asset(w http.ResponseWriter, r *http.Request) {
	if h, ok := s.assets[r.URL.Path]; ok {
		h.ServeHTTP(w, r)
		return
	}
	s.serveNotFound(w, r, s.state.Load())
}

// notFound answers unknown URLs: JSON under /api/, the site's 404 page
// everywhere else.
func (s *Server) notFound(w http.ResponseWriter, r *http.Request) {
	if strings.HasPrefix(r.URL.Path, "/api/") {
		writeJSON(w, http.StatusNotFound, "no-store", map[string]string{"error": "no API endpoint at " + r.URL.Path})
		return
	}
	s.serveNotFound(w, r, s.state.Load())
}

// methodNotAllowed answers 405 with the Allow header RFC 9110 requires.
// chi keeps the allowed methods to itself, so they are found again by
// asking the router which methods match the path.
func (s *Server) methodNotAllowed(mux *chi.Mux) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		// chi routes on the escaped path when there is one, so a slug
		// holding "%2F" is one segment; match the same way.
		path := r.URL.Path
		if r.URL.RawPath != "" {
			path = r.URL.RawPath
		}
		var allowed []string
		for _, m := range []string{http.MethodGet, http.MethodHead, http.MethodPost} {
			if mux.Match(chi.NewRouteContext(), m, path) {
				allowed = append(allowed, m)
			}
		}
		if len(allowed) == 0 {
			// chi answers 405 for methods it has no routes for at all,
			// even on paths that do not exist: those are plain 404s.
			s.notFound(w, r)
			return
		}
		w.Header().Set("Allow", strings.Join(allowed, ", "))
		if strings.HasPrefix(r.URL.Path, "/api/") {
			writeJSON(w, http.StatusMethodNotAllowed, "no-store", map[string]string{
				"error": fmt.Sprintf("method %s not allowed: this endpoint answers %s", r.Method, strings.Join(allowed, ", ")),
			})
			return
		}
		s.serveError(w, r, s.state.Load(), &httpError{
			status: http.StatusMethodNotAllowed,
			title:  "Method not allowed",
			msg:    fmt.Sprintf("This address does not accept %s; it answers %s.", r.Method, strings.Join(allowed, ", ")),
			links:  []web.Link{{Label: "Go to the home page", Href: "/"}},
		})
	}
}
