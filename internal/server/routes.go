package server

import (
	"context"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strconv"
	"strings"

	"github.com/go-chi/chi/v5"

	"github.com/versus-dev/versus/internal/compare"
	"github.com/versus-dev/versus/internal/recommend"
	"github.com/versus-dev/versus/internal/server/middleware"
	"github.com/versus-dev/versus/web"
)

// maxBodyBytes is the backstop for every request body; only the
// questionnaire accepts one, under its own tighter maxFormBytes.
const maxBodyBytes = 1 << 20

// maxFormBytes bounds a questionnaire POST: a full set of answers is well
// under 1 KiB, so anything near this is not a reader.
const maxFormBytes = 64 << 10

// routes is the whole site: the request id wraps the router rather than
// sitting in its middleware stack, so chi can take its routing context from
// the id's pooled allocation instead of copying the request again.
func (s *Server) routes() http.Handler {
	s.mux = s.router()
	return middleware.RequestID(s.mux)
}

func (s *Server) router() *chi.Mux {
	r := chi.NewRouter()
	r.Use(
		middleware.Logger(s.log),
		s.metrics.Middleware,
		middleware.Recoverer(s.log, s.render500),
		middleware.SecurityHeaders(s.opts.HSTS),
		middleware.CanonicalPath(http.HandlerFunc(s.notFound)),
		middleware.MaxBytes(maxBodyBytes),
		s.fastPrerendered(r),
	)
	r.NotFound(s.notFound)
	r.MethodNotAllowed(s.methodNotAllowed(r))

	get := func(pattern string, h http.HandlerFunc) {
		r.Get(pattern, h)
		r.Head(pattern, h)
	}
	get("/", s.prerendered)
	get("/compare/{slug}", s.prerendered)
	get("/compare/{slug}/scoring", s.prerendered)
	get("/compare/{slug}/quiz", s.html(s.quizForm))
	r.Post("/compare/{slug}/quiz", s.html(s.quizSubmit))
	get("/compare/{slug}/result", s.html(s.result))
	get("/compare/{slug}/result.png", s.html(s.resultCard))
	get("/api/compare/{slug}/quiz", s.api(s.apiQuiz))
	get("/api/compare/{slug}/recommendation", s.api(s.apiRecommendation))
	get("/compare", s.html(s.pick))
	get("/categories/{category}", s.html(s.categoryPage))
	get("/categories/{category}/scoring", s.prerendered)
	get("/categories/{category}/quiz", s.html(s.quizForm))
	r.Post("/categories/{category}/quiz", s.html(s.quizSubmit))
	get("/categories/{category}/result", s.html(s.result))
	get("/categories/{category}/result.png", s.html(s.resultCard))
	get("/subjects/{subject}", s.html(s.subjectPage))
	get("/tags/{tag}", s.prerendered)
	get("/sitemap.xml", s.prerendered)
	get("/robots.txt", s.prerendered)
	get("/feed.xml", s.prerendered)
	get("/favicon.ico", s.favicon.ServeHTTP)
	get("/static/*", s.asset)
	s.mountOps(r)
	return r
}

// prerendered serves a page rendered when the catalog was loaded: the
// routing already checked the shape of the path, the map says whether the
// slug or tag exists.
func (s *Server) prerendered(w http.ResponseWriter, r *http.Request) {
	st := s.state.Load()
	if p, ok := st.pages[r.URL.Path]; ok {
		p.ServeHTTP(w, r)
		return
	}
	if chi.URLParam(r, "slug") != "" || chi.URLParam(r, "category") != "" {
		// Not prerendered: a set of a category's subjects, rendered on
		// demand, or a set named in another order or naming nothing.
		h := s.html(s.onDemand)
		if strings.HasPrefix(r.URL.Path, "/api/") {
			h = s.api(s.onDemand)
		}
		h(w, r)
		return
	}
	serveNotFound(st, w, r)
}

func (s *Server) asset(w http.ResponseWriter, r *http.Request) {
	if h, ok := s.assets[r.URL.Path]; ok {
		h.ServeHTTP(w, r)
		return
	}
	serveNotFound(s.state.Load(), w, r)
}

// notFound answers unknown URLs: JSON under /api/, the site's 404 page
// everywhere else.
func (s *Server) notFound(w http.ResponseWriter, r *http.Request) {
	if strings.HasPrefix(r.URL.Path, "/api/") {
		writeJSON(w, http.StatusNotFound, "no-store", map[string]string{"error": "no API endpoint at " + r.URL.Path})
		return
	}
	serveNotFound(s.state.Load(), w, r)
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
		s.serveError(w, r, &httpError{
			status: http.StatusMethodNotAllowed,
			title:  "Method not allowed",
			msg:    fmt.Sprintf("This address does not accept %s; it answers %s.", r.Method, strings.Join(allowed, ", ")),
			links:  []web.Link{{Label: "Go to the home page", Href: "/"}},
		})
	}
}

