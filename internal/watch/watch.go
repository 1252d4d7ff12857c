// Package watch reports changes to the files of one folder, coalescing a
// burst of events (an editor's save is often several: write, chmod,
// rename) into a single call, so the content is reloaded once per save.
package watch

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"time"

	"github.com/fsnotify/fsnotify"
)

// Dir calls onChange once after every burst of changes to files in dir
// whose base name match accepts (nil accepts all), when debounce has
// passed without a further change. It watches dir itself, not its
// sub-folders, which is where the catalog reads articles. It blocks until
// ctx is done, then returns nil; the error is for a folder it cannot watch.
//
// When the kernel reports that events were lost (an overflow), Dir calls
// onChange anyway: a needless reload is cheap, missing an edit is not.
// onChange runs on Dir's goroutine, so calls never overlap.
func Dir(ctx context.Context, dir string, match func(name string) bool, debounce time.Duration, onChange func()) error {
	w, err := fsnotify.NewWatcher()
	if err != nil {
		return fmt.Errorf("watch %s: %w", dir, err)
	}
	defer w.Close()
	if err := w.Add(dir); err != nil {
		return fmt.Errorf("watch %s: %w", dir, err)
	}

	timer := time.NewTimer(debounce)
	timer.Stop()
	defer timer.Stop()
	for {
		select {
		case <-ctx.Done():
			return nil
		case ev, ok := <-w.Events:
			if !ok {
				return nil
			}
			if relevant(ev, match) {
				timer.Reset(debounce)
			}
		case err, ok := <-w.Errors:
			if !ok {
				return nil
			}
			if errors.Is(err, fsnotify.ErrEventOverflow) {
				timer.Reset(debounce)
			}
		case <-timer.C:
			onChange()
		}
	}
}

// relevant keeps events that can change what a reload reads: any change
// to a matching file except a bare permission change.
func relevant(ev fsnotify.Event, match func(name string) bool) bool {
	if ev.Op == fsnotify.Chmod {
		return false
	}
	return match == nil || match(filepath.Base(ev.Name))
}
