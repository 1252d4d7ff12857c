package server

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"time"

	"github.com/go-chi/chi/v5"

	"github.com/versus-dev/versus/internal/catalog"
	"github.com/versus-dev/versus/internal/compare"
	"github.com/versus-dev/versus/web"
)

// sitemapLimit is the most URLs one sitemap file may list (the sitemaps
// protocol's limit, sitemaps.org/protocol.html); past it, /sitemap.xml is
// a sitemap index of files /sitemap-N.xml of at most that many each.
const sitemapLimit = 50_000

type sitemapURLSet struct {
	XMLName xml.Name     `xml:"urlset"`
	XMLNS   string       `xml:"xmlns,attr"`
	URLs    []sitemapURL `xml:"url"`
}

type sitemapURL struct {
	Loc     string `xml:"loc"`
	LastMod string `xml:"lastmod,omitempty"`
}

type sitemapIndex struct {
	XMLName  xml.Name     `xml:"sitemapindex"`
	XMLNS    string       `xml:"xmlns,attr"`
	Sitemaps []sitemapURL `xml:"sitemap"`
}

const sitemapNS = "http://www.sitemaps.org/schemas/sitemap/0.9"

// sitemapURLs lists every indexable page, in a fixed order. Result pages
// are left out: each is one reader's answers, and there are as many as
// there are answer sets.
func sitemapURLs(base string, cat *catalog.Catalog) []sitemapURL {
	urls := make([]sitemapURL, 0, 1+3*cat.Len()+len(cat.Tags()))
	urls = append(urls, sitemapURL{Loc: base + "/", LastMod: latest(cat.All())})
	for _, c := range cat.All() {
		mod := web.ISODate(c.Reviewed)
		urls = append(urls,
			sitemapURL{Loc: base + web.ComparePath(c), LastMod: mod},
			sitemapURL{Loc: base + web.QuizPath(c, ""), LastMod: mod},
			sitemapURL{Loc: base + web.ScoringPath(c), LastMod: mod},
		)
	}
	for _, t := range cat.Tags() {
		urls = append(urls, sitemapURL{Loc: base + web.TagPath(t.Name), LastMod: latest(cat.Tagged(t.Name))})
	}
	// Categories, subjects, and every pair of a category's subjects that has
	// no hand-written article (those are listed above). Composed sets of
	// three and four are left out: they are reachable from the picker, but
	// listing them would flood the sitemap with pages that repeat the
	// pairs' facts (20 subjects make 190 pairs but 5,985 larger sets).
	for _, g := range cat.Categories() {
		urls = append(urls, sitemapURL{Loc: base + web.CategoryPath(g.Category.Key), LastMod: web.ISODate(g.Category.Reviewed)})
		for i, a := range g.Subjects {
			urls = append(urls, sitemapURL{Loc: base + web.SubjectPath(a.Subject.Key), LastMod: web.ISODate(a.Reviewed)})
			for _, b := range g.Subjects[i+1:] {
				slug := compare.SetSlug([]string{a.Subject.Key, b.Subject.Key})
				if _, written := g.Article(slug); written {
					continue
				}
				urls = append(urls, sitemapURL{Loc: base + "/compare/" + slug, LastMod: web.ISODate(older(a.Reviewed, b.Reviewed))})
			}
		}
	}
	return urls
}

func older(a, b time.Time) time.Time {
	if b.Before(a) {
		return b
	}
	return a
}

// sitemapParts is how many sitemap files the catalog needs, 1 when one
// /sitemap.xml lists every URL.
func (s *Server) sitemapParts(cat *catalog.Catalog) int {
	n := 1 + 3*cat.Len() + len(cat.Tags())
	return max(1, (n+s.sitemapMax-1)/s.sitemapMax)
}

// sitemap is /sitemap.xml: every URL, or past sitemapMax of them, the
// index of the sitemap files.
func (s *Server) sitemap(w http.ResponseWriter, r *http.Request, st *state) error {
	if s.lookup(w, r, st, kindSitemap, "index") {
		return nil
	}
	return s.cached(w, r, st, kindSitemap, "index", xmlType, s.maxAge(), func() ([]byte, error) {
		parts := s.sitemapParts(st.cat)
		if parts == 1 {
			return marshalXML(sitemapURLSet{XMLNS: sitemapNS, URLs: sitemapURLs(s.opts.BaseURL, st.cat)}), nil
		}
		idx := sitemapIndex{XMLNS: sitemapNS}
		mod := latest(st.cat.All())
		for i := 1; i <= parts; i++ {
			idx.Sitemaps = append(idx.Sitemaps, sitemapURL{Loc: s.opts.BaseURL + "/sitemap-" + strconv.Itoa(i) + ".xml", LastMod: mod})
		}
		return marshalXML(idx), nil
	})
}

