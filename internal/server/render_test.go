package server

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"runtime"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/andybalholm/brotli"

	"github.com/versus-dev/versus/content"
	"github.com/versus-dev/versus/internal/catalog"
	"github.com/versus-dev/versus/internal/synth"
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

// TestRunPrerenderFirstErrorWins checks that however many workers render,
// a failed prerender reports the error of the first failing page in job
// order, as a one-by-one render would.
func TestRunPrerenderFirstErrorWins(t *testing.T) {
	jobs := make([]prerenderJob, 60)
	for i := range jobs {
		path := fmt.Sprintf("/p/%d", i)
		fail := i == 17 || i == 18 || i == 45
		jobs[i] = prerenderJob{path: path, ctype: "text/plain", status: http.StatusOK, render: func(buf *bytes.Buffer) ([]byte, error) {
			if fail {
				return nil, fmt.Errorf("render %s: broken", path)
			}
			buf.Reset()
			fmt.Fprintf(buf, "page %d", i)
			return buf.Bytes(), nil
		}}
	}
	for _, workers := range []int{1, 2, 3, 8, 100} {
		t.Run(fmt.Sprint("workers=", workers), func(t *testing.T) {
			pages, err := runPrerender(jobs, time.Minute, workers)
			if pages != nil {
				t.Error("pages returned along with an error")
			}
			if err == nil || err.Error() != "render /p/17: broken" {
				t.Errorf("error = %v, want the first failing page's: render /p/17: broken", err)
			}
		})
	}
	ok := jobs[:17]
	for _, workers := range []int{1, 4} {
		t.Run(fmt.Sprint("no failure, workers=", workers), func(t *testing.T) {
			pages, err := runPrerender(ok, time.Minute, workers)
			if err != nil {
				t.Fatal(err)
			}
			for i, p := range pages {
				// Each worker reuses one buffer: the page must own a copy.
				if got, want := string(p.Body()), fmt.Sprintf("page %d", i); got != want {
					t.Errorf("page %d body = %q, want %q", i, got, want)
				}
			}
		})
	}
}

// TestPrerenderSameOnAnyCores renders the same catalog on one core and on
// several: every path must get byte-identical pages.
func TestPrerenderSameOnAnyCores(t *testing.T) {
	cat := prCatalog(t, 30)
	build := func(procs int) *state {
		defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(procs))
		s, err := New(cat, Options{})
		if err != nil {
			t.Fatal(err)
		}
		st := s.state.Load()
		st.compress.Stop()
		<-st.compress.Done()
		return st
	}
	one, many := build(1), build(4)
	if len(one.pages) != len(many.pages) {
		t.Fatalf("%d pages on one core, %d on four", len(one.pages), len(many.pages))
	}
	if len(one.pages) < 4*30 {
		t.Fatalf("only %d pages for 30 articles", len(one.pages))
	}
	for path, p := range one.pages {
		q, ok := many.pages[path]
		if !ok {
			t.Errorf("%s missing when rendered on four cores", path)
			continue
		}
		if !bytes.Equal(p.Body(), q.Body()) || p.ETag() != q.ETag() {
			t.Errorf("%s differs between one and four cores", path)
		}
	}
	if !bytes.Equal(one.notFound.Body(), many.notFound.Body()) {
		t.Error("404 page differs between one and four cores")
	}
}

