package server

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"github.com/versus-dev/versus/internal/catalog"
)

// newCategoryServer serves the catalog's fixture categories (four drinks,
// two fruits) through the real catalog and router.
func newCategoryServer(t *testing.T) *Server {
	t.Helper()
	cat, err := catalog.Load(os.DirFS("../catalog/testdata/category"))
	if err != nil {
		t.Fatalf("load fixture categories: %v", err)
	}
	s, err := New(cat, Options{BaseURL: testBase})
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return s
}

// TestCategoryRoutes walks the pages of the any-combination model: the
// category with its matrix and picker, a subject, every 2-4 set in any
// order, and the sets that name nothing.
func TestCategoryRoutes(t *testing.T) {
	s := newCategoryServer(t)
	four := "/compare/cocoa-vs-coffee-vs-mate-vs-tea"
	for _, rq := range []request{
		{name: "category", path: "/categories/drinks", wantStatus: 200, wantType: "text/html", html: []check{
			layout,
			text("h1", "Hot drinks"),
			count("[data-testid=picker] input[type=checkbox][name=s]", 4),
			count("[data-testid=matrix] thead th", 6), // criterion, four subjects, edge
			count("[data-testid=matrix] tbody tr", 3),
			count("[data-testid=pairs] li a", 6), // every pair of four
			attr("[data-testid=category-quiz-link]", "href", "/categories/drinks/quiz"),
			count("[data-testid=status]", 1),
		}},
		{name: "subject", path: "/subjects/tea", wantStatus: 200, html: []check{
			layout,
			text("h1", "Tea"),
			attr(".eyebrow a", "href", "/categories/drinks"),
			count("[data-testid=values] tbody tr", 3),
			count("[data-testid=comparisons] .link-list a", 3),
			count("[data-testid=comparisons] [data-testid=card]", 1), // the hand-written Coffee vs Tea
		}},
		{name: "hand-written set", path: "/compare/coffee-vs-tea", wantStatus: 200, html: []check{
			layout, text("h1", "Coffee vs Tea"), contains("#verdict", "gentler"),
		}},
		{name: "set in another order", path: "/compare/tea-vs-coffee", wantStatus: 301, wantLocation: "/compare/coffee-vs-tea"},
		{name: "quiz in another order keeps the query", path: "/compare/tea-vs-mate-vs-cocoa/result?wake=yes", wantStatus: 301,
			wantLocation: "/compare/cocoa-vs-mate-vs-tea/result?wake=yes"},
		{name: "generated four-way", path: four, wantStatus: 200, html: []check{
			layout,
			text("h1", "Cocoa vs Coffee vs Mate vs Tea"),
			count("table.glance[data-testid=glance] thead th", 6), // criterion, four subjects, edge
			texts("table.glance[data-testid=glance] [data-testid=edge]", "Edge: Coffee and Mate", "Not ranked", "Edge: Cocoa"),
			count("[data-testid=pros-cons] .panel", 4),
		}},
		{name: "generated quiz", path: four + "/quiz", wantStatus: 200, html: []check{layout, count("fieldset", 2)}},
		{name: "generated scoring", path: four + "/scoring", wantStatus: 200, html: []check{layout}},
		{name: "generated result", path: four + "/result?wake=yes", wantStatus: 200, html: []check{layout}},
		{name: "generated API", path: "/api/compare/mate-vs-tea/recommendation?wake=yes", wantStatus: 200, wantType: "application/json",
			bodyCheck: func(t *testing.T, b []byte) {
				var v struct{ Winner string }
				if err := json.Unmarshal(b, &v); err != nil || v.Winner != "mate" {
					t.Errorf("winner %q (%v), want mate (high caffeine, fit 3 against 2)", v.Winner, err)
				}
			}},
		{name: "category questionnaire ranks every subject", path: "/categories/drinks/result?wake=yes&taste=plain", wantStatus: 200, html: []check{
			layout, count("[data-testid=scores] li", 4),
		}},
		{name: "unknown subject", path: "/compare/coffee-vs-juice", wantStatus: 404, html: []check{contains("main", `No subject is called "juice".`)}},
		{name: "different categories", path: "/compare/apple-vs-tea", wantStatus: 404, html: []check{contains("main", "different categories")}},
		{name: "five subjects", path: "/compare/apple-vs-cocoa-vs-coffee-vs-mate-vs-tea", wantStatus: 404, html: []check{contains("main", "different categories")}},
		{name: "five of one category", path: "/compare/cocoa-vs-coffee-vs-mate-vs-tea-vs-cocoa", wantStatus: 404, html: []check{contains("main", "named twice")}},
		{name: "unknown category", path: "/categories/juice", wantStatus: 404},
		{name: "unknown subject page", path: "/subjects/juice", wantStatus: 404},
		{name: "pick two", path: "/compare?category=drinks&s=tea&s=coffee", wantStatus: 303, wantLocation: "/compare/coffee-vs-tea"},
		{name: "pick one", path: "/compare?category=drinks&s=tea", wantStatus: 400, html: []check{
			text("[data-testid=pick-error]", "Pick two to four to compare; you picked one."),
			attr("[data-testid=picker] input[value=tea]", "checked", ""),
			attr("[data-testid=picker] fieldset", "aria-describedby", "pick-error"),
		}},
		{name: "pick from no category", path: "/compare?s=tea&s=coffee", wantStatus: 400},
		{name: "sitemap lists categories, subjects and pairs", path: "/sitemap.xml", wantStatus: 200, bodyCheck: func(t *testing.T, b []byte) {
			body := string(b)
			for _, want := range []string{"/categories/drinks<", "/categories/fruit<", "/subjects/tea<", "/compare/cocoa-vs-mate<", "/compare/apple-vs-pear<"} {
				if !strings.Contains(body, want) {
					t.Errorf("sitemap lacks %s", strings.TrimSuffix(want, "<"))
				}
			}
			if n := strings.Count(body, "/compare/coffee-vs-tea<"); n != 1 {
				t.Errorf("the hand-written pair is listed %d times, want once", n)
			}
			if strings.Contains(body, "/compare/cocoa-vs-coffee-vs-mate<") {
				t.Error("a composed three-way set is in the sitemap; only pairs are listed")
			}
		}},
	} {
		t.Run(rq.name, func(t *testing.T) { rq.run(t, s) })
	}
}

