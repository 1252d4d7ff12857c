package watch

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

func isMarkdown(name string) bool {
	return strings.HasSuffix(name, ".md") && !strings.HasPrefix(name, ".")
}

// run watches dir until the test ends and counts the calls; onChange, when
// set, runs on every call too.
type run struct {
	calls atomic.Int32
	done  chan error
}

func watchDir(t *testing.T, dir string, o Options, onChange func()) *run {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	r := &run{done: make(chan error, 1)}
	if o.Debounce == 0 {
		o.Debounce = 30 * time.Millisecond
	}
	if o.Poll == 0 {
		o.Poll = 50 * time.Millisecond
	}
	o.Match = isMarkdown
	o.OnChange = func() {
		if onChange != nil {
			onChange()
		}
		r.calls.Add(1)
	}
	go func() { r.done <- Dir(ctx, dir, o) }()
	t.Cleanup(func() {
		cancel()
		select {
		case err := <-r.done:
			if err != nil {
				t.Errorf("Dir returned %v after cancel, want nil", err)
			}
		case <-time.After(5 * time.Second):
			t.Error("Dir did not return after its context was canceled")
		}
	})
	// Wait until the watch is registered: write until the first call.
	deadline := time.Now().Add(5 * time.Second)
	for r.calls.Load() == 0 {
		write(t, dir, "ready.md", "x")
		time.Sleep(60 * time.Millisecond)
		if time.Now().After(deadline) {
			t.Fatal("no onChange after creating ready.md")
		}
	}
	return r
}

func write(t *testing.T, dir, name, text string) {
	t.Helper()
	if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
}

