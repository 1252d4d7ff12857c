package server

import (
	"net/http"
	"sync/atomic"

	"github.com/go-chi/chi/v5"
)

// prerenderedPatterns are the routes whose handler is s.prerendered, in
// routes(): a GET or HEAD that chi would send to one of them is answered
// by the page map, whatever else chi would do on the way.
var prerenderedPatterns = map[string]bool{
	"/": true, "/compare/{slug}": true, "/compare/{slug}/scoring": true, "/tags/{tag}": true,
	"/sitemap.xml": true, "/robots.txt": true, "/feed.xml": true,
}

// fastTable maps the path of every prerendered page of one state to the
// route pattern chi gives it. It is built once per state, on the first
// request that sees the state.
type fastTable struct {
	st     *state
	routes map[string]string
}

// fastPrerendered is the last middleware before chi's tree walk: a GET or
// HEAD for a prerendered page is served from the page map at once, with
// the route pattern recorded where the log and the metrics read it. That
// skips the walk and chi's copying of the path values into the request
// (two allocations), which together cost more than serving the page.
//
// Routing stays the same: a path is in the table only when chi itself
// routes it to a prerendered pattern, and only requests chi would route
// by that same string take the shortcut (no escaped path, whose RawPath
// chi routes on instead). Everything else, 404s, 405s, trailing slashes,
// goes on to chi.
func (s *Server) fastPrerendered(mux *chi.Mux) func(http.Handler) http.Handler {
	var table atomic.Pointer[fastTable]
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if (r.Method != http.MethodGet && r.Method != http.MethodHead) || r.URL.RawPath != "" {
				next.ServeHTTP(w, r)
				return
			}
			st := s.state.Load()
			t := table.Load()
			if t == nil || t.st != st {
				t = newFastTable(mux, st)
				table.Store(t)
			}
			pattern, ok := t.routes[r.URL.Path]
			rctx := chi.RouteContext(r.Context())
			if !ok || rctx == nil {
				next.ServeHTTP(w, r)
				return
			}
			rctx.RoutePatterns = append(rctx.RoutePatterns, pattern)
			st.pages[r.URL.Path].ServeHTTP(w, r)
		})
	}
}

// newFastTable asks chi where each page's path leads and keeps those that
// lead to a prerendered route.
func newFastTable(mux *chi.Mux, st *state) *fastTable {
	t := &fastTable{st: st, routes: make(map[string]string, len(st.pages))}
	rctx := chi.NewRouteContext()
	for path := range st.pages {
		rctx.Reset()
		if p := mux.Find(rctx, http.MethodGet, path); prerenderedPatterns[p] {
			t.routes[path] = p
		}
	}
	return t
}
