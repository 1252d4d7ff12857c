package pagecache

import (
	"errors"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"
)

func newTestCache(t *testing.T, budget int64) (*Cache, *prometheus.Registry) {
	t.Helper()
	reg := prometheus.NewRegistry()
	pc, err := NewCache(budget, reg)
	if err != nil {
		t.Fatal(err)
	}
	return pc, reg
}

func renderN(n int) func() (*Page, error) {
	return func() (*Page, error) {
		return NewDeferred(http.StatusOK, "text/html; charset=utf-8", bodyN(n), time.Minute), nil
	}
}

// TestCacheBudget sends far more distinct keys than fit, as a client
// inventing answers would: the bytes held never pass the budget, the
// evictions are counted, and a page asked for again and again stays.
func TestCacheBudget(t *testing.T) {
	const budget = 200 << 10
	pc, reg := newTestCache(t, budget)
	hot := Key{Gen: 1, Kind: "comparison", ID: "/compare/hot"}
	for i := range 5000 {
		if _, err := pc.Page(hot, renderN(-1)); err != nil {
			t.Fatal(err)
		}
		p, err := pc.Page(Key{Gen: 1, Kind: "result", ID: "/r?q=" + strconv.Itoa(i)}, renderN(i))
		if err != nil {
			t.Fatal(err)
		}
		serve(p, "br", "") // adds a variant, which counts too
		if i%500 == 0 {
			if b := pc.Bytes(); b > budget {
				t.Fatalf("after %d keys the cache holds %d bytes, over its %d budget", i+1, b, budget)
			}
		}
	}
	if b := pc.Bytes(); b > budget || b < budget/2 {
		t.Errorf("cache holds %d bytes, want at most the %d budget and not far below it", b, budget)
	}
	if n := testutil.ToFloat64(pc.evictions); n == 0 {
		t.Error("no evictions counted")
	}
	if _, ok := pc.c.GetIfPresent(hot); !ok {
		t.Error("the page requested on every round was evicted by one-off keys")
	}
	if n, err := testutil.GatherAndCount(reg, "versus_cache_bytes", "versus_cache_hits_total", "versus_cache_misses_total", "versus_cache_evictions_total", "versus_render_duration_seconds"); err != nil || n < 5 {
		t.Errorf("metrics: %d series, %v", n, err)
	}
}

// TestCacheCountsVariants checks that a compressed variant added by a
// request is counted in the bytes held.
func TestCacheCountsVariants(t *testing.T) {
	pc, _ := newTestCache(t, 1<<20)
	k := Key{Gen: 1, Kind: "home", ID: "/"}
	p, err := pc.Page(k, renderN(1))
	if err != nil {
		t.Fatal(err)
	}
	before := pc.Bytes()
	if before < int64(len(p.Body())) {
		t.Fatalf("cache holds %d bytes for a %d-byte page", before, len(p.Body()))
	}
	serve(p, "gzip", "")
	serve(p, "br", "")
	after := pc.Bytes()
	if after != int64(p.Size()+len(k.Kind)+len(k.ID)) || after <= before {
		t.Errorf("after both variants: %d bytes held, page size %d (before %d)", after, p.Size(), before)
	}
}

// TestCacheRendersOnce sends many concurrent first requests for one key:
// one render, and every caller gets its page.
func TestCacheRendersOnce(t *testing.T) {
	pc, _ := newTestCache(t, 1<<20)
	var renders atomic.Int32
	release := make(chan struct{})
	k := Key{Gen: 1, Kind: "comparison", ID: "/compare/a-vs-b"}
	var wg sync.WaitGroup
	pages := make([]*Page, 32)
	for i := range pages {
		wg.Go(func() {
			p, err := pc.Page(k, func() (*Page, error) {
				renders.Add(1)
				<-release
				return renderN(7)()
			})
			if err != nil {
				t.Error(err)
			}
			pages[i] = p
		})
	}
	time.Sleep(50 * time.Millisecond) // let them all miss
	close(release)
	wg.Wait()
	if n := renders.Load(); n != 1 {
		t.Errorf("%d renders for one key, want 1", n)
	}
	for i, p := range pages {
		if p != pages[0] {
			t.Errorf("caller %d got another page", i)
		}
	}
	// Later calls hit.
	if _, err := pc.Page(k, func() (*Page, error) { t.Error("rendered again"); return nil, errors.New("x") }); err != nil {
		t.Fatal(err)
	}
}

// TestCacheErrorsNotKept checks that a failed render is reported and
// tried again next time.
func TestCacheErrorsNotKept(t *testing.T) {
	pc, _ := newTestCache(t, 1<<20)
	k := Key{Gen: 1, Kind: "feed", ID: "/feed.xml"}
	boom := errors.New("boom")
	if _, err := pc.Page(k, func() (*Page, error) { return nil, boom }); !errors.Is(err, boom) {
		t.Fatalf("err = %v, want boom", err)
	}
	p, err := pc.Page(k, renderN(2))
	if err != nil || !strings.Contains(string(p.Body()), "Page 2") {
		t.Fatalf("second try: %v", err)
	}
}

// TestCacheGenerations checks that keys of two generations never meet,
// and that Clear drops everything.
func TestCacheGenerations(t *testing.T) {
	pc, _ := newTestCache(t, 1<<20)
	old, err := pc.Page(Key{Gen: 1, Kind: "home", ID: "/"}, renderN(1))
	if err != nil {
		t.Fatal(err)
	}
	pc.Clear()
	if pc.Bytes() != 0 {
		t.Errorf("%d bytes after Clear", pc.Bytes())
	}
	cur, err := pc.Page(Key{Gen: 2, Kind: "home", ID: "/"}, renderN(2))
	if err != nil {
		t.Fatal(err)
	}
	if cur == old || cur.ETag() == old.ETag() {
		t.Error("generation 2 was served generation 1's page")
	}
	if _, err := NewCache(0, nil); err == nil {
		t.Error("NewCache accepted a zero budget")
	}
}
