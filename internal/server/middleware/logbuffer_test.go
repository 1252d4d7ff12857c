package middleware

import (
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"
)

// countingWriter records each Write it receives, so a test sees batching.
type countingWriter struct {
	mu     sync.Mutex
	writes []string
	fail   error
}

func (w *countingWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.fail != nil {
		return 0, w.fail
	}
	w.writes = append(w.writes, string(p))
	return len(p), nil
}

func (w *countingWriter) got() (all string, n int) {
	w.mu.Lock()
	defer w.mu.Unlock()
	return strings.Join(w.writes, ""), len(w.writes)
}

// hour keeps the periodic flush out of the way of tests of the other ones.
const hour = time.Hour

func TestLogBuffer(t *testing.T) {
	tests := []struct {
		name       string
		size       int
		lines      []string
		wantBefore string // written before Flush
		wantWrites int    // Write calls on the output after Flush
	}{
		{"held until flushed", 64, []string{"a\n", "b\n"}, "", 1},
		{"overflow writes what came before", 4, []string{"ab\n", "cd\n"}, "ab\n", 2},
		{"line larger than the buffer goes straight out", 4, []string{"a\n", "long line\n", "b\n"}, "a\nlong line\n", 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out := &countingWriter{}
			b := NewLogBuffer(out, tt.size, hour)
			defer b.Close()
			for _, l := range tt.lines {
				if n, err := b.Write([]byte(l)); n != len(l) || err != nil {
					t.Fatalf("Write(%q) = %d, %v", l, n, err)
				}
			}
			if got, _ := out.got(); got != tt.wantBefore {
				t.Errorf("before Flush the output has %q, want %q", got, tt.wantBefore)
			}
			if err := b.Flush(); err != nil {
				t.Fatal(err)
			}
			got, n := out.got()
			if want := strings.Join(tt.lines, ""); got != want {
				t.Errorf("after Flush the output has %q, want %q", got, want)
			}
			if n != tt.wantWrites {
				t.Errorf("%d writes to the output, want %d", n, tt.wantWrites)
			}
		})
	}
}

// TestLogBufferClose checks the shutdown path: Close writes what is
// buffered, and lines logged after it are not lost.
func TestLogBufferClose(t *testing.T) {
	out := &countingWriter{}
	b := NewLogBuffer(out, 1024, hour)
	log := slog.New(slog.NewTextHandler(b, nil))
	log.Info("shutting down")
	if got, _ := out.got(); got != "" {
		t.Fatalf("written before Close: %q", got)
	}
	if err := b.Close(); err != nil {
		t.Fatal(err)
	}
	if got, _ := out.got(); !strings.Contains(got, "msg=\"shutting down\"") {
		t.Fatalf("after Close the output has %q, want the buffered line", got)
	}
	log.Info("stopped")
	if got, _ := out.got(); !strings.Contains(got, "msg=stopped") {
		t.Errorf("a line logged after Close was not written: %q", got)
	}
	if err := b.Close(); err != nil {
		t.Errorf("second Close: %v", err)
	}
}

// TestLogBufferPeriodic checks that lines reach the output without any
// Flush call, which is what a quiet server relies on.
func TestLogBufferPeriodic(t *testing.T) {
	out := &countingWriter{}
	b := NewLogBuffer(out, 1024, 10*time.Millisecond)
	defer b.Close()
	b.Write([]byte("line\n"))
	deadline := time.Now().Add(5 * time.Second)
	for {
		if got, _ := out.got(); got == "line\n" {
			return
		}
		if time.Now().After(deadline) {
			t.Fatal("the buffered line was not flushed within 5 s")
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// TestLogBufferConcurrent logs from many goroutines through a real slog
// handler: every line arrives whole, none twice, none lost.
func TestLogBufferConcurrent(t *testing.T) {
	out := &countingWriter{}
	b := NewLogBuffer(out, 512, time.Millisecond)
	log := slog.New(slog.NewJSONHandler(b, nil))
	const workers, each = 8, 200
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range each {
				log.Info("request", slog.String("id", fmt.Sprintf("%d-%d", w, i)))
			}
		}()
	}
	wg.Wait()
	if err := b.Close(); err != nil {
		t.Fatal(err)
	}
	got, _ := out.got()
	seen := map[string]bool{}
	for _, line := range strings.Split(strings.TrimSuffix(got, "\n"), "\n") {
		i := strings.Index(line, `"id":"`)
		if !strings.HasPrefix(line, "{") || !strings.HasSuffix(line, "}") || i < 0 {
			t.Fatalf("damaged line %q", line)
		}
		id := line[i+6 : len(line)-2]
		if seen[id] {
			t.Fatalf("line %s written twice", id)
		}
		seen[id] = true
	}
	if len(seen) != workers*each {
		t.Errorf("%d lines written, want %d", len(seen), workers*each)
	}
}

// TestLogBufferWriteError checks that a failing output is reported by
// Flush rather than silently ignored.
func TestLogBufferWriteError(t *testing.T) {
	out := &countingWriter{fail: errors.New("disk full")}
	b := NewLogBuffer(out, 64, hour)
	defer b.Close()
	b.Write([]byte("a\n"))
	if err := b.Flush(); err == nil || !strings.Contains(err.Error(), "disk full") {
		t.Errorf("Flush = %v, want the output's error", err)
	}
}
