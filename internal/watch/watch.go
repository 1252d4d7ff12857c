// Package watch reports changes to the files of one folder and its
// sub-folders, coalescing a burst of events (an editor's save is often
// several: write, chmod, rename) into a single call, so the content is
// reloaded once per save. It keeps watching when the folder itself is
// removed, renamed or replaced, and picks it up again when it returns.
package watch

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/fsnotify/fsnotify"
)

// Options say what to watch for and what to call.
type Options struct {
	// Match says which files' changes matter, by base name; nil accepts
	// all. Folders always matter: a category is a sub-folder.
	Match func(name string) bool
	// Debounce is the quiet time after the last change before OnChange
	// runs (default 100 ms).
	Debounce time.Duration
	// MaxDelay caps how long a burst that never goes quiet delays
	// OnChange (default 1 s): 200 edits in 2 s give about 3 calls, the
	// last after the last edit.
	MaxDelay time.Duration
	// Poll is how often the folder is checked to still be the one being
	// watched (default 500 ms): it is what notices the folder removed and
	// back again, whatever the kernel reported.
	Poll time.Duration
	// OnChange is called after each burst, on Dir's goroutine, so calls
	// never overlap. It must not be nil.
	OnChange func()
	// Log receives what happens to the folder (gone, back, replaced) and
	// watch errors; nil discards them.
	Log *slog.Logger
}

// Dir calls o.OnChange once after every burst of changes under dir, when
// o.Debounce has passed without a further change (or o.MaxDelay since the
// burst began). Every kind of change counts, including a bare chmod or a
// touch: fixing a file's permissions must reload it. New sub-folders are
// watched as they appear; folders whose name starts with "." are not.
//
// When dir is removed, renamed away or replaced by another folder, Dir
// logs it, calls OnChange (the reload then reports the folder missing),
// and watches the folder at that path again as soon as there is one,
// calling OnChange once more. When the kernel reports that events were
// lost (an overflow), Dir calls OnChange anyway: a needless reload is
// cheap, missing an edit is not.
//
// Dir blocks until ctx is done, then returns nil; the error is for a
// folder it cannot start watching.
func Dir(ctx context.Context, dir string, o Options) error {
	if o.Debounce <= 0 {
		o.Debounce = 100 * time.Millisecond
	}
	if o.MaxDelay < o.Debounce {
		o.MaxDelay = max(o.Debounce, time.Second)
	}
	if o.Poll <= 0 {
		o.Poll = 500 * time.Millisecond
	}
	if o.Log == nil {
		o.Log = slog.New(slog.DiscardHandler)
	}
	wt := &watcher{dir: filepath.Clean(dir), o: o}
	if err := wt.start(); err != nil {
		return fmt.Errorf("watch %s: %w", dir, err)
	}
	defer wt.stop()

	poll := time.NewTicker(o.Poll)
	defer poll.Stop()
	timer := time.NewTimer(time.Hour)
	timer.Stop()
	defer timer.Stop()
	pending, first := false, time.Time{}
	schedule := func() {
		now := time.Now()
		if !pending {
			pending, first = true, now
		}
		timer.Reset(max(0, min(o.Debounce, o.MaxDelay-now.Sub(first))))
	}
	for {
		var (
			events <-chan fsnotify.Event
			errs   <-chan error
		)
		if wt.w != nil {
			events, errs = wt.w.Events, wt.w.Errors
		}
		select {
		case <-ctx.Done():
			return nil
		case ev, ok := <-events:
			if !ok || wt.handle(ev) {
				schedule()
			}
		case err, ok := <-errs:
			if !ok {
				continue
			}
			if errors.Is(err, fsnotify.ErrEventOverflow) {
				wt.o.Log.Warn("content watcher lost events (too many at once); reloading everything", slog.String("dir", dir))
				wt.addTree(wt.dir) // sub-folders made during the overflow
				schedule()
				continue
			}
			wt.o.Log.Warn("content watcher error", slog.String("dir", dir), slog.Any("error", err))
		case <-poll.C:
			if wt.check() {
				schedule()
			}
		case <-timer.C:
			pending = false
			o.OnChange()
		}
	}
}

// watcher is Dir's state: the fsnotify watcher (nil while the folder is
// missing), the folder it watches and the folders under it.
type watcher struct {
	dir  string
	o    Options
	w    *fsnotify.Watcher
	root os.FileInfo // dir as it was when watched, to notice it replaced
	dirs map[string]bool
}

