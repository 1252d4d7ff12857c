package server

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/versus-dev/versus/content"
	"github.com/versus-dev/versus/internal/catalog"
	"github.com/versus-dev/versus/internal/compare"
	"github.com/versus-dev/versus/internal/recommend"
	"github.com/versus-dev/versus/internal/server/pagecache"
	"github.com/versus-dev/versus/web"
)

// get sends one request through the real router.
func get(t testing.TB, s *Server, method, target string, hdr ...string) *httptest.ResponseRecorder {
	t.Helper()
	r := httptest.NewRequest(method, target, nil)
	for i := 0; i+1 < len(hdr); i += 2 {
		r.Header.Set(hdr[i], hdr[i+1])
	}
	w := httptest.NewRecorder()
	s.ServeHTTP(w, r)
	return w
}

// mustComparison finds slug in the server's current catalog and returns
// the whole article.
func mustComparison(t testing.TB, s *Server, slug string) (*state, *compare.Comparison) {
	t.Helper()
	st := s.state.Load()
	sum, ok := st.cat.Get(slug)
	if !ok {
		t.Fatalf("no comparison %q", slug)
	}
	a, err := s.article(st, sum, slug)
	if err != nil {
		t.Fatal(err)
	}
	return st, a.c
}

// cached counts the values of kind in the current generation.
func cached(s *Server, kind string) int {
	return s.cache.Count(s.state.Load().gen, kind)
}

// uncachedResult renders what the result page and the API would send for
// query without going through the cache, scoring with the package-level
// recommend.Recommend rather than the state's prepared scorer.
func uncachedResult(t testing.TB, s *Server, slug, query string) (html, js []byte) {
	t.Helper()
	st, c := mustComparison(t, s, slug)
	v, err := url.ParseQuery(query)
	if err != nil {
		t.Fatalf("bad test query %q: %v", query, err)
	}
	a, err := recommend.Parse(&c.Quiz, v)
	if err != nil {
		t.Fatalf("test query %q: %v", query, err)
	}
	canon := recommend.Encode(&c.Quiz, a)
	html, err = renderBytes(context.Background(), s.resultPage(st, c, recommend.Recommend(c, a), canon, web.Reasons{}))
	if err != nil {
		t.Fatal(err)
	}
	js, err = recommendationJSON(c, recommend.Recommend(c, a), canon)
	if err != nil {
		t.Fatal(err)
	}
	return html, js
}

// TestResultCacheServesRenderedBytes: whatever the order or repetition of
// the answers in the URL, and whether the entry was just made or found,
// the result page and the API send exactly the bytes an uncached render
// gives, with one ETag per answer set, and the cache holds one entry per
// answer set and representation.
func TestResultCacheServesRenderedBytes(t *testing.T) {
	cases := []struct {
		name     string
		slug     string
		canon    string
		variants []string // the same answers, written differently
	}{
		{"north-vs-south two answers", "north-vs-south", "climate=cold&size=large",
			[]string{"size=large&climate=cold"}},
		{"north-vs-south no answers", "north-vs-south", "", nil},
		{"three-way", "alpha-vs-beta-vs-gamma", "", nil},
	}
	// A full answer set of the three-way article, in quiz order and reversed.
	s := newTestServer(t, Options{})
	_, c3 := mustComparison(t, s, "alpha-vs-beta-vs-gamma")
	full := recommend.Answers{}
	var rev []string
	for _, q := range c3.Quiz.Questions {
		full[q.Key] = q.Options[len(q.Options)-1].Key
		rev = append([]string{q.Key + "=" + full[q.Key]}, rev...)
	}
	cases[2].canon = recommend.Encode(&c3.Quiz, full)
	cases[2].variants = []string{strings.Join(rev, "&")}

	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s := newTestServer(t, Options{})
			wantHTML, wantJSON := uncachedResult(t, s, tc.slug, tc.canon)
			for _, rep := range []struct {
				path, ctype, kind string
				want              []byte
			}{
				{"/compare/" + tc.slug + "/result", htmlType, kindResult, wantHTML},
				{"/api/compare/" + tc.slug + "/recommendation", jsonType, kindAPIRecommend, wantJSON},
			} {
				etag := ""
				for i, q := range append(append([]string{tc.canon}, tc.variants...), tc.canon) {
					w := get(t, s, http.MethodGet, rep.path+"?"+q)
					if w.Code != http.StatusOK {
						t.Fatalf("GET %s?%s (request %d): status %d: %s", rep.path, q, i, w.Code, w.Body)
					}
					if !bytes.Equal(w.Body.Bytes(), rep.want) {
						t.Fatalf("GET %s?%s (request %d): body differs from the uncached render:\n got %q\nwant %q", rep.path, q, i, w.Body, rep.want)
					}
					if got := w.Header().Get("Content-Type"); got != rep.ctype {
						t.Errorf("Content-Type %q, want %q", got, rep.ctype)
					}
					if got := w.Header().Get("Cache-Control"); got != "public, max-age=300" {
						t.Errorf("Cache-Control %q, want public, max-age=300", got)
					}
					tag := w.Header().Get("ETag")
					if tag == "" || (etag != "" && tag != etag) {
						t.Fatalf("request %d: ETag %q, want one shared by every ordering (first %q)", i, tag, etag)
					}
					etag = tag
				}
				if n := cached(s, rep.kind); n != 1 {
					t.Errorf("after %s: %d cache entries of its kind, want 1", rep.path, n)
				}
			}
		})
	}
}

