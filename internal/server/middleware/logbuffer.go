package middleware

import (
	"fmt"
	"io"
	"sync"
	"time"
)

// LogBuffer collects log lines in memory and writes them out in batches:
// every interval, whenever the buffer would overflow, and on Flush and
// Close. One write system call per request line was about a third of the
// site's cost above a bare handler; batching makes it a memory copy.
//
// slog's text and JSON handlers write each record with one Write call, so
// lines are never split or interleaved. A line can sit in memory for up to
// one interval; Close (or Flush) before the process exits, or the last
// lines are lost. After Close every write goes straight through.
type LogBuffer struct {
	mu     sync.Mutex
	out    io.Writer
	buf    []byte
	closed bool
	err    error // the first failed write, reported by Flush and Close

	stop chan struct{}
	done chan struct{}
}

// NewLogBuffer buffers up to size bytes for out and flushes them every
// interval from a goroutine of its own, which Close stops.
func NewLogBuffer(out io.Writer, size int, interval time.Duration) *LogBuffer {
	if size <= 0 {
		size = 64 << 10
	}
	if interval <= 0 {
		interval = 100 * time.Millisecond
	}
	b := &LogBuffer{out: out, buf: make([]byte, 0, size), stop: make(chan struct{}), done: make(chan struct{})}
	go b.loop(interval)
	return b
}

func (b *LogBuffer) loop(interval time.Duration) {
	defer close(b.done)
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		select {
		case <-t.C:
			b.Flush()
		case <-b.stop:
			return
		}
	}
}

// Write keeps p for the next flush. A line larger than the whole buffer
// is written at once, after what was buffered before it.
func (b *LogBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.closed {
		return b.out.Write(p)
	}
	if len(b.buf)+len(p) > cap(b.buf) {
		b.flushLocked()
		if len(p) > cap(b.buf) {
			if _, err := b.out.Write(p); err != nil && b.err == nil {
				b.err = err
			}
			return len(p), nil
		}
	}
	b.buf = append(b.buf, p...)
	return len(p), nil
}

// Flush writes out what is buffered. Its error is the first write that
// failed since the buffer was made; the lines of a failed write are
// dropped rather than retried, so a broken output cannot fill memory.
func (b *LogBuffer) Flush() error {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.flushLocked()
	return b.errLocked()
}

func (b *LogBuffer) flushLocked() {
	if len(b.buf) == 0 {
		return
	}
	if _, err := b.out.Write(b.buf); err != nil && b.err == nil {
		b.err = err
	}
	b.buf = b.buf[:0]
}

func (b *LogBuffer) errLocked() error {
	if b.err != nil {
		return fmt.Errorf("write log: %w", b.err)
	}
	return nil
}

// Close stops the periodic flush and writes out what is buffered. Lines
// logged afterwards (a last "stopped") are written unbuffered, so none is
// lost. Close may be called more than once.
func (b *LogBuffer) Close() error {
	b.mu.Lock()
	already := b.closed
	b.closed = true
	b.flushLocked()
	err := b.errLocked()
	b.mu.Unlock()
	if !already {
		close(b.stop)
		<-b.done
	}
	return err
}
