package e2e

import (
	"fmt"
	"io/fs"
	"net/http/httptest"
	"os"
	"strings"

	"github.com/versus-dev/versus/content"
	"github.com/versus-dev/versus/internal/catalog"
	"github.com/versus-dev/versus/internal/server"
)

// Site is the real router serving the embedded articles on a loopback port:
// what the tests, screenshots and Lighthouse look at.
type Site struct {
	URL  string // "http://127.0.0.1:PORT", no trailing slash
	Slug string // the first comparison's slug
	Tag  string // the first tag of that comparison
	// The first category, its first subject, and the first set of three
	// of its subjects that has no hand-written article (composed on demand).
	Category, Subject string
	Generated         []string
	srv               *httptest.Server
}

// Start loads content.FS through the catalog and serves server.New on a
// free loopback port. Close it when done.
func Start() (*Site, error) { return StartFS(content.FS) }

// StartFS is Start over any content folder, such as a test fixture.
func StartFS(fsys fs.FS) (*Site, error) {
	cat, err := catalog.Load(fsys)
	if err != nil {
		return nil, fmt.Errorf("load content: %w", err)
	}
	if cat.Len() == 0 {
		return nil, fmt.Errorf("load content: no published comparison")
	}
	first := cat.All()[0]
	if len(first.Tags) == 0 {
		return nil, fmt.Errorf("%s: no tags, so there is no tag page to check", first.File)
	}
	// The listener comes first so that canonical and share links name the
	// address the browser actually uses.
	srv := httptest.NewUnstartedServer(nil)
	h, err := server.New(cat, server.Options{BaseURL: "http://" + srv.Listener.Addr().String()})
	if err != nil {
		srv.Close()
		return nil, fmt.Errorf("build router: %w", err)
	}
	srv.Config.Handler = h
	srv.Start()
	site := &Site{URL: srv.URL, Slug: first.Slug, Tag: first.Tags[0], srv: srv}
	if cats := cat.Categories(); len(cats) > 0 && len(cats[0].Subjects) >= 3 {
		g := cats[0]
		site.Category, site.Subject = g.Category.Key, g.Subjects[0].Subject.Key
		keys := make([]string, len(g.Subjects))
		for i, sf := range g.Subjects {
			keys[i] = sf.Subject.Key
		}
	find:
		for i := range keys {
			for j := i + 1; j < len(keys); j++ {
				for k := j + 1; k < len(keys); k++ {
					set := []string{keys[i], keys[j], keys[k]}
					if _, ok := g.Article(strings.Join(set, "-vs-")); !ok {
						site.Generated = set
						break find
					}
				}
			}
		}
	}
	if site.Generated == nil {
		srv.Close()
		return nil, fmt.Errorf("load content: no category with three subjects to compose")
	}
	return site, nil
}

// GeneratedSlug is the /compare/{set} of the composed three-way comparison.
func (s *Site) GeneratedSlug() string { return strings.Join(s.Generated, "-vs-") }

// Pages lists every page type of this site.
func (s *Site) Pages() []Page {
	return append(Pages(s.Slug, s.Tag), CatalogPages(s.Category, s.Subject, s.GeneratedSlug())...)
}

// Close stops the server.
func (s *Site) Close() { s.srv.Close() }

// OutputDir returns dir, created if missing, or a new folder under the OS
// temporary directory named prefix… when dir is "": where the screenshot
// and Lighthouse commands write what they produce.
func OutputDir(dir, prefix string) (string, error) {
	if dir == "" {
		return os.MkdirTemp("", prefix)
	}
	return dir, os.MkdirAll(dir, 0o755)
}