// TestResultCacheNegotiation: a cached result answers like any cached
// page: HEAD without a body, 304 for its ETag, gzip when asked.
func TestResultCacheNegotiation(t *testing.T) {
	s := newTestServer(t, Options{})
	path := ns + "/result?size=large&climate=cold"
	want, _ := uncachedResult(t, s, "north-vs-south", "climate=cold&size=large")

	first := get(t, s, http.MethodGet, path)
	etag := first.Header().Get("ETag")
	cases := []struct {
		name       string
		method     string
		hdr        []string
		wantStatus int
		wantBody   []byte
		wantEnc    string
	}{
		{"HEAD", http.MethodHead, nil, 200, nil, ""},
		{"If-None-Match", http.MethodGet, []string{"If-None-Match", etag}, 304, nil, ""},
		{"stale If-None-Match", http.MethodGet, []string{"If-None-Match", `"stale"`}, 200, want, ""},
		{"gzip", http.MethodGet, []string{"Accept-Encoding", "gzip"}, 200, want, "gzip"},
		{"identity only", http.MethodGet, []string{"Accept-Encoding", "identity"}, 200, want, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			w := get(t, s, tc.method, path, tc.hdr...)
			if w.Code != tc.wantStatus {
				t.Fatalf("status %d, want %d", w.Code, tc.wantStatus)
			}
			if got := w.Header().Get("Content-Encoding"); got != tc.wantEnc {
				t.Fatalf("Content-Encoding %q, want %q", got, tc.wantEnc)
			}
			body := w.Body.Bytes()
			if tc.wantEnc == "gzip" {
				zr, err := gzip.NewReader(bytes.NewReader(body))
				if err != nil {
					t.Fatalf("gzip body: %v", err)
				}
				if body, err = io.ReadAll(zr); err != nil {
					t.Fatalf("gzip body: %v", err)
				}
			}
			if !bytes.Equal(body, tc.wantBody) {
				t.Fatalf("body (%d bytes) differs from the uncached render (%d bytes)", len(body), len(tc.wantBody))
			}
			if tc.method == http.MethodHead && w.Header().Get("Content-Length") != first.Header().Get("Content-Length") {
				t.Errorf("HEAD Content-Length %q, GET sent %q", w.Header().Get("Content-Length"), first.Header().Get("Content-Length"))
			}
		})
	}
}