// TestCompressionInBackground checks that New returns before the pages are
// compressed yet serves every coding correctly right away, and that every
// page ends up compressed.
func TestCompressionInBackground(t *testing.T) {
	s, err := New(prCatalog(t, 10), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if rec := prGet(s, "/readyz", ""); rec.Code != http.StatusOK {
		t.Errorf("/readyz = %d before compression finished, want 200: the pages can be served", rec.Code)
	}
	st := s.state.Load()
	paths := slices.Sorted(func(yield func(string) bool) {
		for p := range st.pages {
			if !yield(p) {
				return
			}
		}
	})
	for _, path := range paths {
		for _, accept := range []string{"", "gzip", "br, gzip"} {
			rec := prGet(s, path, accept)
			if rec.Code != http.StatusOK {
				t.Fatalf("%s: status %d", path, rec.Code)
			}
			coding := rec.Header().Get("Content-Encoding")
			if accept != "" && coding == "" && len(st.pages[path].Body()) > 1000 {
				t.Errorf("%s, Accept-Encoding %q: sent identity", path, accept)
			}
			if got := prDecode(t, coding, rec.Body.Bytes()); !bytes.Equal(got, st.pages[path].Body()) {
				t.Errorf("%s, Accept-Encoding %q: decoded body differs from the prerendered page", path, accept)
			}
		}
	}
	<-s.Compressed()
	for _, path := range paths {
		if !st.pages[path].Compressed() {
			t.Errorf("%s not compressed once Compressed() is closed", path)
		}
	}
	if !st.notFound.Compressed() {
		t.Error("404 page not compressed once Compressed() is closed")
	}
}

func prGet(s *Server, path, accept string) *httptest.ResponseRecorder {
	req := httptest.NewRequest("GET", path, nil)
	if accept != "" {
		req.Header.Set("Accept-Encoding", accept)
	}
	rec := httptest.NewRecorder()
	s.ServeHTTP(rec, req)
	return rec
}

// TestSwapMidCompression swaps catalogs while the first one's pages are
// being compressed and clients are reading them (run with -race): the old
// batch is stopped, every response is a whole, correct page of one catalog
// or the other, and the new catalog's pages all get compressed.
func TestSwapMidCompression(t *testing.T) {
	first := prCatalog(t, 40)
	second, err := catalog.Load(content.FS)
	if err != nil {
		t.Fatal(err)
	}
	s, err := New(first, Options{})
	if err != nil {
		t.Fatal(err)
	}
	old := s.state.Load()
	// Every body either catalog serves at these paths, by path.
	valid := map[string][][]byte{}
	for p, pg := range old.pages {
		valid[p] = append(valid[p], pg.Body())
	}
	paths := []string{"/", "/sitemap.xml", "/feed.xml"}
	for _, c := range first.All()[:5] {
		paths = append(paths, "/compare/"+c.Slug)
	}

	stop := make(chan struct{})
	var wg sync.WaitGroup
	var served sync.Map // path → [][]byte seen, checked after the swap
	for c := range 4 {
		wg.Go(func() {
			accept := []string{"", "gzip", "br", "gzip, br"}[c]
			for i := 0; ; i++ {
				select {
				case <-stop:
					return
				default:
				}
				path := paths[i%len(paths)]
				rec := prGet(s, path, accept)
				if rec.Code != http.StatusOK && rec.Code != http.StatusNotFound {
					t.Errorf("%s: status %d", path, rec.Code)
					return
				}
				if rec.Code == http.StatusOK {
					body := prDecode(t, rec.Header().Get("Content-Encoding"), rec.Body.Bytes())
					v, _ := served.LoadOrStore(path, &sync.Map{})
					v.(*sync.Map).Store(string(body), true)
				}
			}
		})
	}
	if err := s.Swap(second); err != nil {
		t.Fatal(err)
	}
	if !old.compress.Stopped() {
		t.Error("Swap left the old catalog's compression running")
	}
	<-old.compress.Done()
	cur := s.state.Load()
	for p, pg := range cur.pages {
		valid[p] = append(valid[p], pg.Body())
	}
	close(stop)
	wg.Wait()
	served.Range(func(k, v any) bool {
		path := k.(string)
		v.(*sync.Map).Range(func(body, _ any) bool {
			if !slices.ContainsFunc(valid[path], func(b []byte) bool { return string(b) == body.(string) }) {
				t.Errorf("%s served a body that neither catalog has (%d bytes)", path, len(body.(string)))
			}
			return true
		})
		return true
	})
	<-s.Compressed()
	if cur.compress.Stopped() {
		t.Error("the current catalog's compression was stopped")
	}
	for p, pg := range cur.pages {
		if !pg.Compressed() {
			t.Errorf("%s of the new catalog not compressed", p)
		}
	}
	if rec := prGet(s, "/compare/django-vs-flask", "br"); rec.Header().Get("Content-Encoding") != "br" {
		t.Errorf("after the swap the new comparison is sent with Content-Encoding %q, want br", rec.Header().Get("Content-Encoding"))
	}
}
