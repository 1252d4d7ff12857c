package server

import (
	"encoding/json"
	"encoding/xml"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"github.com/versus-dev/versus/content"
	"github.com/versus-dev/versus/internal/catalog"
	"github.com/versus-dev/versus/internal/compare"
	"github.com/versus-dev/versus/internal/server/middleware"
	"github.com/versus-dev/versus/static"
)

const testBase = "https://versus.test"

// newTestServer serves the test articles in testdata/content through the
// real catalog and router.
func newTestServer(t *testing.T, opts Options) *Server {
	t.Helper()
	cat, err := catalog.Load(os.DirFS("testdata/content"))
	if err != nil {
		t.Fatalf("load testdata: %v", err)
	}
	if opts.BaseURL == "" {
		opts.BaseURL = testBase
	}
	s, err := New(cat, opts)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return s
}

// check is one assertion on a parsed HTML page.
type check func(t *testing.T, doc *goquery.Document)

// count wants exactly n elements matching sel.
func count(sel string, n int) check {
	return func(t *testing.T, doc *goquery.Document) {
		t.Helper()
		if got := doc.Find(sel).Length(); got != n {
			t.Errorf("%s: %d elements, want %d", sel, got, n)
		}
	}
}

// text wants the first element matching sel to have this trimmed text.
func text(sel, want string) check {
	return func(t *testing.T, doc *goquery.Document) {
		t.Helper()
		s := doc.Find(sel)
		if s.Length() == 0 {
			t.Errorf("%s: no element", sel)
			return
		}
		if got := strings.Join(strings.Fields(s.First().Text()), " "); got != want {
			t.Errorf("%s: text %q, want %q", sel, got, want)
		}
	}
}

// texts wants the elements matching sel to have exactly these texts.
func texts(sel string, want ...string) check {
	return func(t *testing.T, doc *goquery.Document) {
		t.Helper()
		var got []string
		doc.Find(sel).Each(func(_ int, s *goquery.Selection) {
			got = append(got, strings.Join(strings.Fields(s.Text()), " "))
		})
		if strings.Join(got, "|") != strings.Join(want, "|") {
			t.Errorf("%s: texts %q, want %q", sel, got, want)
		}
	}
}

// attr wants the first element matching sel to have attribute name = want.
func attr(sel, name, want string) check {
	return func(t *testing.T, doc *goquery.Document) {
		t.Helper()
		s := doc.Find(sel)
		if s.Length() == 0 {
			t.Errorf("%s: no element", sel)
			return
		}
		got, ok := s.First().Attr(name)
		if !ok || got != want {
			t.Errorf("%s[%s] = %q (present %v), want %q", sel, name, got, ok, want)
		}
	}
}

// contains wants the text of the first element matching sel to contain want.
func contains(sel, want string) check {
	return func(t *testing.T, doc *goquery.Document) {
		t.Helper()
		s := doc.Find(sel)
		if s.Length() == 0 {
			t.Errorf("%s: no element", sel)
			return
		}
		if got := s.First().Text(); !strings.Contains(got, want) {
			t.Errorf("%s: text %q does not contain %q", sel, got, want)
		}
	}
}

// layout checks what every HTML page must have: one h1, landmarks, the
// skip link, a canonical URL unless the page is noindex (then none), and no
// inline script or style.
var layout check = func(t *testing.T, doc *goquery.Document) {
	t.Helper()
	noindex := doc.Find("meta[name=robots][content=noindex]").Length()
	for sel, n := range map[string]int{
		"h1":                        1,
		"html[lang=en]":             1,
		"main#main":                 1,
		"a.skip-link[href='#main']": 1,
		"header nav":                1,
		"footer":                    1,
		"link[rel=canonical]":       1 - noindex,
		"meta[property='og:url']":   1 - noindex,
		"[style]":                   0,
		"style":                     0,
		"script:not([src]):not([type='application/ld+json'])": 0,
	} {
		if got := doc.Find(sel).Length(); got != n {
			t.Errorf("layout: %s: %d elements, want %d", sel, got, n)
		}
	}
}

type request struct {
	name         string
	method       string
	path         string
	contentType  string
	body         string
	wantStatus   int
	wantType     string // Content-Type prefix
	wantLocation string
	wantHeader   map[string]string
	html         []check
	bodyCheck    func(t *testing.T, body []byte)
}