// TestResultCacheBadInputNeverHits: a URL that only looks like a cached
// one still gets its 4xx, after the entry exists.
func TestResultCacheBadInputNeverHits(t *testing.T) {
	s := newTestServer(t, Options{})
	for _, p := range []string{ns + "/result?climate=cold", "/api/compare/north-vs-south/recommendation?climate=cold"} {
		if w := get(t, s, http.MethodGet, p); w.Code != 200 {
			t.Fatalf("GET %s: %d", p, w.Code)
		}
	}
	cases := []struct{ name, path, want string }{
		{"unknown question", ns + "/result?climate=cold&zzz=1", `unknown question \"zzz\"`},
		{"repeated answer", ns + "/result?climate=cold&climate=cold", "answered 2 times"},
		{"malformed", ns + "/result?climate=cold;", "malformed"},
		{"unknown comparison", "/compare/nope/result?climate=cold", "Page not found"},
		{"API unknown question", "/api/compare/north-vs-south/recommendation?climate=cold&zzz=1", `unknown question \"zzz\"`},
		{"API empty answer", "/api/compare/north-vs-south/recommendation?climate=", "no answer given"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			w := get(t, s, http.MethodGet, tc.path)
			if w.Code < 400 || w.Code >= 500 {
				t.Fatalf("status %d, want a 4xx", w.Code)
			}
			if body := w.Body.String(); !strings.Contains(body, tc.want) && !strings.Contains(body, strings.ReplaceAll(tc.want, `\"`, "&#34;")) {
				t.Errorf("body does not name the problem %q:\n%s", tc.want, body)
			}
		})
	}
}

// TestResultCacheDroppedOnSwap: results rendered from one catalog are never
// served after a Swap or SetProblems replaced it.
func TestResultCacheDroppedOnSwap(t *testing.T) {
	s := newTestServer(t, Options{Watch: true})
	path := ns + "/result?climate=cold"
	apiPath := "/api/compare/north-vs-south/recommendation?climate=cold"
	const before, after = "The cold test favours North.", "Edited, the cold test favours North."
	for _, p := range []string{path, apiPath} {
		if w := get(t, s, http.MethodGet, p); !strings.Contains(w.Body.String(), before) {
			t.Fatalf("GET %s: %q missing:\n%s", p, before, w.Body)
		}
	}
	oldGen := s.state.Load().gen

	fsys := fstest.MapFS{}
	for _, name := range []string{"north-vs-south.md", "alpha-vs-beta-vs-gamma.md"} {
		b, err := os.ReadFile("testdata/content/" + name)
		if err != nil {
			t.Fatal(err)
		}
		fsys[name] = &fstest.MapFile{Data: bytes.ReplaceAll(b, []byte(before), []byte(after))}
	}
	cat, err := catalog.Load(fsys)
	if err != nil {
		t.Fatalf("load edited content: %v", err)
	}
	if err := s.Swap(cat); err != nil {
		t.Fatalf("Swap: %v", err)
	}
	for _, p := range []string{path, apiPath} {
		w := get(t, s, http.MethodGet, p)
		if body := w.Body.String(); w.Code != 200 || !strings.Contains(body, after) || strings.Contains(body, before) {
			t.Fatalf("GET %s after Swap: status %d, want the edited reason only:\n%s", p, w.Code, body)
		}
	}
	if n := s.cache.Count(oldGen, kindResult) + s.cache.Count(oldGen, kindAPIRecommend); n != 0 {
		t.Errorf("%d results of the old catalog still held after Swap", n)
	}
	if n := cached(s, kindResult) + cached(s, kindAPIRecommend); n != 2 {
		t.Errorf("%d results of the new catalog held, want 2", n)
	}

	s.SetProblems(compare.Problems{{File: "north-vs-south.md", Line: 7, Msg: "subject key is empty"}})
	if w := get(t, s, http.MethodGet, path); !strings.Contains(w.Body.String(), "north-vs-south.md:7: subject key is empty") {
		t.Fatalf("result after SetProblems has no problem banner:\n%s", w.Body)
	}
}

