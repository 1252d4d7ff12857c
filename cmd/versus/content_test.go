package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// runWithin runs versus with args and fails the test if it has not
// returned within limit: what must never hang is given a deadline here.
func runWithin(t *testing.T, limit time.Duration, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb syncBuffer
	done := make(chan error, 1)
	go func() { done <- run(context.Background(), args, &out, &errb) }()
	select {
	case err := <-done:
		return exitCode(err, &errb), out.String(), errb.String()
	case <-time.After(limit):
		t.Fatalf("versus %s still running after %v; stderr:\n%s", strings.Join(args, " "), limit, errb.String())
		return 0, "", ""
	}
}

// hostileDir is a copy of testdata/good with entry added by add.
func hostileDir(t *testing.T, add func(dir string) error) string {
	t.Helper()
	dir := t.TempDir()
	src, err := os.ReadFile("testdata/good/alpha-vs-beta.md")
	if err != nil {
		t.Fatal(err)
	}
	writeFile(t, filepath.Join(dir, "alpha-vs-beta.md"), string(src))
	if err := add(dir); err != nil {
		t.Skipf("cannot make the entry: %v", err)
	}
	return dir
}

// TestCheckHostileEntries: a symlink to /dev/zero, a named pipe and an
// article over the size limit are each a problem naming the file, found
// at once, never a read that fills the memory or blocks.
func TestCheckHostileEntries(t *testing.T) {
	tests := []struct {
		name  string
		add   func(dir string) error
		args  []string
		wants string
	}{
		{"symlink to /dev/zero", func(dir string) error { return os.Symlink("/dev/zero", filepath.Join(dir, "zero.md")) },
			nil, `zero.md: is a symbolic link to "/dev/zero", outside the content folder`},
		{"named pipe", func(dir string) error { return syscall.Mkfifo(filepath.Join(dir, "pipe.md"), 0o644) },
			nil, "pipe.md: is a named pipe (FIFO), not a regular file"},
		{"too large", func(dir string) error {
			return os.WriteFile(filepath.Join(dir, "big.md"), bytes.Repeat([]byte("x"), 3<<20), 0o644)
		}, nil, "big.md: is 3 MiB, over the limit of 2 MiB per article"},
		{"too large for the flag", func(dir string) error {
			return os.WriteFile(filepath.Join(dir, "big.md"), bytes.Repeat([]byte("x"), 20<<10), 0o644)
		}, []string{"-max-article-size", "16KiB"}, "big.md: is 20 KiB, over the limit of 16 KiB per article"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := hostileDir(t, tt.add)
			args := append(append([]string{"check"}, tt.args...), dir)
			code, _, stderr := runWithin(t, 10*time.Second, args...)
			if code != 1 || !strings.Contains(stderr, filepath.Join(dir, tt.wants)) || !strings.Contains(stderr, "1 problem in 1 file") {
				t.Errorf("exit %d, stderr:\n%s\nwant 1 and %q", code, stderr, tt.wants)
			}
			// serve refuses to start on it the same way, promptly.
			code, _, stderr = runWithin(t, 10*time.Second, append(append([]string{"serve", "-addr", "127.0.0.1:0"}, tt.args...), "-content", dir)...)
			if code != 1 || !strings.Contains(stderr, tt.wants) || strings.Contains(stderr, "listening") {
				t.Errorf("serve: exit %d, stderr:\n%s\nwant 1 and %q, not listening", code, stderr, tt.wants)
			}
		})
	}
	t.Run("bad size flag", func(t *testing.T) {
		code, _, stderr := runWithin(t, 5*time.Second, "check", "-max-article-size", "lots", "testdata/good")
		if code != 2 || !strings.Contains(stderr, "want a positive size such as 2MiB") {
			t.Errorf("exit %d, stderr:\n%s", code, stderr)
		}
	})
}

// TestCheckCanceled: a signal ends check with status 1 at once.
func TestCheckCanceled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	var stderr bytes.Buffer
	err := run(ctx, []string{"check", "testdata/good"}, io.Discard, &stderr)
	if code := exitCode(err, &stderr); code != 1 || !strings.Contains(stderr.String(), "check stopped before the end: context canceled") {
		t.Errorf("exit %d, stderr %q", code, stderr.String())
	}
}

// TestWatchPipeAndSignal: in watch mode a named pipe is a problem on the
// page, edits still reload, and cancelling (SIGTERM) ends run promptly.
func TestWatchPipeAndSignal(t *testing.T) {
	dir := hostileDir(t, func(dir string) error { return syscall.Mkfifo(filepath.Join(dir, "pipe.md"), 0o644) })
	r := startServe(t, "-content", dir, "-watch")
	res, body := get(t, r.url+"/")
	if res.StatusCode != http.StatusServiceUnavailable || !strings.Contains(body, "pipe.md: is a named pipe (FIFO)") {
		t.Fatalf("GET /: %d %q; want 503 naming the pipe", res.StatusCode, body)
	}
	if err := os.Remove(filepath.Join(dir, "pipe.md")); err != nil {
		t.Fatal(err)
	}
	r.eventually(t, "pipe removed", func() string {
		if res, _ := get(t, r.url+"/compare/alpha-vs-beta"); res.StatusCode != 200 {
			return fmt.Sprintf("status %d", res.StatusCode)
		}
		return ""
	})
	if err := syscall.Mkfifo(filepath.Join(dir, "pipe2.md"), 0o644); err != nil {
		t.Fatal(err)
	}
	r.eventually(t, "second pipe", func() string {
		if _, body := get(t, r.url+"/compare/alpha-vs-beta"); !strings.Contains(body, "pipe2.md: is a named pipe") {
			return "no banner naming pipe2.md"
		}
		return ""
	})
	start := time.Now()
	if err := r.stop(t); err != nil {
		t.Fatalf("run returned %v", err)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("run took %v to stop", d)
	}
}

