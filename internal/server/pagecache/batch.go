package pagecache

import (
	"sync"
	"sync/atomic"
)

// Batch compresses a set of deferred pages in the background, so that a
// site with thousands of pages can serve as soon as they are rendered and
// still send every client its smallest variant shortly after. Requests
// never wait for the batch: a page it has not reached yet is compressed by
// the first request that accepts a compressed coding (see Page.Compress).
type Batch struct {
	pages   []*Page
	next    atomic.Int64 // index of the next page to take; may pass len(pages)
	stopped atomic.Bool
	done    chan struct{}
}

// Compress starts workers goroutines (at least one) that call Compress on
// each page, in order: put the pages most likely to be requested first.
// Nil pages are skipped.
func Compress(pages []*Page, workers int) *Batch {
	b := newBatch(pages)
	b.start(workers)
	return b
}

func newBatch(pages []*Page) *Batch {
	return &Batch{pages: pages, done: make(chan struct{})}
}

func (b *Batch) start(workers int) {
	workers = max(1, min(workers, len(b.pages)))
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for !b.stopped.Load() {
				i := b.next.Add(1) - 1
				if i >= int64(len(b.pages)) {
					return
				}
				if p := b.pages[i]; p != nil {
					p.Compress()
				}
			}
		})
	}
	go func() {
		wg.Wait()
		close(b.done)
	}()
}

// Stop tells the workers to take no more pages and returns at once; pages
// being compressed finish (a few milliseconds each). Call it when the pages
// are replaced, so no CPU goes to pages no one will be served. Pages the
// batch did not reach still compress on first demand. Stop on a nil Batch
// does nothing, and Stop may be called more than once.
func (b *Batch) Stop() {
	if b != nil {
		b.stopped.Store(true)
	}
}

// Done is closed when every worker has exited: all pages are compressed,
// or Stop was called and the pages in progress finished.
func (b *Batch) Done() <-chan struct{} { return b.done }

// Pending is how many pages no worker has taken yet; after Stop, those
// pages stay uncompressed until a request asks for them.
func (b *Batch) Pending() int { return max(0, len(b.pages)-int(b.next.Load())) }

// Stopped reports whether Stop was called, so an owner can check that
// replaced pages no longer take compression time.
func (b *Batch) Stopped() bool { return b.stopped.Load() }