// TestResultCacheThroughRouter fills a small cache with more distinct
// answer sets of the real article than it holds; each request still gets
// the page of its own answers, and the cache stays within its budget.
func TestResultCacheThroughRouter(t *testing.T) {
	if testing.Short() {
		t.Skip("renders a few thousand result pages")
	}
	cat, err := catalog.Load(content.FS)
	if err != nil {
		t.Fatal(err)
	}
	const budget = 1 << 20
	s, err := New(cat, Options{BaseURL: testBase, CacheSize: budget})
	if err != nil {
		t.Fatal(err)
	}
	_, c := mustComparison(t, s, "django-vs-flask")
	r := rand.New(rand.NewPCG(1, 1))
	seen := map[string]bool{}
	for len(seen) < 2500 {
		a := recommend.Answers{}
		for _, q := range c.Quiz.Questions {
			if i := r.IntN(len(q.Options) + 1); i < len(q.Options) {
				a[q.Key] = q.Options[i].Key
			}
		}
		q := recommend.Encode(&c.Quiz, a)
		seen[q] = true
		w := get(t, s, http.MethodGet, "/api/compare/django-vs-flask/recommendation?"+q)
		var body struct{ URL string }
		if err := json.Unmarshal(w.Body.Bytes(), &body); w.Code != 200 || err != nil || body.URL != web.ResultPath(c, q) {
			t.Fatalf("GET recommendation?%s: status %d, url %q (%v), want the page of its own answers", q, w.Code, body.URL, err)
		}
	}
	if n, b := cached(s, kindAPIRecommend), s.cache.Bytes(); b > budget || n < 100 || n >= len(seen) {
		t.Errorf("%d entries (%d bytes) after %d distinct answer sets, want at most %d bytes, most sets evicted but not all", n, b, len(seen), budget)
	}
}

// BenchmarkResult answers the result page and the API through the router
// for a full answer set of the real article: from the cache (in canonical
// order, and reordered, which costs the parse), and uncached (the page is
// dropped from the cache, outside the timer, before every request; the
// parsed article stays, as it does for a popular comparison).
func BenchmarkResult(b *testing.B) {
	cat, err := catalog.Load(content.FS)
	if err != nil {
		b.Fatal(err)
	}
	s, err := New(cat, Options{})
	if err != nil {
		b.Fatal(err)
	}
	st, c := mustComparison(b, s, "django-vs-flask")
	a := recommend.Answers{}
	var rev []string
	for _, q := range c.Quiz.Questions {
		a[q.Key] = q.Options[len(q.Options)-1].Key
		rev = append([]string{q.Key + "=" + url.QueryEscape(a[q.Key])}, rev...)
	}
	canon, reordered := recommend.Encode(&c.Quiz, a), strings.Join(rev, "&")
	for _, bc := range []struct {
		name, path, query string
		cached            bool
		encoding          string
		kind              string
	}{
		{"page/cached", web.ResultPath(c, ""), canon, true, "", kindResult},
		{"page/cached-reordered", web.ResultPath(c, ""), reordered, true, "", kindResult},
		{"page/cached-br", web.ResultPath(c, ""), canon, true, "br", kindResult},
		{"page/uncached", web.ResultPath(c, ""), canon, false, "", kindResult},
		// A new entry's first request that accepts a coding also pays for
		// compressing the page once.
		{"page/uncached-gzip", web.ResultPath(c, ""), canon, false, "gzip", kindResult},
		{"page/uncached-br", web.ResultPath(c, ""), canon, false, "br", kindResult},
		{"api/cached", "/api/compare/" + c.Slug + "/recommendation", canon, true, "", kindAPIRecommend},
		{"api/uncached", "/api/compare/" + c.Slug + "/recommendation", canon, false, "", kindAPIRecommend},
	} {
		b.Run(bc.name, func(b *testing.B) {
			req := httptest.NewRequest(http.MethodGet, bc.path+"?"+bc.query, nil)
			if bc.encoding != "" {
				req.Header.Set("Accept-Encoding", bc.encoding)
			}
			w := httptest.NewRecorder()
			s.ServeHTTP(w, req)
			if w.Code != http.StatusOK || w.Header().Get("Content-Encoding") != bc.encoding {
				b.Fatalf("status %d, Content-Encoding %q, want 200, %q", w.Code, w.Header().Get("Content-Encoding"), bc.encoding)
			}
			b.SetBytes(int64(w.Body.Len()))
			b.ReportAllocs()
			for b.Loop() {
				if !bc.cached {
					b.StopTimer()
					s.cache.Invalidate(pagecache.Key{Gen: st.gen, Kind: bc.kind, ID: c.Slug + "?" + canon})
					b.StartTimer()
				}
				s.ServeHTTP(httptest.NewRecorder(), req)
			}
		})
	}
}

