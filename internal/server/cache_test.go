package server

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"testing/fstest"
	"time"

	"github.com/andybalholm/brotli"
	"github.com/prometheus/client_golang/prometheus"
	dto "github.com/prometheus/client_model/go"

	"github.com/versus-dev/versus/internal/catalog"
	"github.com/versus-dev/versus/internal/synth"
	"github.com/versus-dev/versus/web"
)

func prCatalog(t testing.TB, n int) *catalog.Catalog {
	t.Helper()
	cat, err := catalog.Load(synth.FS(n))
	if err != nil {
		t.Fatalf("load %d synthetic articles: %v", n, err)
	}
	return cat
}

// prDecode undoes the Content-Encoding a response was sent with.
func prDecode(t *testing.T, coding string, body []byte) []byte {
	t.Helper()
	var r io.Reader
	switch coding {
	case "":
		return body
	case "gzip":
		zr, err := gzip.NewReader(bytes.NewReader(body))
		if err != nil {
			t.Fatalf("gzip: %v", err)
		}
		r = zr
	case "br":
		r = brotli.NewReader(bytes.NewReader(body))
	default:
		t.Fatalf("unexpected Content-Encoding %q", coding)
	}
	out, err := io.ReadAll(r)
	if err != nil {
		t.Fatalf("decode %s: %v", coding, err)
	}
	return out
}

func prGet(s http.Handler, path, accept string) *httptest.ResponseRecorder {
	req := httptest.NewRequest("GET", path, nil)
	if accept != "" {
		req.Header.Set("Accept-Encoding", accept)
	}
	rec := httptest.NewRecorder()
	s.ServeHTTP(rec, req)
	return rec
}

// catalogPaths is every page of cat that does not depend on answers.
func catalogPaths(cat *catalog.Catalog) []string {
	paths := []string{"/", "/sitemap.xml", "/feed.xml", "/robots.txt"}
	for _, t := range cat.Tags() {
		paths = append(paths, web.TagPath(t.Name))
	}
	for _, c := range cat.All() {
		paths = append(paths, web.ComparePath(c), web.ScoringPath(c), web.QuizPath(c, ""), "/api/compare/"+c.Slug+"/quiz")
	}
	return paths
}

// renders is how many times pages of kind were rendered, from the
// server's own metrics.
func renders(t *testing.T, s *Server, kind string) uint64 {
	t.Helper()
	mfs, err := s.metrics.Registry().(prometheus.Gatherer).Gather()
	if err != nil {
		t.Fatal(err)
	}
	for _, mf := range mfs {
		if mf.GetName() != "versus_render_duration_seconds" {
			continue
		}
		for _, m := range mf.GetMetric() {
			if labelIs(m, "kind", kind) {
				return m.GetHistogram().GetSampleCount()
			}
		}
	}
	return 0
}

func labelIs(m *dto.Metric, name, value string) bool {
	for _, l := range m.GetLabel() {
		if l.GetName() == name && l.GetValue() == value {
			return true
		}
	}
	return false
}

