package pagecache

import (
	"errors"
	"strconv"
	"time"

	"github.com/maypok86/otter/v2"
	"github.com/prometheus/client_golang/prometheus"
	"golang.org/x/sync/singleflight"
)

// Key names one cached value. Gen is the generation of the content it was
// rendered from: a server that swaps its catalog moves to a new generation
// and never asks for an older one again, so nothing rendered from old
// content is served after a swap, even by a render that was still running
// when the swap happened. Kind is the page kind (the metrics label: a small
// fixed set), and ID tells the values of one kind apart (a path with its
// canonical query, a card's content…).
type Key struct {
	Gen  uint64
	Kind string
	ID   string
}

// flightKey is the key as a string, for singleflight.
func (k Key) flightKey() string {
	return strconv.FormatUint(k.Gen, 36) + "\x00" + k.Kind + "\x00" + k.ID
}

// Value is anything the cache holds: a Page, or a value pages are rendered
// from (a parsed article) that is worth keeping under the same budget.
type Value interface {
	// Size is the memory the value holds, in bytes. It may grow (a Page
	// gains compressed variants); the cache is told by Cache.Page's hook.
	Size() int
}

// Cache holds rendered pages, and values they are rendered from, within a
// byte budget. Eviction is otter's W-TinyLFU: an entry is admitted in
// place of an older one only when it is asked for more often, so a flood of
// one-off keys (any answers in a result URL) cannot push the popular pages
// out, and the weight of every entry is its size in bytes, so the budget is
// a number of bytes, not of entries. Concurrent misses for one key run the
// render once (singleflight); the others wait for it.
//
// The zero value is not usable: build it with NewCache.
type Cache struct {
	c      *otter.Cache[Key, Value]
	flight singleflight.Group

	hits, misses, evictions prometheus.Counter
	renders                 *prometheus.HistogramVec
}

// NewCache returns a cache that holds at most budget bytes (at least 1),
// with its metrics registered in reg (nil: not registered).
func NewCache(budget int64, reg prometheus.Registerer) (*Cache, error) {
	if budget < 1 {
		return nil, errors.New("page cache: the budget must be at least 1 byte")
	}
	pc := &Cache{
		hits: prometheus.NewCounter(prometheus.CounterOpts{
			Namespace: "versus", Name: "cache_hits_total",
			Help: "Lookups in the page cache that found the value rendered.",
		}),
		misses: prometheus.NewCounter(prometheus.CounterOpts{
			Namespace: "versus", Name: "cache_misses_total",
			Help: "Lookups in the page cache that had to render (or wait for a render of) the value.",
		}),
		evictions: prometheus.NewCounter(prometheus.CounterOpts{
			Namespace: "versus", Name: "cache_evictions_total",
			Help: "Values the page cache dropped to stay within its byte budget.",
		}),
		renders: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Namespace: "versus", Name: "render_duration_seconds",
			Help: "Time to render a value on a cache miss, by page kind; the count is the number of renders.",
			// A result page renders in about 0.1 ms, a comparison page
			// with its article parse in 2 ms, a preview card in 20 ms.
			Buckets: []float64{.00005, .0001, .00025, .0005, .001, .0025, .005, .01, .025, .05, .1, .25},
		}, []string{"kind"}),
	}
	c, err := otter.New(&otter.Options[Key, Value]{
		MaximumWeight: uint64(budget),
		Weigher: func(k Key, v Value) uint32 {
			return uint32(min(int64(v.Size())+int64(len(k.Kind)+len(k.ID)), 1<<32-1))
		},
		OnDeletion: func(e otter.DeletionEvent[Key, Value]) {
			if e.Cause.IsEviction() {
				pc.evictions.Inc()
			}
		},
	})
	if err != nil {
		return nil, err
	}
	pc.c = c
	if reg != nil {
		bytes := prometheus.NewGaugeFunc(prometheus.GaugeOpts{
			Namespace: "versus", Name: "cache_bytes",
			Help: "Bytes held by the page cache: every rendered page with its compressed variants, and the parsed articles.",
		}, func() float64 { return float64(c.WeightedSize()) })
		budgetG := prometheus.NewGauge(prometheus.GaugeOpts{
			Namespace: "versus", Name: "cache_budget_bytes",
			Help: "The page cache's byte budget (-cache-size).",
		})
		budgetG.Set(float64(budget))
		for _, col := range []prometheus.Collector{pc.hits, pc.misses, pc.evictions, pc.renders, bytes, budgetG} {
			if err := reg.Register(col); err != nil {
				return nil, err
			}
		}
	}
	return pc, nil
}