// TestEveryCategorySetServes renders every set of two to four drinks in
// every order through the router: the canonical order answers 200, any
// other 301 to it.
func TestEveryCategorySetServes(t *testing.T) {
	s := newCategoryServer(t)
	keys := []string{"cocoa", "coffee", "mate", "tea"}
	var sets [][]string
	var walk func(prefix []string, used map[string]bool)
	walk = func(prefix []string, used map[string]bool) {
		if len(prefix) >= 2 {
			sets = append(sets, append([]string(nil), prefix...))
		}
		if len(prefix) == 4 {
			return
		}
		for _, k := range keys {
			if !used[k] {
				used[k] = true
				walk(append(prefix, k), used)
				used[k] = false
			}
		}
	}
	walk(nil, map[string]bool{})
	if len(sets) != 12+24+24 {
		t.Fatalf("%d ordered sets, want 60", len(sets))
	}
	canonical := 0
	for _, set := range sets {
		path := "/compare/" + strings.Join(set, "-vs-")
		rec := serve(s, path)
		switch rec.Code {
		case http.StatusOK:
			canonical++
			doc, err := goquery.NewDocumentFromReader(rec.Body)
			n := doc.Find("table[data-testid=glance] thead th").Length()
			if err != nil || n != len(set)+2 {
				t.Errorf("%s: table has %d header cells, want %d (criterion, each subject, edge)", path, n, len(set)+2)
			}
		case http.StatusMovedPermanently:
			if loc := rec.Header().Get("Location"); serve(s, loc).Code != http.StatusOK {
				t.Errorf("%s: redirects to %s, which does not answer 200", path, loc)
			}
		default:
			t.Errorf("%s: status %d", path, rec.Code)
		}
	}
	if canonical != 6+4+1 {
		t.Errorf("%d sets answered 200, want 11 (one per set of 2-4 of four)", canonical)
	}
}

func serve(h http.Handler, path string) *httptest.ResponseRecorder {
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, path, nil))
	return rec
}