// TestRendersOnDemand checks that New renders nothing, that the first
// request for a page renders it and every coding then serves it (each
// variant decoding to the same page), and that a second request renders
// nothing new.
func TestRendersOnDemand(t *testing.T) {
	cat := prCatalog(t, 10)
	s, err := New(cat, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if n := s.cache.Len(); n != 0 {
		t.Fatalf("New put %d values in the cache, want none", n)
	}
	if rec := prGet(s, "/readyz", ""); rec.Code != http.StatusOK {
		t.Errorf("/readyz = %d, want 200: nothing needs rendering to be ready", rec.Code)
	}
	paths := catalogPaths(cat)
	for _, path := range paths {
		ident := prGet(s, path, "")
		if ident.Code != http.StatusOK {
			t.Fatalf("%s: status %d", path, ident.Code)
		}
		if ident.Header().Get("ETag") == "" {
			t.Errorf("%s: no ETag", path)
		}
		for _, accept := range []string{"gzip", "br, gzip"} {
			rec := prGet(s, path, accept)
			coding := rec.Header().Get("Content-Encoding")
			if coding == "" && ident.Body.Len() > 1000 {
				t.Errorf("%s, Accept-Encoding %q: sent identity", path, accept)
			}
			if got := prDecode(t, coding, rec.Body.Bytes()); !bytes.Equal(got, ident.Body.Bytes()) {
				t.Errorf("%s, Accept-Encoding %q: decoded body differs from the identity page", path, accept)
			}
		}
	}
	before := renders(t, s, kindComparison)
	if before != uint64(cat.Len()) {
		t.Errorf("%d comparison renders for %d comparisons", before, cat.Len())
	}
	if n := renders(t, s, kindArticle); n != uint64(cat.Len()) {
		t.Errorf("%d article parses for %d comparisons (comparison, scoring, quiz and API pages share one)", n, cat.Len())
	}
	for _, path := range paths {
		prGet(s, path, "br")
	}
	if after := renders(t, s, kindComparison); after != before {
		t.Errorf("serving the pages again rendered %d more comparisons", after-before)
	}
}

// TestPagesDeterministic renders the same catalog in two servers: every
// page must be byte-identical, so replicas send the same ETags.
func TestPagesDeterministic(t *testing.T) {
	cat := prCatalog(t, 12)
	a, err := New(cat, Options{})
	if err != nil {
		t.Fatal(err)
	}
	b, err := New(prCatalog(t, 12), Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, path := range append(catalogPaths(cat), "/nowhere") {
		ra, rb := prGet(a, path, ""), prGet(b, path, "")
		if ra.Code != rb.Code || !bytes.Equal(ra.Body.Bytes(), rb.Body.Bytes()) || ra.Header().Get("ETag") != rb.Header().Get("ETag") {
			t.Errorf("%s differs between two servers of the same catalog", path)
		}
	}
}

// TestConcurrentFirstRequests sends many first requests for one page at
// once: the article is parsed once and the page rendered once, and every
// client gets the same bytes.
func TestConcurrentFirstRequests(t *testing.T) {
	cat := prCatalog(t, 3)
	s, err := New(cat, Options{})
	if err != nil {
		t.Fatal(err)
	}
	path := web.ComparePath(cat.All()[0])
	var wg sync.WaitGroup
	bodies := make([][]byte, 16)
	for i := range bodies {
		wg.Go(func() {
			rec := prGet(s, path, "br")
			if rec.Code != http.StatusOK {
				t.Errorf("status %d", rec.Code)
			}
			bodies[i] = rec.Body.Bytes()
		})
	}
	wg.Wait()
	for i := range bodies {
		if !bytes.Equal(bodies[i], bodies[0]) {
			t.Errorf("client %d got other bytes", i)
		}
	}
	if n := renders(t, s, kindComparison); n != 1 {
		t.Errorf("%d renders of one page for 16 concurrent first requests, want 1", n)
	}
	if n := renders(t, s, kindArticle); n != 1 {
		t.Errorf("%d parses of one article, want 1", n)
	}
}

// retitled is synth.FS(n) with every title changed, so that each page
// of the second catalog says which catalog it came from.
func retitled(n int, mark string) fstest.MapFS {
	fsys := synth.FS(n)
	for name, f := range fsys {
		f.Data = bytes.Replace(f.Data, []byte("\ntitle: "), []byte("\ntitle: "+mark+" "), 1)
		fsys[name] = f
	}
	return fsys
}

// TestReloadUnderLoad swaps the catalog while clients read every kind of
// page (run with -race): a request sent after Swap returned never gets a
// page of the old catalog, though the old pages were all cached, and every
// response is a whole page.
func TestReloadUnderLoad(t *testing.T) {
	const n = 6
	oldCat, err := catalog.Load(retitled(n, "OLDCAT"))
	if err != nil {
		t.Fatal(err)
	}
	newCat, err := catalog.Load(retitled(n, "NEWCAT"))
	if err != nil {
		t.Fatal(err)
	}
	s, err := New(oldCat, Options{})
	if err != nil {
		t.Fatal(err)
	}
	var paths []string
	for _, p := range catalogPaths(oldCat) {
		if p != "/robots.txt" && p != "/sitemap.xml" && !strings.HasPrefix(p, "/tags/") { // they name no title
			paths = append(paths, p)
		}
	}
	c := oldCat.All()[0]
	full, err := oldCat.Article(c)
	if err != nil {
		t.Fatal(err)
	}
	q := url.Values{}
	for _, question := range full.Quiz.Questions {
		q.Set(question.Key, question.Options[0].Key)
	}
	paths = append(paths, web.ResultPath(c, q.Encode()), "/api/compare/"+c.Slug+"/recommendation?"+q.Encode())
	for _, p := range paths { // every old page cached, in every coding
		for _, accept := range []string{"", "gzip", "br"} {
			if rec := prGet(s, p, accept); rec.Code != http.StatusOK || !strings.Contains(string(prDecode(t, rec.Header().Get("Content-Encoding"), rec.Body.Bytes())), "OLDCAT") {
				if !strings.HasPrefix(p, "/api/compare/"+c.Slug+"/recommendation") {
					t.Fatalf("%s before the swap: status %d, or not the old catalog", p, rec.Code)
				}
			}
		}
	}

	var swapped atomic.Bool
	stop := make(chan struct{})
	var wg sync.WaitGroup
	var afterSwap atomic.Int64
	for w := range 4 {
		wg.Go(func() {
			accept := []string{"", "gzip", "br", "gzip, br"}[w]
			for i := w; ; i++ {
				select {
				case <-stop:
					return
				default:
				}
				sentAfter := swapped.Load()
				path := paths[i%len(paths)]
				rec := prGet(s, path, accept)
				if rec.Code != http.StatusOK {
					t.Errorf("%s: status %d", path, rec.Code)
					return
				}
				body := string(prDecode(t, rec.Header().Get("Content-Encoding"), rec.Body.Bytes()))
				isOld, isNew := strings.Contains(body, "OLDCAT"), strings.Contains(body, "NEWCAT")
				if strings.HasPrefix(path, "/api/compare/"+c.Slug+"/recommendation") {
					continue // the JSON names no title; its bytes are checked below
				}
				if isOld == isNew {
					t.Errorf("%s: a page of neither or both catalogs", path)
				}
				if sentAfter {
					afterSwap.Add(1)
					if isOld {
						t.Errorf("%s: sent after the swap, served from the old catalog", path)
					}
				}
			}
		})
	}
	for afterSwap.Load() == 0 && !t.Failed() {
		if err := s.Swap(newCat); err != nil {
			t.Fatal(err)
		}
		swapped.Store(true)
		for afterSwap.Load() < int64(4*len(paths)) && !t.Failed() {
			time.Sleep(time.Millisecond)
		}
	}
	close(stop)
	wg.Wait()
	if got := renders(t, s, kindResult); got < 2 {
		t.Errorf("%d result renders: the new catalog's result was not rendered again", got)
	}
}

// TestHostileKeysBounded sends thousands of distinct valid answer sets,
// as a client inventing result links would, to a server with a small
// budget: the bytes held never pass it, and the pages readers use keep
// being served.
func TestHostileKeysBounded(t *testing.T) {
	const budget = 2 << 20
	cat := prCatalog(t, 2)
	s, err := New(cat, Options{CacheSize: budget})
	if err != nil {
		t.Fatal(err)
	}
	c := cat.All()[0]
	full, err := cat.Article(c)
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(1, 2))
	home := prGet(s, "/", "").Body.Bytes()
	for i := range 1500 {
		q := url.Values{}
		for _, question := range full.Quiz.Questions {
			q.Set(question.Key, question.Options[rng.IntN(len(question.Options))].Key)
		}
		for _, path := range []string{web.ResultPath(c, q.Encode()), "/api/compare/" + c.Slug + "/recommendation?" + q.Encode()} {
			if rec := prGet(s, path, "br"); rec.Code != http.StatusOK {
				t.Fatalf("%s: status %d", path, rec.Code)
			}
		}
		if i%100 == 0 {
			if b := s.cache.Bytes(); b > budget {
				t.Fatalf("after %d answer sets the cache holds %d bytes, over its %d budget", i+1, b, budget)
			}
			if got := prGet(s, "/", "").Body.Bytes(); !bytes.Equal(got, home) {
				t.Fatal("the home page changed")
			}
		}
	}
	if b := s.cache.Bytes(); b > budget {
		t.Errorf("cache holds %d bytes, over its %d budget", b, budget)
	}
}

// TestCacheMetrics checks that the metrics show the cache and the renders.
func TestCacheMetrics(t *testing.T) {
	s := newTestServer(t, Options{CacheSize: 5 << 20})
	prGet(s, "/", "")
	prGet(s, "/", "")
	body := prGet(s.MetricsHandler(), "/metrics", "").Body.String()
	for _, want := range []string{
		"versus_cache_hits_total 1", "versus_cache_misses_total 1", "versus_cache_evictions_total 0",
		"versus_cache_budget_bytes 5.24288e+06", `versus_render_duration_seconds_count{kind="home"} 1`, "versus_cache_bytes ",
	} {
		if !strings.Contains(body, want) {
			t.Errorf("/metrics lacks %q", want)
		}
	}
	if _, err := New(prCatalog(t, 1), Options{CacheSize: -1}); err == nil {
		t.Error("New accepted a negative cache size")
	}
}

// TestSitemapIndex lowers the URLs per sitemap file: /sitemap.xml becomes
// the index of files that together list every URL once, each within the
// limit.
func TestSitemapIndex(t *testing.T) {
	cat := prCatalog(t, 10)
	one, err := New(cat, Options{BaseURL: testBase})
	if err != nil {
		t.Fatal(err)
	}
	all := locs(t, prGet(one, "/sitemap.xml", "").Body.Bytes(), "url")
	if len(all) < 31 {
		t.Fatalf("the sitemap lists %d URLs for 10 comparisons", len(all))
	}
	if rec := prGet(one, "/sitemap-1.xml", ""); rec.Code != http.StatusNotFound {
		t.Errorf("/sitemap-1.xml of a one-file sitemap: status %d, want 404", rec.Code)
	}
	s, err := New(cat, Options{BaseURL: testBase})
	if err != nil {
		t.Fatal(err)
	}
	s.sitemapMax = 10
	files := locs(t, prGet(s, "/sitemap.xml", "").Body.Bytes(), "sitemap")
	if want := (len(all) + 9) / 10; len(files) != want {
		t.Fatalf("index lists %d files, want %d", len(files), want)
	}
	var got []string
	for i, f := range files {
		if want := fmt.Sprintf("%s/sitemap-%d.xml", testBase, i+1); f != want {
			t.Errorf("file %d is %s, want %s", i, f, want)
		}
		rec := prGet(s, strings.TrimPrefix(f, testBase), "")
		if rec.Code != http.StatusOK || !strings.HasPrefix(rec.Header().Get("Content-Type"), "application/xml") {
			t.Fatalf("%s: status %d, type %s", f, rec.Code, rec.Header().Get("Content-Type"))
		}
		part := locs(t, rec.Body.Bytes(), "url")
		if len(part) > 10 || len(part) == 0 {
			t.Errorf("%s lists %d URLs, want 1 to 10", f, len(part))
		}
		got = append(got, part...)
	}
	if strings.Join(got, "\n") != strings.Join(all, "\n") {
		t.Error("the sitemap files together do not list the one-file sitemap's URLs in order")
	}
	for _, p := range []string{"/sitemap-0.xml", fmt.Sprintf("/sitemap-%d.xml", len(files)+1), "/sitemap-01.xml", "/sitemap-x.xml"} {
		if rec := prGet(s, p, ""); rec.Code != http.StatusNotFound {
			t.Errorf("%s: status %d, want 404", p, rec.Code)
		}
	}
}

// locs reads the <loc> of every <url> (or <sitemap>) element.
func locs(t *testing.T, body []byte, elem string) []string {
	t.Helper()
	var out []string
	for _, part := range strings.Split(string(body), "<"+elem+">")[1:] {
		_, rest, ok := strings.Cut(part, "<loc>")
		loc, _, ok2 := strings.Cut(rest, "</loc>")
		if !ok || !ok2 {
			t.Fatalf("a <%s> without <loc>", elem)
		}
		out = append(out, loc)
	}
	return out
}

// TestArticleChangedOnDisk edits an article's file after the content was
// loaded: its pages answer 503 (not content nobody checked, not a 500)
// until the content is reloaded, and the others still serve.
func TestArticleChangedOnDisk(t *testing.T) {
	dir := t.TempDir()
	if err := synth.WriteDir(dir, 2); err != nil {
		t.Fatal(err)
	}
	site, err := NewSite(mustLoad(t, dir), nil, dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	cat := site.state.Load().cat
	changed, other := cat.All()[0], cat.All()[1]
	src, err := os.ReadFile(filepath.Join(dir, changed.File))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, changed.File), bytes.Replace(src, []byte("\ntitle: "), []byte("\ntitle: Edited "), 1), 0o644); err != nil {
		t.Fatal(err)
	}
	rec := prGet(site, web.ComparePath(changed), "")
	if rec.Code != http.StatusServiceUnavailable || !strings.Contains(rec.Body.String(), "changed since the site loaded") {
		t.Errorf("changed article: status %d, want 503 saying why", rec.Code)
	}
	if rec := prGet(site, web.ComparePath(other), ""); rec.Code != http.StatusOK {
		t.Errorf("unchanged article: status %d", rec.Code)
	}
	site.Reload(os.DirFS(dir))
	rec = prGet(site, web.ComparePath(changed), "")
	if rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), "Edited ") {
		t.Errorf("after Reload: status %d, or not the edited article", rec.Code)
	}
}

func mustLoad(t *testing.T, dir string) *catalog.Catalog {
	t.Helper()
	cat, err := catalog.Load(os.DirFS(dir))
	if err != nil {
		t.Fatal(err)
	}
	return cat
}