// start watches dir and every sub-folder.
func (wt *watcher) start() error {
	fi, err := os.Stat(wt.dir)
	if err != nil {
		return err
	}
	if !fi.IsDir() {
		return fmt.Errorf("%s is not a folder", wt.dir)
	}
	w, err := fsnotify.NewWatcher()
	if err != nil {
		return err
	}
	if err := w.Add(wt.dir); err != nil {
		w.Close()
		return err
	}
	wt.w, wt.root, wt.dirs = w, fi, map[string]bool{wt.dir: true}
	wt.addTree(wt.dir)
	return nil
}

func (wt *watcher) stop() {
	if wt.w != nil {
		wt.w.Close()
		wt.w, wt.root, wt.dirs = nil, nil, nil
	}
}

// addTree watches every folder under top not watched yet, skipping hidden
// ones (.git and the like).
func (wt *watcher) addTree(top string) {
	if wt.w == nil {
		return
	}
	filepath.WalkDir(top, func(path string, d fs.DirEntry, err error) error {
		if err != nil || !d.IsDir() {
			return nil
		}
		if path != wt.dir && strings.HasPrefix(d.Name(), ".") {
			return filepath.SkipDir
		}
		if !wt.dirs[path] {
			if err := wt.w.Add(path); err != nil {
				wt.o.Log.Warn("cannot watch a content sub-folder; its edits will not reload", slog.String("dir", path), slog.Any("error", err))
				return filepath.SkipDir
			}
			wt.dirs[path] = true
		}
		return nil
	})
}

// handle keeps the watch up to date with ev and says whether ev can change
// what a reload reads.
func (wt *watcher) handle(ev fsnotify.Event) bool {
	name := filepath.Clean(ev.Name)
	if name == wt.dir {
		if ev.Has(fsnotify.Remove | fsnotify.Rename) {
			// The folder itself was removed or renamed, so its watch is
			// gone. Watch again from scratch: a folder made again at
			// the path can reuse the old one's inode number, which
			// check would take for the folder it watches, and then no
			// event would ever come.
			wt.stop()
			if fi, err := os.Stat(wt.dir); err != nil || !fi.IsDir() {
				wt.logGone()
				return true // the poll watches it again when it is back
			}
		}
		wt.check()
		return true
	}
	if wt.dirs[name] && ev.Has(fsnotify.Remove|fsnotify.Rename) {
		// A renamed folder is still watched under its old name; drop it
		// and what was under it.
		for d := range wt.dirs {
			if d == name || strings.HasPrefix(d, name+string(filepath.Separator)) {
				wt.w.Remove(d)
				delete(wt.dirs, d)
			}
		}
		return true
	}
	if ev.Has(fsnotify.Create) {
		if fi, err := os.Lstat(name); err == nil && fi.IsDir() {
			if strings.HasPrefix(filepath.Base(name), ".") {
				return false
			}
			wt.addTree(name)
			return true
		}
	}
	return wt.o.Match == nil || wt.o.Match(filepath.Base(name))
}

func (wt *watcher) logGone() {
	wt.o.Log.Warn("content folder is gone; still serving the last good content, and watching for it to come back", slog.String("dir", wt.dir))
}

// check compares the folder at dir with the one watched: it says whether
// that changed (gone, back or replaced), watching again where it can.
func (wt *watcher) check() bool {
	fi, err := os.Stat(wt.dir)
	present := err == nil && fi.IsDir()
	switch {
	case wt.w != nil && !present:
		wt.stop()
		wt.logGone()
		return true
	case wt.w != nil && !os.SameFile(fi, wt.root):
		wt.stop()
		if err := wt.start(); err != nil {
			wt.o.Log.Warn("content folder was replaced and cannot be watched; trying again", slog.String("dir", wt.dir), slog.Any("error", err))
			return true
		}
		wt.o.Log.Info("content folder was replaced; watching the new one", slog.String("dir", wt.dir))
		return true
	case wt.w == nil && present:
		if err := wt.start(); err != nil {
			return false // try again at the next poll
		}
		wt.o.Log.Info("content folder is back; watching it again", slog.String("dir", wt.dir))
		return true
	}
	return false
}