// sitemapPart is /sitemap-N.xml, the Nth file of at most sitemapMax URLs,
// when the sitemap needs more than one.
func (s *Server) sitemapPart(w http.ResponseWriter, r *http.Request, st *state) error {
	n, err := strconv.Atoi(chi.URLParam(r, "n"))
	parts := s.sitemapParts(st.cat)
	if err != nil || n < 1 || n > parts || parts == 1 || chi.URLParam(r, "n") != strconv.Itoa(n) {
		return errNotFound
	}
	return s.cached(w, r, st, kindSitemap, strconv.Itoa(n), xmlType, s.maxAge(), func() ([]byte, error) {
		urls := sitemapURLs(s.opts.BaseURL, st.cat)
		lo := (n - 1) * s.sitemapMax
		hi := min(len(urls), lo+s.sitemapMax)
		return marshalXML(sitemapURLSet{XMLNS: sitemapNS, URLs: urls[lo:hi]}), nil
	})
}

// feed is the Atom feed of the comparisons.
func (s *Server) feed(w http.ResponseWriter, r *http.Request, st *state) error {
	if s.lookup(w, r, st, kindFeed, "/feed.xml") {
		return nil
	}
	return s.cached(w, r, st, kindFeed, "/feed.xml", "application/atom+xml; charset=utf-8", s.maxAge(), func() ([]byte, error) {
		return atomFeed(s.opts.BaseURL, st.cat)
	})
}

// robots is /robots.txt.
func (s *Server) robots(w http.ResponseWriter, r *http.Request, st *state) error {
	if s.lookup(w, r, st, kindRobots, "/robots.txt") {
		return nil
	}
	return s.cached(w, r, st, kindRobots, "/robots.txt", "text/plain; charset=utf-8", s.maxAge(), func() ([]byte, error) {
		return robots(s.opts.BaseURL), nil
	})
}

// latest is the newest reviewed date among cs, the day their listing last
// changed in substance.
func latest(cs []*compare.Comparison) string {
	var t time.Time
	for _, c := range cs {
		if c.Reviewed.After(t) {
			t = c.Reviewed
		}
	}
	if t.IsZero() {
		return ""
	}
	return web.ISODate(t)
}

func byReviewed(cat *catalog.Catalog) []*compare.Comparison {
	cs := slices.Clone(cat.All())
	slices.SortStableFunc(cs, func(a, b *compare.Comparison) int { return b.Reviewed.Compare(a.Reviewed) })
	return cs
}

type atomFeedDoc struct {
	XMLName xml.Name    `xml:"feed"`
	XMLNS   string      `xml:"xmlns,attr"`
	ID      string      `xml:"id"`
	Title   string      `xml:"title"`
	Updated string      `xml:"updated"`
	Links   []atomLink  `xml:"link"`
	Author  atomAuthor  `xml:"author"`
	Entries []atomEntry `xml:"entry"`
}

type atomLink struct {
	Href string `xml:"href,attr"`
	Rel  string `xml:"rel,attr,omitempty"`
	Type string `xml:"type,attr,omitempty"`
}

type atomAuthor struct {
	Name string `xml:"name"`
}

type atomEntry struct {
	ID      string   `xml:"id"`
	Title   string   `xml:"title"`
	Updated string   `xml:"updated"`
	Link    atomLink `xml:"link"`
	Summary string   `xml:"summary"`
}

// atomFeed lists the comparisons, most recently reviewed first, so feed
// readers learn when an article's facts were checked again.
func atomFeed(base string, cat *catalog.Catalog) ([]byte, error) {
	f := atomFeedDoc{
		XMLNS:  "http://www.w3.org/2005/Atom",
		ID:     base + "/",
		Title:  web.SiteName + ": technology comparisons with sources",
		Links:  []atomLink{{Href: base + "/feed.xml", Rel: "self", Type: "application/atom+xml"}, {Href: base + "/"}},
		Author: atomAuthor{Name: web.SiteName},
	}
	var newest time.Time
	for _, c := range byReviewed(cat) {
		if c.Reviewed.After(newest) {
			newest = c.Reviewed
		}
		f.Entries = append(f.Entries, atomEntry{
			ID:      base + web.ComparePath(c),
			Title:   c.Title,
			Updated: c.Reviewed.UTC().Format(time.RFC3339),
			Link:    atomLink{Href: base + web.ComparePath(c)},
			Summary: c.Description,
		})
	}
	if newest.IsZero() {
		return nil, fmt.Errorf("render feed: no comparison has a reviewed date")
	}
	f.Updated = newest.UTC().Format(time.RFC3339)
	return marshalXML(f), nil
}

func marshalXML(v any) []byte {
	var buf bytes.Buffer
	buf.WriteString(xml.Header)
	enc := xml.NewEncoder(&buf)
	enc.Indent("", "  ")
	if err := enc.Encode(v); err != nil {
		// Only the fixed structs above are encoded, and they always can be.
		panic(fmt.Sprintf("server: encode XML: %v", err))
	}
	buf.WriteByte('\n')
	return buf.Bytes()
}

// robots allows everything except the JSON API, which is for programs.
// Result pages are not disallowed: link-preview crawlers (Twitterbot and
// others) honour robots.txt, and a disallowed result would lose its share
// card. They stay out of the sitemap, and each names as canonical its
// answers in quiz order, so reorderings of one link count as one page.
func robots(base string) []byte {
	return []byte("User-agent: *\nAllow: /\nDisallow: /api/\n\nSitemap: " + base + "/sitemap.xml\n")
}