// comparison finds the comparison named in the URL, or errNotFound.
func (s *Server) comparison(r *http.Request) (*state, *compare.Comparison, error) {
	return s.lookupComparison(r)
}

// formAnswers reads a questionnaire's answers: the "no preference" a form
// sends for a skipped question (an empty value) is neutral, not an error.
var formAnswers = recommend.QueryOptions{DropEmpty: true}

// quizForm shows the questionnaire. Without a query it is the prerendered
// page; with one it is prefilled with the valid answers, and invalid ones
// are dropped rather than refused, since the reader is about to edit them.
func (s *Server) quizForm(w http.ResponseWriter, r *http.Request) error {
	st, c, err := s.comparison(r)
	if err != nil {
		return err
	}
	if r.URL.RawQuery == "" {
		s.prerendered(w, r)
		return nil
	}
	prefill := formAnswers
	prefill.SkipMalformed = true
	a, err := recommend.ParseQuery(&c.Quiz, r.URL.RawQuery, prefill)
	if err != nil {
		var ae *recommend.AnswerError
		if !errors.As(err, &ae) {
			return fmt.Errorf("parse prefilled answers: %w", err)
		}
		a = ae.ValidAnswers
	}
	body, err := renderBytes(r.Context(), web.QuizPage(s.page(st, quizMeta(c)), web.QuizForm{C: c, Answers: a}))
	if err != nil {
		return fmt.Errorf("render quiz %s: %w", c.Slug, err)
	}
	writeBody(w, http.StatusOK, htmlType, resultCacheControl, body)
	return nil
}

// quizSubmit checks the answers: on success it redirects (303) to the
// shareable result URL; on errors it shows the form again with the valid
// answers kept and each problem beside its question (422).
func (s *Server) quizSubmit(w http.ResponseWriter, r *http.Request) error {
	st, c, err := s.comparison(r)
	if err != nil {
		return err
	}
	ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if ct != "application/x-www-form-urlencoded" {
		return &httpError{
			status: http.StatusUnsupportedMediaType, title: "Unsupported form encoding",
			msg:   fmt.Sprintf("The questionnaire accepts application/x-www-form-urlencoded, not %q.", r.Header.Get("Content-Type")),
			links: []web.Link{{Label: "Back to the questionnaire", Href: web.QuizPath(c, "")}},
		}
	}
	back := []web.Link{{Label: "Back to the questionnaire", Href: web.QuizPath(c, "")}}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxFormBytes))
	if err != nil {
		if middleware.IsTooLarge(err) {
			return &httpError{
				status: http.StatusRequestEntityTooLarge, title: "Too much data",
				msg:   fmt.Sprintf("The answers sent were larger than %d KiB; a questionnaire needs far less.", maxFormBytes>>10),
				links: back,
			}
		}
		// The cause is the network's (a timeout, a reset): it goes to the
		// log, never on the page, where it would show internal addresses.
		return &httpError{
			status: http.StatusBadRequest, title: "Unreadable form",
			msg:   "The answers did not arrive in full: the connection was too slow or was cut while sending them. Please send the form again.",
			links: back, err: err,
		}
	}
	a, err := recommend.ParseQuery(&c.Quiz, string(body), formAnswers)
	if err == nil {
		http.Redirect(w, r, web.ResultPath(c, recommend.Encode(&c.Quiz, a)), http.StatusSeeOther)
		return nil
	}
	if me := (*recommend.MalformedError)(nil); errors.As(err, &me) {
		return &httpError{
			status: http.StatusBadRequest, title: "Unreadable form",
			msg:     "The answers are not encoded as a web form encodes them, so they cannot be read. Please send them from the questionnaire.",
			details: []string{"The " + me.Error() + "."},
			links:   back, err: err,
		}
	}
	var ae *recommend.AnswerError
	if !errors.As(err, &ae) {
		return fmt.Errorf("parse answers: %w", err)
	}
	f := web.QuizForm{C: c, Answers: ae.ValidAnswers, Errors: map[string]string{}}
	for _, p := range ae.Problems {
		if _, ok := c.Quiz.Question(p.Key); ok {
			f.Errors[p.Key] = p.Detail // shown beside, or after, its question
		} else {
			f.Other = append(f.Other, p.Msg)
		}
	}
	if ae.Omitted > 0 {
		f.Other = append(f.Other, fmt.Sprintf("and %d more problems", ae.Omitted))
	}
	m := quizMeta(c)
	m.Title = "Check your answers: " + m.Title
	body, err = renderBytes(r.Context(), web.QuizPage(s.page(st, m), f))
	if err != nil {
		return fmt.Errorf("render quiz errors %s: %w", c.Slug, err)
	}
	writeBody(w, http.StatusUnprocessableEntity, htmlType, "no-store", body)
	return nil
}