// Get returns the value cached under k, calling load on a miss and keeping
// what it returns. Concurrent misses for k share one call of load. Errors
// are returned and not kept: the next request tries again.
func (pc *Cache) Get(k Key, load func() (Value, error)) (Value, error) {
	if v, ok := pc.c.GetIfPresent(k); ok {
		pc.hits.Inc()
		return v, nil
	}
	pc.misses.Inc()
	v, err, _ := pc.flight.Do(k.flightKey(), func() (any, error) {
		// A flight that ended just before this one began may have
		// stored the value already.
		if v, ok := pc.c.GetIfPresent(k); ok {
			return v, nil
		}
		start := time.Now()
		v, err := load()
		if err != nil {
			return nil, err
		}
		pc.renders.WithLabelValues(k.Kind).Observe(time.Since(start).Seconds())
		pc.c.Set(k, v)
		return v, nil
	})
	if err != nil {
		return nil, err
	}
	return v.(Value), nil
}

// Page is Get for pages: render builds the page on a miss, and the cache
// counts each compressed variant as the first request that wants it adds
// it.
func (pc *Cache) Page(k Key, render func() (*Page, error)) (*Page, error) {
	v, err := pc.Get(k, func() (Value, error) {
		p, err := render()
		if err != nil {
			return nil, err
		}
		p.grown = func() { pc.reweigh(k, p) }
		return p, nil
	})
	if err != nil {
		return nil, err
	}
	p, ok := v.(*Page)
	if !ok {
		return nil, errors.New("page cache: key " + k.Kind + " " + k.ID + " holds a value that is not a page")
	}
	return p, nil
}

// Lookup returns the page cached under k, without rendering anything on
// a miss (which is not counted: the caller goes on to Page or Get).
func (pc *Cache) Lookup(k Key) (*Page, bool) {
	v, ok := pc.c.GetIfPresent(k)
	if !ok {
		return nil, false
	}
	p, ok := v.(*Page)
	if ok {
		pc.hits.Inc()
	}
	return p, ok
}

// reweigh stores p again under k, if it is still there, so that the
// budget counts the variant it just gained.
func (pc *Cache) reweigh(k Key, p *Page) {
	pc.c.ComputeIfPresent(k, func(old Value) (Value, otter.ComputeOp) {
		if old != Value(p) {
			return old, otter.CancelOp
		}
		return p, otter.WriteOp
	})
}

// Clear drops every value, for a new generation: the old one's values
// would only take room until they were evicted.
func (pc *Cache) Clear() { pc.c.InvalidateAll() }

// Bytes is the weight held: the sum of the sizes of the values, after the
// evictions the cache still owed (otter evicts in batches).
func (pc *Cache) Bytes() int64 {
	pc.c.CleanUp()
	return int64(pc.c.WeightedSize())
}

// Invalidate drops the value under k, if any (benchmarks measure misses
// with it).
func (pc *Cache) Invalidate(k Key) { pc.c.Invalidate(k) }

// Count is the number of values held of generation gen and kind, for
// tests; it walks the whole cache.
func (pc *Cache) Count(gen uint64, kind string) int {
	n := 0
	for k := range pc.c.Keys() {
		if k.Gen == gen && k.Kind == kind {
			n++
		}
	}
	return n
}

// Len is the number of values held.
func (pc *Cache) Len() int { return pc.c.EstimatedSize() }
