package watch

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/fsnotify/fsnotify"
)

func isMarkdown(name string) bool { return strings.HasSuffix(name, ".md") }

func TestRelevant(t *testing.T) {
	tests := []struct {
		ev   fsnotify.Event
		want bool
	}{
		{fsnotify.Event{Name: "/c/a.md", Op: fsnotify.Write}, true},
		{fsnotify.Event{Name: "/c/a.md", Op: fsnotify.Create}, true},
		{fsnotify.Event{Name: "/c/a.md", Op: fsnotify.Remove}, true},
		{fsnotify.Event{Name: "/c/a.md", Op: fsnotify.Rename}, true},
		{fsnotify.Event{Name: "/c/a.md", Op: fsnotify.Write | fsnotify.Chmod}, true},
		{fsnotify.Event{Name: "/c/a.md", Op: fsnotify.Chmod}, false},
		{fsnotify.Event{Name: "/c/.a.md.swp", Op: fsnotify.Write}, false},
		{fsnotify.Event{Name: "/c/a.md~", Op: fsnotify.Create}, false},
	}
	for _, tt := range tests {
		t.Run(tt.ev.String(), func(t *testing.T) {
			if got := relevant(tt.ev, isMarkdown); got != tt.want {
				t.Errorf("relevant(%v) = %v, want %v", tt.ev, got, tt.want)
			}
		})
	}
	if !relevant(fsnotify.Event{Name: "/c/x.swp", Op: fsnotify.Write}, nil) {
		t.Error("a nil match must accept every file")
	}
}

// waitCalls waits (bounded) until calls reaches at least n.
func waitCalls(t *testing.T, calls *atomic.Int32, n int32) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for calls.Load() < n {
		if time.Now().After(deadline) {
			t.Fatalf("onChange called %d times, want at least %d", calls.Load(), n)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func TestDir(t *testing.T) {
	dir := t.TempDir()
	ctx, cancel := context.WithCancel(context.Background())
	var calls atomic.Int32
	done := make(chan error, 1)
	go func() {
		done <- Dir(ctx, dir, isMarkdown, 50*time.Millisecond, func() { calls.Add(1) })
	}()
	// Let the watcher register before writing: poll by writing until the
	// first event lands, which is what the later steps rely on anyway.
	write := func(name, text string) {
		t.Helper()
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	deadline := time.Now().Add(5 * time.Second)
	for calls.Load() == 0 {
		write("a.md", "first")
		time.Sleep(100 * time.Millisecond)
		if time.Now().After(deadline) {
			t.Fatal("no onChange after creating a.md")
		}
	}

	t.Run("a burst of writes is coalesced", func(t *testing.T) {
		before := calls.Load()
		for i := range 10 {
			write("a.md", strings.Repeat("x", i))
		}
		waitCalls(t, &calls, before+1)
		if got := calls.Load() - before; got >= 10 {
			t.Errorf("10 writes gave %d calls, want them coalesced", got)
		}
	})

	t.Run("an editor's atomic save (write temp, rename) is seen", func(t *testing.T) {
		before := calls.Load()
		write(".a.md.tmp", "saved")
		if err := os.Rename(filepath.Join(dir, ".a.md.tmp"), filepath.Join(dir, "a.md")); err != nil {
			t.Fatal(err)
		}
		waitCalls(t, &calls, before+1)
	})

	t.Run("removal is seen", func(t *testing.T) {
		before := calls.Load()
		if err := os.Remove(filepath.Join(dir, "a.md")); err != nil {
			t.Fatal(err)
		}
		waitCalls(t, &calls, before+1)
	})

	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("Dir returned %v after cancel, want nil", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Dir did not return after its context was canceled")
	}
}

func TestDirMissing(t *testing.T) {
	err := Dir(context.Background(), filepath.Join(t.TempDir(), "nope"), nil, time.Millisecond, func() {})
	if err == nil || !strings.Contains(err.Error(), "nope") {
		t.Errorf("Dir(missing folder) = %v, want an error naming it", err)
	}
}