// queryAnswers decodes a result or API query strictly: url.Query silently
// drops malformed pairs (bad %-escapes, ";" separators), which would show
// a reader a result for answers other than the ones in their link. A
// malformed query is an *httpError; answers that do not fit the quiz are a
// *recommend.AnswerError.
func queryAnswers(c *compare.Comparison, r *http.Request) (recommend.Answers, error) {
	a, err := recommend.ParseQuery(&c.Quiz, r.URL.RawQuery, recommend.QueryOptions{})
	if me := (*recommend.MalformedError)(nil); errors.As(err, &me) {
		return nil, &httpError{
			status:  http.StatusBadRequest,
			title:   "This link's answers cannot be read",
			msg:     "The link's query string is malformed, so its answers cannot be trusted.",
			details: []string{"The " + me.Error() + "."},
			links:   []web.Link{{Label: "Take the questionnaire", Href: web.QuizPath(c, "")}},
			err:     err,
		}
	}
	return a, err
}

// parseAnswers reads answers from the URL, or explains what is wrong with
// them and where to go to fix it.
func parseAnswers(c *compare.Comparison, r *http.Request) (recommend.Answers, error) {
	a, err := queryAnswers(c, r)
	if err == nil {
		return a, nil
	}
	if he := (*httpError)(nil); errors.As(err, &he) {
		return nil, err
	}
	var ae *recommend.AnswerError
	if !errors.As(err, &ae) {
		return nil, fmt.Errorf("parse answers: %w", err)
	}
	he := &httpError{
		status: http.StatusBadRequest,
		title:  "These answers do not fit the questionnaire",
		msg:    "The link has answers the questionnaire does not know. Your other answers are kept if you go back to it.",
		links: []web.Link{
			{Label: "Back to the questionnaire with your valid answers", Href: web.QuizPath(c, recommend.Encode(&c.Quiz, ae.ValidAnswers))},
			{Label: "Read the comparison", Href: web.ComparePath(c)},
		},
		err: err,
	}
	for _, p := range ae.Problems {
		he.details = append(he.details, p.Msg)
	}
	if ae.Omitted > 0 {
		he.details = append(he.details, "and "+strconv.Itoa(ae.Omitted)+" more")
	}
	return nil, he
}

// result is the shareable recommendation for the answers in the URL. The
// page depends only on the state and the canonical answers, so it is
// rendered once per state and answer set and then served from the result
// cache like a prerendered page (ETag, 304, HEAD, compressed variants). A
// link with the answers in canonical order, which is every link the site
// makes, is found before its query is even parsed.
func (s *Server) result(w http.ResponseWriter, r *http.Request) error {
	st, c, err := s.comparison(r)
	if err != nil {
		return err
	}
	if p := st.results.get(c, resultHTML, r.URL.RawQuery); p != nil {
		p.ServeHTTP(w, r)
		return nil
	}
	a, err := parseAnswers(c, r)
	if err != nil {
		return err
	}
	q := recommend.Encode(&c.Quiz, a)
	p := st.results.get(c, resultHTML, q)
	if p == nil {
		body, err := s.renderResult(r.Context(), st, c, a, q)
		if err != nil {
			return err
		}
		p = st.results.put(c, resultHTML, q, newResultPage(htmlType, body))
	}
	p.ServeHTTP(w, r)
	return nil
}

// renderResult renders the result page for answers a, whose canonical
// query is q.
func (s *Server) renderResult(ctx context.Context, st *state, c *compare.Comparison, a recommend.Answers, q string) ([]byte, error) {
	v := web.ResultView{
		C:        c,
		Result:   st.results.scorer(c).Recommend(a),
		Query:    q,
		ShareURL: s.opts.BaseURL + web.ResultPath(c, q),
	}
	m := web.Meta{
		Title:       v.Headline(),
		Description: fmt.Sprintf("A recommendation between %s from %d answers, with the reasons and sources behind it.", c.Title, v.Result.Answered),
		// The canonical link uses the encoded answers, so any order or
		// repetition of the same answers is indexed as one page.
		Path:  web.ResultPath(c, q),
		Image: s.opts.BaseURL + web.ResultImagePath(c, q),
	}
	body, err := renderBytes(ctx, web.ResultPage(s.page(st, m), v))
	if err != nil {
		return nil, fmt.Errorf("render result %s: %w", c.Slug, err)
	}
	return body, nil
}
