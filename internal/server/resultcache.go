package server

import (
	"hash/maphash"
	"net/http"
	"sync"
	"sync/atomic"

	"github.com/versus-dev/versus/internal/compare"
	"github.com/versus-dev/versus/internal/recommend"
	"github.com/versus-dev/versus/internal/server/pagecache"
)

// The result cache is set-associative: a key hashes to one set of
// resultCacheWays slots, and a full set gives up one of its slots. Its
// size is therefore fixed however many distinct answer sets clients send,
// and a client cannot aim its keys at the popular entries, since the hash
// is seeded per process. A result page is about 15 KB (plus a few KB for
// each compressed variant once a client asks for it), so a full cache
// holds at most about 2,048 × 22 KB ≈ 45 MB per state.
const (
	resultCacheSets = 1024
	resultCacheWays = 2
	resultCacheSize = resultCacheSets * resultCacheWays
)

// resultKind says which representation of a recommendation an entry holds.
type resultKind uint8

const (
	resultHTML resultKind = iota // the result page
	resultJSON                   // the API's recommendation body
)

// resultSeed keys the cache's hash; a new one every process.
var resultSeed = maphash.MakeSeed()

// resultEntry is one rendered recommendation. query is the canonical
// query (recommend.Encode output), so every ordering or repetition of the
// same answers shares the entry.
type resultEntry struct {
	c     *compare.Comparison
	kind  resultKind
	query string
	page  *pagecache.Page
}

// resultCache holds the recommendations rendered for one state, with the
// scorer of each comparison. It lives in the state, so a Swap or
// SetProblems, which builds a new state, drops it along with the pages it
// was rendered from; it is the one part of a state that changes after the
// state is stored, and only by replacing whole entries.
//
// Hits are one hash, at most resultCacheWays atomic loads and a string
// comparison: concurrent readers never wait for each other or for a
// writer. The zero value is ready to use.
type resultCache struct {
	slots   [resultCacheSize]atomic.Pointer[resultEntry]
	next    atomic.Uint32 // picks the slot a full set gives up, in turn
	scorers sync.Map      // *compare.Comparison → *recommend.Scorer
}

// set returns the slots key may live in.
func (rc *resultCache) set(c *compare.Comparison, kind resultKind, query string) []atomic.Pointer[resultEntry] {
	var h maphash.Hash
	h.SetSeed(resultSeed)
	h.WriteString(c.Slug)
	h.WriteByte(byte(kind))
	h.WriteString(query)
	i := int(h.Sum64()%resultCacheSets) * resultCacheWays
	return rc.slots[i : i+resultCacheWays]
}

// get returns the page cached for c's answers in the canonical query, or
// nil. A query that is not canonical never matches, since only canonical
// queries are stored: callers may look up the raw query of a request first
// and skip parsing when it hits.
func (rc *resultCache) get(c *compare.Comparison, kind resultKind, query string) *pagecache.Page {
	set := rc.set(c, kind, query)
	for i := range set {
		if e := set[i].Load(); e != nil && e.c == c && e.kind == kind && e.query == query {
			return e.page
		}
	}
	return nil
}

// put stores p for the canonical query and returns it. It takes a free
// slot of the set if there is one, and otherwise replaces one, so the
// cache never grows past resultCacheSize entries.
func (rc *resultCache) put(c *compare.Comparison, kind resultKind, query string, p *pagecache.Page) *pagecache.Page {
	e := &resultEntry{c: c, kind: kind, query: query, page: p}
	set := rc.set(c, kind, query)
	for i := range set {
		if set[i].CompareAndSwap(nil, e) {
			return p
		}
	}
	set[rc.next.Add(1)%resultCacheWays].Store(e)
	return p
}

// len counts the entries held, for tests and metrics.
func (rc *resultCache) len() int {
	n := 0
	for i := range rc.slots {
		if rc.slots[i].Load() != nil {
			n++
		}
	}
	return n
}

// newResultPage makes a cache entry servable like a prerendered page: an
// ETag, 304s, HEAD, and gzip and brotli variants. The identity body is
// ready at once; each compressed variant is computed once per entry, by
// the first request that accepts it (about 0.15 ms for gzip and 0.3 ms
// for brotli on a 15 KB result page, against about 0.1 ms to render it),
// and every later request for the entry is served it from memory.
func newResultPage(contentType string, body []byte) *pagecache.Page {
	return pagecache.NewDeferred(http.StatusOK, contentType, body, resultMaxAge)
}

// scorer returns c's prepared scorer, building it on first use: one per
// comparison and state, so the weight tables are built once per catalog
// rather than once per request.
func (rc *resultCache) scorer(c *compare.Comparison) *recommend.Scorer {
	if v, ok := rc.scorers.Load(c); ok {
		return v.(*recommend.Scorer)
	}
	v, _ := rc.scorers.LoadOrStore(c, recommend.NewScorer(c))
	return v.(*recommend.Scorer)
}