// TestResultReasonsRenderedOnce: the reasons a result page takes from its
// article's rendered reasons (kind "reasons") give exactly the page that
// rendering every reason in place gives, on the real category's
// hand-written, composed and whole-category comparisons, whose reasons
// carry each subject's own why and citations.
func TestResultReasonsRenderedOnce(t *testing.T) {
	cat, err := catalog.Load(content.FS)
	if err != nil {
		t.Fatal(err)
	}
	s, err := New(cat, Options{BaseURL: testBase})
	if err != nil {
		t.Fatal(err)
	}
	st := s.state.Load()
	type target struct {
		id string
		c  *compare.Comparison
	}
	var targets []target
	for _, slug := range []string{"django-vs-flask", "django-vs-fastapi-vs-flask", "django-vs-fastapi-vs-litestar-vs-starlette"} {
		c, canonical, err := st.cat.Lookup(slug)
		if err != nil || canonical != slug {
			t.Fatalf("Lookup(%q): %q, %v", slug, canonical, err)
		}
		targets = append(targets, target{slug, c})
	}
	c, ok := st.cat.CategoryComparison("python-web-frameworks")
	if !ok {
		t.Fatal("no python-web-frameworks category")
	}
	targets = append(targets, target{"category:python-web-frameworks", c})

	rng := rand.New(rand.NewPCG(1, 2))
	for _, tg := range targets {
		a, err := s.article(st, tg.c, tg.id)
		if err != nil {
			t.Fatal(err)
		}
		c := a.c
		// Every option's reason is rendered beforehand, so the pages
		// below take each one from there rather than rendering it.
		reasons, err := s.reasons(st, a, tg.id)
		if err != nil {
			t.Fatal(err)
		}
		if want := len(a.scorer.OptionEffects()); reasons.Len() != want || want == 0 {
			t.Fatalf("%s: %d rendered reasons, want one per option (%d)", tg.id, reasons.Len(), want)
		}
		for i := range 12 {
			ans := recommend.Answers{}
			for qi, q := range c.Quiz.Questions {
				// The first set answers every question with its last
				// option; the others answer at random, some not at all.
				if i == 0 {
					ans[q.Key] = q.Options[len(q.Options)-1].Key
				} else if oi := rng.IntN(len(q.Options) + 1); oi < len(q.Options) && (qi+i)%5 != 0 {
					ans[q.Key] = q.Options[oi].Key
				}
			}
			canon := recommend.Encode(&c.Quiz, ans)
			res := recommend.Recommend(c, ans)
			want, err := renderBytes(context.Background(), s.resultPage(st, c, res, canon, web.Reasons{}))
			if err != nil {
				t.Fatal(err)
			}
			w := get(t, s, http.MethodGet, web.ResultPath(c, canon))
			if w.Code != http.StatusOK {
				t.Fatalf("%s: status %d", web.ResultPath(c, canon), w.Code)
			}
			if !bytes.Equal(w.Body.Bytes(), want) {
				t.Fatalf("%s: the page differs from the one rendered in place:\n got %q\nwant %q", web.ResultPath(c, canon), w.Body, want)
			}
			if n := strings.Count(w.Body.String(), `data-testid="reason"`); n != res.Answered {
				t.Fatalf("%s: %d reasons for %d answers", web.ResultPath(c, canon), n, res.Answered)
			}
		}
	}
	if n := cached(s, kindReasons); n != len(targets) {
		t.Errorf("%d rendered reasons cached, want one per comparison (%d)", n, len(targets))
	}
}