// TestWatchFolderReplaced: rm -rf DIR && cp -r DIR.bak DIR while serving.
// The site says the folder is gone, keeps the last good pages, and serves
// the new folder's content, and its edits, once it is back.
func TestWatchFolderReplaced(t *testing.T) {
	dir := copyContent(t)
	backup := copyContent(t)
	r := startServe(t, "-content", dir, "-watch")
	page := r.url + "/compare/django-vs-flask"
	if err := os.RemoveAll(dir); err != nil {
		t.Fatal(err)
	}
	r.eventually(t, "folder removed", func() string {
		res, body := get(t, page)
		if res.StatusCode != 200 {
			return fmt.Sprintf("status %d: the last good page is gone", res.StatusCode)
		}
		if !strings.Contains(body, "the content folder is gone") {
			return "no banner saying the folder is gone"
		}
		return ""
	})
	waitLog(t, r.stderr, r.done, "content folder is gone; still serving the last good content, and watching for it to come back")

	if err := os.CopyFS(dir, os.DirFS(backup)); err != nil {
		t.Fatal(err)
	}
	r.eventually(t, "folder back", func() string {
		if _, body := get(t, page); strings.Contains(body, `data-testid="problem-banner"`) {
			return "the banner is still up"
		}
		return ""
	})
	waitLog(t, r.stderr, r.done, "content folder is back; watching it again")
	article := filepath.Join(dir, "python-web-frameworks", "django-vs-flask.md") // in a category sub-folder
	orig, err := os.ReadFile(article)
	if err != nil {
		t.Fatal(err)
	}
	writeFile(t, article, string(bytes.Replace(orig, []byte("\ntitle: Django vs Flask\n"), []byte("\ntitle: Django vs Flask, after the copy\n"), 1)))
	r.eventually(t, "edit in the new folder", func() string {
		if _, body := get(t, page); !strings.Contains(body, "Django vs Flask, after the copy") {
			return "without the new title"
		}
		return ""
	})
}

// TestWatchTouchAndChmod changes an article's bytes through a hard link
// outside the folder, which the folder's watch does not see; then a bare
// touch, and a bare chmod, must each reload it.
func TestWatchTouchAndChmod(t *testing.T) {
	dir := t.TempDir()
	good, err := os.ReadFile("testdata/good/alpha-vs-beta.md")
	if err != nil {
		t.Fatal(err)
	}
	bad, err := os.ReadFile("testdata/broken/alpha-vs-beta.md")
	if err != nil {
		t.Fatal(err)
	}
	article := filepath.Join(dir, "alpha-vs-beta.md")
	writeFile(t, article, string(good))
	outside := filepath.Join(t.TempDir(), "link.md")
	if err := os.Link(article, outside); err != nil {
		t.Skipf("hard link: %v", err)
	}
	// Rewrite in place (no new inode), as the link requires.
	rewrite := func(b []byte) {
		t.Helper()
		f, err := os.OpenFile(outside, os.O_WRONLY|os.O_TRUNC, 0)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.Write(b); err != nil {
			t.Fatal(err)
		}
		f.Close()
	}
	r := startServe(t, "-content", dir, "-watch")
	page := r.url + "/compare/alpha-vs-beta"
	hasBanner := func() bool {
		_, body := get(t, page)
		return strings.Contains(body, "alpha-vs-beta.md:43: ")
	}

	rewrite(bad)
	time.Sleep(500 * time.Millisecond)
	if hasBanner() {
		t.Fatal("an edit through the outside link reloaded: this test cannot tell touch from write")
	}
	later := time.Now().Add(time.Minute)
	if err := os.Chtimes(article, later, later); err != nil {
		t.Fatal(err)
	}
	r.eventually(t, "touch", func() string {
		if !hasBanner() {
			return "no banner after touch"
		}
		return ""
	})

	rewrite(good)
	time.Sleep(500 * time.Millisecond)
	if !hasBanner() {
		t.Fatal("an edit through the outside link reloaded")
	}
	if err := os.Chmod(article, 0o600); err != nil {
		t.Fatal(err)
	}
	r.eventually(t, "chmod", func() string {
		if hasBanner() {
			return "banner still up after chmod"
		}
		return ""
	})
}

// TestWatchRefusesOutsideSymlink: a symlinked article that points outside
// the folder is never published.
func TestWatchRefusesOutsideSymlink(t *testing.T) {
	dir := t.TempDir()
	good, err := os.ReadFile("testdata/good/alpha-vs-beta.md")
	if err != nil {
		t.Fatal(err)
	}
	writeFile(t, filepath.Join(dir, "alpha-vs-beta.md"), string(good))
	r := startServe(t, "-content", dir, "-watch")
	secret := filepath.Join(t.TempDir(), "gamma-vs-delta.md")
	writeFile(t, secret, strings.Replace(string(good), "alpha", "gamma", -1))
	if err := os.Symlink(secret, filepath.Join(dir, "gamma-vs-delta.md")); err != nil {
		t.Fatal(err)
	}
	r.eventually(t, "symlink added", func() string {
		_, body := get(t, r.url+"/compare/alpha-vs-beta")
		if !strings.Contains(body, "gamma-vs-delta.md: is a symbolic link to") || !strings.Contains(body, "outside the content folder") {
			return "no banner refusing the link"
		}
		return ""
	})
	for _, l := range r.stderr.logLines(t) {
		if s := fmt.Sprint(l); strings.Contains(s, "gamma") && l["msg"] == "content reloaded" {
			t.Errorf("the outside file was loaded: %v", l)
		}
	}
}