func (rq request) run(t *testing.T, h http.Handler) {
	t.Helper()
	method := rq.method
	if method == "" {
		method = http.MethodGet
	}
	req := httptest.NewRequest(method, rq.path, strings.NewReader(rq.body))
	if rq.contentType != "" {
		req.Header.Set("Content-Type", rq.contentType)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	res := rec.Result()
	body, _ := io.ReadAll(res.Body)
	if res.StatusCode != rq.wantStatus {
		t.Fatalf("%s %s: status %d, want %d; body:\n%.600s", method, rq.path, res.StatusCode, rq.wantStatus, body)
	}
	if ct := res.Header.Get("Content-Type"); rq.wantType != "" && !strings.HasPrefix(ct, rq.wantType) {
		t.Errorf("Content-Type %q, want %q", ct, rq.wantType)
	}
	if loc := res.Header.Get("Location"); loc != rq.wantLocation {
		t.Errorf("Location %q, want %q", loc, rq.wantLocation)
	}
	for k, v := range rq.wantHeader {
		if got := res.Header.Get(k); got != v {
			t.Errorf("header %s = %q, want %q", k, got, v)
		}
	}
	if len(rq.html) > 0 {
		doc, err := goquery.NewDocumentFromReader(strings.NewReader(string(body)))
		if err != nil {
			t.Fatalf("parse HTML: %v", err)
		}
		for _, c := range rq.html {
			c(t, doc)
		}
	}
	if rq.bodyCheck != nil {
		rq.bodyCheck(t, body)
	}
}

const ns = "/compare/north-vs-south"

func TestRoutes(t *testing.T) {
	s := newTestServer(t, Options{})
	form := "application/x-www-form-urlencoded"
	tests := []request{
		{name: "home", path: "/", wantStatus: 200, wantType: "text/html",
			wantHeader: map[string]string{"Content-Security-Policy": middleware.ContentSecurityPolicy, "Vary": "Accept-Encoding"}, html: []check{
				layout, count("[data-testid=card]", 2),
				texts("[data-testid=card] .card-title a", "Alpha vs Beta vs Gamma", "North vs South"),
				attr("[data-testid=tag-list] a[href='/tags/two-way']", "class", "tag"),
				attr("link[rel=canonical]", "href", testBase+"/"),
			}},
		{name: "comparison", path: ns, wantStatus: 200, wantType: "text/html", html: []check{
			layout,
			text("h1", "North vs South"),
			count("[data-testid=subjects] .subject", 2),
			count("table.glance caption", 1),
			texts("table.glance thead th[scope=col]", "Criterion", "North", "South", "Edge", "Sources"),
			texts("table.glance tbody th[scope=row]", "Test temperature", "Test size"),
			texts("table.glance [data-testid=edge]", "Even", "Edge: North"),
			attr("table.glance tbody tr:first-child td:nth-of-type(1)", "data-label", "North"),
			attr("table.glance tbody tr:nth-child(2) td.cites a:nth-child(2)", "href", "#source-survey"),
			texts("ol.sources > li", "Test manual Test Author, 2026-01-01", "Test survey Test Publisher Made up for the tests."),
			attr("#source-manual a", "href", "https://manual.example/"),
			count("#source-survey a", 0),
			contains("[data-testid=quick-verdict]", "Choose North if the test wants the cold one."),
			attr("[data-testid=quiz-link]", "href", ns+"/quiz"),
			text("[data-testid=corrections] h2", "Where the sources are wrong"),
			count("[data-testid=faq] details summary", 1),
			count("[data-testid=related] [data-testid=card]", 1),
			attr("meta[property='og:type']", "content", "article"),
			attr("meta[property='og:title']", "content", "North vs South"),
			attr("meta[name='twitter:card']", "content", "summary"),
			tocTargetsExist,
			jsonLDTypes("Article", "FAQPage"),
		}},
		{name: "three subjects keep author order", path: "/compare/alpha-vs-beta-vs-gamma", wantStatus: 200, html: []check{
			layout,
			texts("table.glance thead th[scope=col]", "Criterion", "Alpha", "Beta", "Gamma Thing", "Edge", "Sources"),
			texts("table.glance [data-testid=edge]", "Edge: Alpha", "Even", "No call"),
			count("[data-testid=pros-cons] .panel", 2),
		}},
		{name: "unknown comparison", path: "/compare/nope", wantStatus: 404, wantType: "text/html", html: []check{
			layout, text("h1", "Page not found"), attr("meta[name=robots]", "content", "noindex"),
		}},
		{name: "unknown page", path: "/no/such/page", wantStatus: 404, wantType: "text/html", html: []check{layout, text("h1", "Page not found")}},
		{name: "tag", path: "/tags/two-way", wantStatus: 200, html: []check{
			layout, text("h1", "Comparisons tagged “two-way”"), texts("[data-testid=card] .card-title", "North vs South"),
		}},
		{name: "post to an unknown page", method: "POST", path: "/no/such/page", contentType: "application/x-www-form-urlencoded", wantStatus: 404, html: []check{text("h1", "Page not found")}},
		{name: "unknown tag", path: "/tags/nope", wantStatus: 404, html: []check{text("h1", "Page not found")}},
		{name: "scoring", path: ns + "/scoring", wantStatus: 200, html: []check{
			layout, count("[data-testid=scoring-question]", 3),
			texts("#score-climate table tbody th[scope=row] code", "climate=cold", "climate=warm"),
			texts("#score-climate table tbody tr:first-child td.num", "3", "0"),
			attr("#score-climate table tbody tr:first-child a.cite", "href", ns+"#source-manual"),
		}},
		{name: "quiz", path: ns + "/quiz", wantStatus: 200, html: []check{
			layout,
			attr("form[data-testid=quiz-form]", "method", "post"),
			attr("form[data-testid=quiz-form]", "action", ns+"/quiz"),
			count("form fieldset", 3), count("form fieldset > legend", 3),
			allRadiosLabelled,
			attr("fieldset#q-climate", "aria-describedby", "q-climate-help"),
			attr("#q-climate-help", "class", "help"),
			count("input[type=radio]:checked", 3), // every question starts at "no preference"
			attr("button[type=submit]", "class", "button"),
		}},
		{name: "quiz prefilled ignores invalid", path: ns + "/quiz?climate=cold&size=huge&bogus=1", wantStatus: 200,
			wantHeader: map[string]string{"Cache-Control": "public, max-age=300"}, html: []check{
				attr("input[name=climate]:checked", "value", "cold"),
				attr("input[name=size]:checked", "value", ""),
				count("[data-testid=error-summary]", 0),
			}},
		{name: "quiz post valid", method: "POST", path: ns + "/quiz", contentType: form, body: "size=large&climate=cold&team=",
			wantStatus: 303, wantLocation: ns + "/result?climate=cold&size=large"},
		{name: "quiz post nothing answered", method: "POST", path: ns + "/quiz", contentType: form, body: "climate=&size=&team=",
			wantStatus: 303, wantLocation: ns + "/result"},
		{name: "quiz post invalid", method: "POST", path: ns + "/quiz", contentType: form, body: "climate=hot&size=large&colour=red",
			wantStatus: 422, wantType: "text/html", html: []check{
				layout,
				count("[data-testid=error-summary] li", 2),
				attr("[data-testid=error-summary] a", "href", "#q-climate"),
				contains("[data-testid=error-summary]", `unknown question "colour"`),
				attr("fieldset#q-climate", "aria-invalid", "true"),
				attr("fieldset#q-climate", "aria-describedby", "q-climate-help q-climate-error"),
				contains("#q-climate-error", `unknown answer "hot"`),
				count("fieldset#q-size[aria-invalid]", 0),
				attr("input[name=size]:checked", "value", "large"),
			}},
		{name: "quiz post twice answered", method: "POST", path: ns + "/quiz", contentType: form, body: "climate=cold&climate=warm",
			wantStatus: 422, html: []check{contains("#q-climate-error", "answered 2 times")}},
		{name: "quiz post wrong type", method: "POST", path: ns + "/quiz", contentType: "application/json", body: `{"climate":"cold"}`,
			wantStatus: 415, wantType: "text/html", html: []check{contains(".lede", "application/x-www-form-urlencoded")}},
		{name: "quiz post too large", method: "POST", path: ns + "/quiz", contentType: form, body: "climate=cold&pad=" + strings.Repeat("x", 70<<10),
			wantStatus: 413, html: []check{text("h1", "Too much data")}},
		{name: "quiz post unknown comparison", method: "POST", path: "/compare/nope/quiz", contentType: form, body: "climate=cold", wantStatus: 404},
		{name: "result", path: ns + "/result?size=large&climate=cold", wantStatus: 200, wantType: "text/html",
			wantHeader: map[string]string{"Cache-Control": "public, max-age=300"}, html: []check{
				layout,
				attr("[data-testid=result]", "data-winner", "north"),
				text("h1", "North fits this project (100%)"),
				texts("[data-testid=percent]", "100%", "0%"),
				count("[data-testid=reason]", 2), // one per answer
				attr("[data-testid=reason]:first-child .reason-links a", "href", ns+"#at-a-glance"),
				text("[data-testid=reason]:first-child .reason-links a", "See “At a glance”"),
				count("[data-testid=reason]:nth-child(2) a", 0), // size=large names no section and cites nothing
				attr("[data-testid=edit-answers]", "href", ns+"/quiz?climate=cold&size=large"),
				text("[data-testid=share-url]", testBase+ns+"/result?climate=cold&size=large"),
				attr("meta[property='og:image']", "content", testBase+ns+"/result.png?climate=cold&size=large"),
				attr("meta[property='og:title']", "content", "North fits this project (100%)"),
				attr("meta[name='twitter:card']", "content", "summary_large_image"),
				count("meta[name=robots]", 0), // results are indexable: Lighthouse SEO
				attr("link[rel=canonical]", "href", testBase+ns+"/result?climate=cold&size=large"),
				attr("button[data-copy]", "hidden", ""),
				text("[data-testid=flips] .flip-lead", "South would come out ahead if you changed:"),
			}},
		{name: "result in canonical order has the same canonical URL", path: ns + "/result?climate=cold&size=large", wantStatus: 200, html: []check{
			count("meta[name=robots]", 0),
			attr("link[rel=canonical]", "href", testBase+ns+"/result?climate=cold&size=large"),
			attr("meta[property='og:url']", "content", testBase+ns+"/result?climate=cold&size=large"),
		}},
		{name: "result without answers", path: ns + "/result", wantStatus: 200, html: []check{
			layout, attr("[data-testid=result]", "data-winner", ""),
			count("[data-testid=no-answers] a[href='"+ns+"/quiz']", 1),
			text("h1", "No answers yet"),
			texts("[data-testid=percent]", "–no points", "–no points"), // not 50/50: nobody has points
		}},
		{name: "result bad answers", path: ns + "/result?climate=hot&size=large&zzz=1", wantStatus: 400, wantType: "text/html", html: []check{
			layout,
			texts("[data-testid=error-details] li", `question "climate": unknown answer "hot" (want one of "cold", "warm")`, `unknown question "zzz"`),
			attr(".error-links a", "href", ns+"/quiz?size=large"),
		}},
		{name: "result malformed query", path: ns + "/result?climate=cold;size=large", wantStatus: 400, html: []check{
			contains("[data-testid=error-details] li", `separates answers with ";"`),
		}},
		{name: "result unknown comparison", path: "/compare/nope/result?climate=cold", wantStatus: 404},
		{name: "result card", path: ns + "/result.png?climate=cold", wantStatus: 200, wantType: "image/png",
			wantHeader: map[string]string{"Cache-Control": "public, max-age=300"},
			bodyCheck: func(t *testing.T, b []byte) {
				if !strings.HasPrefix(string(b), "\x89PNG\r\n\x1a\n") {
					t.Errorf("result.png does not start with the PNG signature")
				}
			}},
		{name: "result card bad answers", path: ns + "/result.png?climate=hot", wantStatus: 400},
		{name: "method not allowed on a page", method: "DELETE", path: "/", wantStatus: 405, wantType: "text/html",
			wantHeader: map[string]string{"Allow": "GET, HEAD"}, html: []check{text("h1", "Method not allowed")}},
		{name: "method not allowed on the quiz", method: "PUT", path: ns + "/quiz", wantStatus: 405,
			wantHeader: map[string]string{"Allow": "GET, HEAD, POST"}},
		{name: "unknown method on an unknown path", method: "PROPFIND", path: "/no/such/page", wantStatus: 404, html: []check{text("h1", "Page not found")}},
		{name: "method not allowed on the API", method: "PUT", path: "/api/compare/north-vs-south/recommendation", wantStatus: 405,
			wantType: "application/json", wantHeader: map[string]string{"Allow": "GET, HEAD"}, bodyCheck: jsonError("PUT")},
		{name: "head", method: "HEAD", path: ns, wantStatus: 200, wantType: "text/html"},
		{name: "api quiz", path: "/api/compare/north-vs-south/quiz", wantStatus: 200, wantType: "application/json; charset=utf-8",
			bodyCheck: func(t *testing.T, b []byte) {
				var q apiQuizBody
				if err := json.Unmarshal(b, &q); err != nil {
					t.Fatalf("decode: %v", err)
				}
				if q.Slug != "north-vs-south" || len(q.Subjects) != 2 || q.Subjects[1].Name != "South" || len(q.Questions) != 3 {
					t.Errorf("quiz JSON = %+v", q)
				}
				if o := q.Questions[0].Options[0]; o.Key != "cold" || o.Favors["north"] != 3 || o.Favors["south"] != 0 {
					t.Errorf("first option = %+v, want cold favouring north 3, south 0", o)
				}
			}},
		{name: "api recommendation", path: "/api/compare/north-vs-south/recommendation?climate=warm&team=one", wantStatus: 200,
			wantType: "application/json; charset=utf-8", wantHeader: map[string]string{"Cache-Control": "public, max-age=300"},
			bodyCheck: func(t *testing.T, b []byte) {
				var r apiRecommendationBody
				if err := json.Unmarshal(b, &r); err != nil {
					t.Fatalf("decode: %v", err)
				}
				if r.Winner != "south" || r.Scores["south"] != 100 || r.Scores["north"] != 0 || r.URL != ns+"/result?climate=warm&team=one" {
					t.Errorf("recommendation = %+v", r)
				}
				if len(r.Reasons) != 2 || r.Reasons[0].Question != "climate" || r.Reasons[0].Weight != 3 {
					t.Errorf("reasons = %+v, want climate (3) first", r.Reasons)
				}
			}},
		{name: "api bad answers", path: "/api/compare/north-vs-south/recommendation?climate=hot", wantStatus: 400, wantType: "application/json",
			bodyCheck: jsonError(`unknown answer "hot"`)},
		{name: "api unknown comparison", path: "/api/compare/nope/recommendation", wantStatus: 404, wantType: "application/json",
			bodyCheck: jsonError(`"nope"`)},
		{name: "api unknown endpoint", path: "/api/nothing", wantStatus: 404, wantType: "application/json", bodyCheck: jsonError("/api/nothing")},
		{name: "sitemap", path: "/sitemap.xml", wantStatus: 200, wantType: "application/xml", bodyCheck: checkSitemap},
		{name: "feed", path: "/feed.xml", wantStatus: 200, wantType: "application/atom+xml", bodyCheck: checkFeed},
		{name: "robots", path: "/robots.txt", wantStatus: 200, wantType: "text/plain", bodyCheck: func(t *testing.T, b []byte) {
			lines := strings.Split(string(b), "\n")
			for _, want := range []string{"User-agent: *", "Disallow: /api/", "Sitemap: " + testBase + "/sitemap.xml"} {
				found := false
				for _, l := range lines {
					found = found || l == want
				}
				if !found {
					t.Errorf("robots.txt has no line %q:\n%s", want, b)
				}
			}
		}},
		{name: "static asset", path: static.URL("site.css"), wantStatus: 200, wantType: "text/css",
			wantHeader: map[string]string{"Cache-Control": "public, max-age=31536000, immutable"}},
		{name: "static unhashed", path: "/static/site.css", wantStatus: 404},
		{name: "health", path: "/healthz", wantStatus: 200, wantType: "text/plain"},
		{name: "favicon", path: "/favicon.ico", wantStatus: 200, wantType: "image/x-icon"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { tt.run(t, s) })
	}
}

func jsonError(want string) func(t *testing.T, b []byte) {
	return func(t *testing.T, b []byte) {
		t.Helper()
		var e struct{ Error string }
		if err := json.Unmarshal(b, &e); err != nil {
			t.Fatalf("decode error JSON %q: %v", b, err)
		}
		if !strings.Contains(e.Error, want) {
			t.Errorf("error %q does not mention %q", e.Error, want)
		}
	}
}

// tocTargetsExist checks that every table-of-contents link has a target.
var tocTargetsExist check = func(t *testing.T, doc *goquery.Document) {
	t.Helper()
	links := doc.Find("[data-testid=toc] a")
	if links.Length() < 5 {
		t.Errorf("table of contents has %d links, want at least 5", links.Length())
	}
	links.Each(func(_ int, a *goquery.Selection) {
		href, _ := a.Attr("href")
		if doc.Find(href).Length() != 1 {
			t.Errorf("table of contents link %s has no single target", href)
		}
	})
}

// allRadiosLabelled checks that every radio has exactly one <label for>.
var allRadiosLabelled check = func(t *testing.T, doc *goquery.Document) {
	t.Helper()
	doc.Find("input[type=radio]").Each(func(_ int, in *goquery.Selection) {
		id, _ := in.Attr("id")
		if id == "" || doc.Find("label[for='"+id+"']").Length() != 1 {
			t.Errorf("radio %q has no label", id)
		}
	})
}

func jsonLDTypes(want ...string) check {
	return func(t *testing.T, doc *goquery.Document) {
		t.Helper()
		var got []string
		doc.Find("script[type='application/ld+json']").Each(func(_ int, s *goquery.Selection) {
			var v struct {
				Type string `json:"@type"`
			}
			if err := json.Unmarshal([]byte(s.Text()), &v); err != nil {
				t.Errorf("JSON-LD does not parse: %v", err)
			}
			got = append(got, v.Type)
		})
		if strings.Join(got, ",") != strings.Join(want, ",") {
			t.Errorf("JSON-LD types %v, want %v", got, want)
		}
	}
}

func checkSitemap(t *testing.T, b []byte) {
	t.Helper()
	var set struct {
		URLs []struct {
			Loc     string `xml:"loc"`
			LastMod string `xml:"lastmod"`
		} `xml:"url"`
	}
	if err := xml.Unmarshal(b, &set); err != nil {
		t.Fatalf("sitemap is not XML: %v", err)
	}
	got := map[string]string{}
	for _, u := range set.URLs {
		got[u.Loc] = u.LastMod
	}
	for loc, mod := range map[string]string{
		testBase + "/":                               "2026-02-03",
		testBase + ns:                                "2026-02-03",
		testBase + ns + "/quiz":                      "2026-02-03",
		testBase + ns + "/scoring":                   "2026-02-03",
		testBase + "/tags/test":                      "2026-02-03",
		testBase + "/tags/three-way":                 "2026-01-02",
		testBase + "/compare/alpha-vs-beta-vs-gamma": "2026-01-02",
	} {
		if got[loc] != mod {
			t.Errorf("sitemap %s lastmod %q, want %q", loc, got[loc], mod)
		}
	}
	if len(set.URLs) != 1+2*3+3 {
		t.Errorf("sitemap has %d URLs, want %d", len(set.URLs), 1+2*3+3)
	}
}

func checkFeed(t *testing.T, b []byte) {
	t.Helper()
	var f struct {
		XMLName xml.Name
		Updated string `xml:"updated"`
		Entries []struct {
			ID      string `xml:"id"`
			Title   string `xml:"title"`
			Updated string `xml:"updated"`
		} `xml:"entry"`
	}
	if err := xml.Unmarshal(b, &f); err != nil {
		t.Fatalf("feed is not XML: %v", err)
	}
	if f.XMLName.Space != "http://www.w3.org/2005/Atom" || f.XMLName.Local != "feed" {
		t.Errorf("root element %v, want Atom feed", f.XMLName)
	}
	if f.Updated != "2026-02-03T00:00:00Z" || len(f.Entries) != 2 || f.Entries[0].Title != "North vs South" || f.Entries[0].ID != testBase+ns {
		t.Errorf("feed = %+v", f)
	}
}

// TestInternalErrorHidesDetails: an unexpected error is a 500 that says
// nothing about its cause.
func TestInternalErrorHidesDetails(t *testing.T) {
	s := newTestServer(t, Options{})
	rec := httptest.NewRecorder()
	s.serveError(rec, httptest.NewRequest("POST", "/", nil), s.state.Load(), errors.New("database password is hunter2"))
	if rec.Code != http.StatusInternalServerError {
		t.Fatalf("status %d, want 500", rec.Code)
	}
	if strings.Contains(rec.Body.String(), "hunter2") {
		t.Errorf("500 page shows the error's details")
	}
	doc, err := goquery.NewDocumentFromReader(rec.Body)
	if err != nil {
		t.Fatal(err)
	}
	text("h1", "Something went wrong on our side")(t, doc)
}

// TestSwapAndProblems: Swap replaces every page at once, and in watch mode
// SetProblems puts a banner on catalog pages and answer pages alike.
func TestSwapAndProblems(t *testing.T) {
	s := newTestServer(t, Options{Watch: true})
	request{path: ns, wantStatus: 200, html: []check{count("[data-testid=problem-banner]", 0)}}.run(t, s)

	s.SetProblems(compare.Problems{{File: "north-vs-south.md", Line: 7, Msg: "subject key is empty"}})
	for _, p := range []string{"/", ns, ns + "/result?climate=cold", "/nope"} {
		status := 200
		if p == "/nope" {
			status = 404
		}
		request{path: p, wantStatus: status, html: []check{
			text("[data-testid=problem-banner] li", "north-vs-south.md:7: subject key is empty"),
		}}.run(t, s)
	}

	real, err := catalog.Load(content.FS)
	if err != nil {
		t.Fatalf("load content: %v", err)
	}
	if err := s.Swap(real); err != nil {
		t.Fatalf("Swap: %v", err)
	}
	request{path: ns, wantStatus: 404}.run(t, s)
	request{path: "/", wantStatus: 200, html: []check{
		count("[data-testid=card]", real.Len()),
		count("[data-testid=problem-banner]", 1), // problems outlive a swap until the next SetProblems
	}}.run(t, s)
	s.SetProblems(nil)
	request{path: "/", wantStatus: 200, html: []check{count("[data-testid=problem-banner]", 0)}}.run(t, s)
}

// TestProblemsHiddenOutsideWatch: readers never see authoring problems.
func TestProblemsHiddenOutsideWatch(t *testing.T) {
	s := newTestServer(t, Options{})
	s.SetProblems(compare.Problems{{File: "x.md", Line: 1, Msg: "broken"}})
	request{path: "/", wantStatus: 200, html: []check{count("[data-testid=problem-banner]", 0)}}.run(t, s)
}

// TestReaders walks five readers of the real Django vs Flask article
// through the form (POST → 303 → result) and the JSON API, which must agree.
func TestReaders(t *testing.T) {
	cat, err := catalog.Load(content.FS)
	if err != nil {
		t.Fatalf("load content: %v", err)
	}
	s, err := New(cat, Options{BaseURL: testBase})
	if err != nil {
		t.Fatal(err)
	}
	const dj = "/compare/django-vs-flask"
	readers := []struct {
		name, answers, want string
	}{
		{"beginner learning on a small project", "experience=beginner&size=small&kind=learning", "flask"},
		{"large secure shop on a deadline", "size=large&kind=ecommerce&deadline=tight&admin=yes&auth=yes&security=sensitive", "django"},
		{"machine-learning microservices", "kind=ml&architecture=microservices", "flask"},
		{"medium content site with an admin", "size=medium&kind=content&admin=yes", "django"},
		{"small NoSQL prototype", "size=small&data=nosql&kind=prototype", "flask"},
	}
	for _, rd := range readers {
		t.Run(rd.name, func(t *testing.T) {
			req := httptest.NewRequest("POST", dj+"/quiz", strings.NewReader(rd.answers))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			rec := httptest.NewRecorder()
			s.ServeHTTP(rec, req)
			if rec.Code != http.StatusSeeOther {
				t.Fatalf("POST: status %d, want 303", rec.Code)
			}
			loc := rec.Header().Get("Location")
			u, err := url.Parse(loc)
			if err != nil || u.Path != dj+"/result" {
				t.Fatalf("Location %q, want %s/result?…", loc, dj)
			}
			request{path: loc, wantStatus: 200, html: []check{
				attr("[data-testid=result]", "data-winner", rd.want),
			}}.run(t, s)

			request{path: "/api" + dj + "/recommendation?" + rd.answers, wantStatus: 200, bodyCheck: func(t *testing.T, b []byte) {
				var r apiRecommendationBody
				if err := json.Unmarshal(b, &r); err != nil {
					t.Fatal(err)
				}
				if r.Winner != rd.want || r.URL != loc {
					t.Errorf("API winner %q url %q, want %q and %q", r.Winner, r.URL, rd.want, loc)
				}
			}}.run(t, s)
		})
	}
}
