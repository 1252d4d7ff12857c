package server

import (
	"fmt"
	"net/http"
	"strconv"
	"sync"
	"time"
)

// livePath is the server-sent events stream watch-mode pages listen to
// (static/live.js): an event on every reload, valid or rejected, tells
// them to load again. It exists only in watch mode.
const livePath = "/_live"

// live counts content generations and wakes every listener when one ends.
// The generation is prefixed by the process's start time, so a page that
// reconnects to a restarted server sees a new value and reloads too.
type live struct {
	boot string
	mu   sync.Mutex
	gen  uint64
	next chan struct{} // closed when gen moves on
}

func newLive() *live {
	return &live{boot: strconv.FormatInt(time.Now().UnixNano(), 36), next: make(chan struct{})}
}

// bump starts a new generation: called after every reload, the valid ones
// and the rejected ones. A nil live (not watch mode) does nothing.
func (l *live) bump() {
	if l == nil {
		return
	}
	l.mu.Lock()
	l.gen++
	close(l.next)
	l.next = make(chan struct{})
	l.mu.Unlock()
}

func (l *live) current() (string, <-chan struct{}) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.boot + "-" + strconv.FormatUint(l.gen, 10), l.next
}

// liveKeepAlive is how often an idle stream gets a comment line, so proxies
// and the browser keep it open and a closed tab is noticed.
const liveKeepAlive = 15 * time.Second

// serveLive streams `event: generation` with the current generation at
// once and again after each reload, until the browser goes away.
func (s *Server) serveLive(w http.ResponseWriter, r *http.Request) {
	rc := http.NewResponseController(w)
	// The stream outlives the server's write timeout, which is for pages.
	_ = rc.SetWriteDeadline(time.Time{})
	h := w.Header()
	h.Set("Content-Type", "text/event-stream")
	h.Set("Cache-Control", "no-store")
	h.Set("X-Accel-Buffering", "no")
	w.WriteHeader(http.StatusOK)
	if r.Method == http.MethodHead {
		return
	}
	gen, next := s.live.current()
	fmt.Fprintf(w, "retry: 500\n\nevent: generation\ndata: %s\n\n", gen)
	if rc.Flush() != nil {
		return
	}
	tick := time.NewTicker(liveKeepAlive)
	defer tick.Stop()
	for {
		select {
		case <-r.Context().Done():
			return
		case <-tick.C:
			fmt.Fprint(w, ": keep-alive\n\n")
		case <-next:
			gen, next = s.live.current()
			fmt.Fprintf(w, "event: generation\ndata: %s\n\n", gen)
		}
		if rc.Flush() != nil {
			return
		}
	}
}
