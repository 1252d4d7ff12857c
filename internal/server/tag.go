package server

import (
	"fmt"
	"net/http"
	"strings"

	"github.com/a-h/templ"

	"github.com/versus-dev/versus/web"
)

// tag lists the comparisons that carry one tag.
func (s *Server) tag(w http.ResponseWriter, r *http.Request, st *state) error {
	// The decoded tag, which is what the catalog knows: chi matches the
	// escaped path when there is one, so its {tag} may still hold %-escapes.
	name := strings.TrimPrefix(r.URL.Path, "/tags/")
	cs := st.cat.Tagged(name)
	if len(cs) == 0 {
		return errNotFound
	}
	if s.lookup(w, r, st, kindTag, name) {
		return nil
	}
	return s.cachedHTML(w, r, st, kindTag, name, s.maxAge(), func() (templ.Component, error) {
		return web.TagPage(s.page(st, web.Meta{
			Title:       "Comparisons tagged " + name,
			Description: fmt.Sprintf("%d comparison(s) tagged %s, each with cited sources and a questionnaire.", len(cs), name),
			Path:        web.TagPath(name),
		}), name, cs), nil
	})
}
