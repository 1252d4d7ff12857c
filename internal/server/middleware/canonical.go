package middleware

import (
	"net/http"
	"net/url"
	"strings"
	"unicode/utf8"

	"github.com/go-chi/chi/v5"
)

// CanonicalRedirectRoute is the route label (in the log and the metrics)
// of a redirect to a path's canonical form: the request was answered by
// that redirect, not by the page it leads to.
const CanonicalRedirectRoute = "(canonical path redirect)"

// CanonicalPath gives every path one form: the one the site writes, with
// only the bytes that must be percent-encoded encoded (url.URL.EscapedPath
// of the decoded path). Without it, chi routes on the escaped path while
// the page lookups use the decoded one, so /compare/django-vs-flask%2Fquiz
// served the questionnaire under the route /compare/{slug}, and
// /compare/%64jango-vs-flask the comparison.
//
// A request in another form (net/http sets URL.RawPath exactly then) is
// answered by notFound when decoding would change what the path means or
// could only be an attack: an encoded slash (it would split a segment), a
// dot segment, a backslash, a control character, invalid UTF-8, or a
// leading "//" (a redirect there would leave the site). Any other is
// redirected to the canonical form, query kept: 301 for GET and HEAD, 308
// (method and body kept) for the rest. Either way the route is labelled
// truthfully: "notfound", or CanonicalRedirectRoute.
//
// Put it before anything that routes or looks up pages by path.
func CanonicalPath(notFound http.Handler) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			raw := r.URL.RawPath
			if raw == "" {
				next.ServeHTTP(w, r)
				return
			}
			target := (&url.URL{Path: r.URL.Path}).EscapedPath()
			if raw == target { // set by hand; net/http never does
				next.ServeHTTP(w, r)
				return
			}
			if !redirectable(raw, r.URL.Path) {
				notFound.ServeHTTP(w, r)
				return
			}
			if r.URL.RawQuery != "" {
				target += "?" + r.URL.RawQuery
			}
			if rctx := chi.RouteContext(r.Context()); rctx != nil {
				rctx.RoutePatterns = append(rctx.RoutePatterns, CanonicalRedirectRoute)
			}
			status := http.StatusPermanentRedirect
			if r.Method == http.MethodGet || r.Method == http.MethodHead {
				status = http.StatusMovedPermanently
			}
			w.Header().Set("Location", target)
			w.Header().Set("Cache-Control", "public, max-age=86400")
			w.WriteHeader(status)
		})
	}
}

// redirectable says whether path (decoded from raw) means the same thing
// as raw and is safe to send a browser to.
func redirectable(raw, path string) bool {
	if strings.Contains(raw, "%2F") || strings.Contains(raw, "%2f") {
		return false
	}
	if strings.HasPrefix(path, "//") || !strings.HasPrefix(path, "/") || !utf8.ValidString(path) || strings.ContainsRune(path, '\\') {
		return false
	}
	for i := 0; i < len(path); i++ {
		if c := path[i]; c < 0x20 || c == 0x7f {
			return false
		}
	}
	for seg := range strings.SplitSeq(path[1:], "/") {
		if seg == "." || seg == ".." {
			return false
		}
	}
	return true
}