// expectCall waits (bounded) for one more call than before, after doing.
func (r *run) expectCall(t *testing.T, what string, do func()) {
	t.Helper()
	time.Sleep(80 * time.Millisecond) // let earlier bursts settle
	before := r.calls.Load()
	do()
	deadline := time.Now().Add(5 * time.Second)
	for r.calls.Load() <= before {
		if time.Now().After(deadline) {
			t.Fatalf("%s: no onChange within 5 s", what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func TestDirChanges(t *testing.T) {
	dir := t.TempDir()
	write(t, dir, "a.md", "first")
	r := watchDir(t, dir, Options{}, nil)
	a := filepath.Join(dir, "a.md")

	r.expectCall(t, "write", func() { write(t, dir, "a.md", "second") })
	r.expectCall(t, "chmod", func() {
		if err := os.Chmod(a, 0o600); err != nil {
			t.Fatal(err)
		}
	})
	r.expectCall(t, "touch", func() {
		now := time.Now().Add(time.Minute)
		if err := os.Chtimes(a, now, now); err != nil {
			t.Fatal(err)
		}
	})
	r.expectCall(t, "atomic save (write a temp file, rename it over)", func() {
		write(t, dir, ".a.md.tmp", "saved")
		if err := os.Rename(filepath.Join(dir, ".a.md.tmp"), a); err != nil {
			t.Fatal(err)
		}
	})
	r.expectCall(t, "new sub-folder", func() {
		if err := os.Mkdir(filepath.Join(dir, "cat"), 0o755); err != nil {
			t.Fatal(err)
		}
	})
	r.expectCall(t, "file in the new sub-folder", func() { write(t, filepath.Join(dir, "cat"), "b.md", "b") })
	r.expectCall(t, "removal", func() {
		if err := os.Remove(a); err != nil {
			t.Fatal(err)
		}
	})

	// Files that cannot matter do not reload.
	time.Sleep(150 * time.Millisecond)
	before := r.calls.Load()
	write(t, dir, ".a.md.swp", "x")
	write(t, dir, "notes.txt", "x")
	time.Sleep(300 * time.Millisecond)
	if got := r.calls.Load(); got != before {
		t.Errorf("a swap file and a .txt file gave %d calls, want none", got-before)
	}
}

func TestDirFolderReplaced(t *testing.T) {
	parent := t.TempDir()
	dir := filepath.Join(parent, "content")
	if err := os.MkdirAll(filepath.Join(dir, "cat"), 0o755); err != nil {
		t.Fatal(err)
	}
	r := watchDir(t, dir, Options{}, nil)
	backup := filepath.Join(parent, "content.bak")

	// rm -rf DIR && cp -r DIR.bak DIR
	r.expectCall(t, "folder removed and made again", func() {
		if err := os.RemoveAll(dir); err != nil {
			t.Fatal(err)
		}
		if err := os.MkdirAll(filepath.Join(dir, "cat"), 0o755); err != nil {
			t.Fatal(err)
		}
		write(t, dir, "a.md", "back")
	})
	r.expectCall(t, "edit in the new folder", func() { write(t, dir, "a.md", "edited") })
	r.expectCall(t, "edit in the new folder's sub-folder", func() { write(t, filepath.Join(dir, "cat"), "c.md", "c") })

	// mv DIR DIR.bak; later mv DIR.bak DIR
	r.expectCall(t, "folder renamed away", func() {
		if err := os.Rename(dir, backup); err != nil {
			t.Fatal(err)
		}
	})
	time.Sleep(200 * time.Millisecond)
	// Edits to the renamed folder are no longer the content's.
	before := r.calls.Load()
	write(t, backup, "a.md", "elsewhere")
	time.Sleep(300 * time.Millisecond)
	if got := r.calls.Load(); got != before {
		t.Errorf("an edit in the folder renamed away gave %d calls, want none", got-before)
	}
	r.expectCall(t, "folder renamed back", func() {
		if err := os.Rename(backup, dir); err != nil {
			t.Fatal(err)
		}
	})
	r.expectCall(t, "edit after the folder came back", func() { write(t, dir, "a.md", "again") })

	// Replaced in one step by another folder (rename over an empty one).
	other := filepath.Join(parent, "other")
	if err := os.Mkdir(other, 0o755); err != nil {
		t.Fatal(err)
	}
	r.expectCall(t, "folder swapped for another", func() {
		if err := os.RemoveAll(dir); err != nil {
			t.Fatal(err)
		}
		if err := os.Rename(other, dir); err != nil {
			t.Fatal(err)
		}
	})
	r.expectCall(t, "edit in the swapped-in folder", func() { write(t, dir, "z.md", "z") })
}

// TestDirBurst makes 200 edits in 2 s: the calls are bounded by the burst
// cap, and the last one sees the last edit.
func TestDirBurst(t *testing.T) {
	dir := t.TempDir()
	var (
		mu   sync.Mutex
		seen []string
	)
	const maxDelay = 500 * time.Millisecond
	r := watchDir(t, dir, Options{Debounce: 150 * time.Millisecond, MaxDelay: maxDelay}, func() {
		b, _ := os.ReadFile(filepath.Join(dir, "a.md"))
		mu.Lock()
		seen = append(seen, string(b))
		mu.Unlock()
	})
	time.Sleep(200 * time.Millisecond)
	before := r.calls.Load()
	start := time.Now()
	var last string
	for i := range 200 {
		last = "edit " + strings.Repeat("x", i)
		write(t, dir, "a.md", last)
		time.Sleep(10 * time.Millisecond)
	}
	took := time.Since(start)
	time.Sleep(500 * time.Millisecond)
	calls := r.calls.Load() - before
	t.Logf("200 edits in %v: %d calls", took.Round(time.Millisecond), calls)
	// One forced call per maxDelay while the burst lasts (2 s, more on a
	// busy machine), and the final one.
	if limit := int32(took/maxDelay) + 2; calls < 1 || calls > limit {
		t.Errorf("200 edits over %v gave %d calls, want between 1 and %d", took, calls, limit)
	}
	mu.Lock()
	defer mu.Unlock()
	if got := seen[len(seen)-1]; got != last {
		t.Errorf("the last call saw %.20q…, want the last edit", got)
	}
}

func TestDirMissing(t *testing.T) {
	err := Dir(context.Background(), filepath.Join(t.TempDir(), "nope"), Options{OnChange: func() {}})
	if err == nil || !strings.Contains(err.Error(), "nope") {
		t.Errorf("Dir(missing folder) = %v, want an error naming it", err)
	}
}
