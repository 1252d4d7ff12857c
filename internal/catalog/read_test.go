package catalog

import (
	"context"
	"errors"
	"io/fs"
	"net"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"testing/fstest"
	"time"

	"github.com/versus-dev/versus/internal/compare"
)

// contentDir is a folder holding one valid article, for the hostile
// entries to sit beside.
func contentDir(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	src, err := os.ReadFile("testdata/good/alpha-vs-beta.md")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "alpha-vs-beta.md"), src, 0o644); err != nil {
		t.Fatal(err)
	}
	return dir
}

// loadProblems loads dir through a Dir, as serve and check do, within a
// deadline: a load that blocks fails the test instead of hanging it.
func loadProblems(t *testing.T, dir string, opts Options) compare.Problems {
	t.Helper()
	d, err := OpenDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	type res struct {
		cat *Catalog
		err error
	}
	done := make(chan res, 1)
	go func() {
		cat, err := LoadContext(ctx, d, opts)
		done <- res{cat, err}
	}()
	var r res
	select {
	case r = <-done:
	case <-time.After(15 * time.Second):
		t.Fatal("LoadContext did not return within 15 s, past its 10 s deadline")
	}
	var ps compare.Problems
	if !errors.As(r.err, &ps) {
		t.Fatalf("LoadContext(%s) = %v, %v; want problems", dir, r.cat, r.err)
	}
	return ps
}

// wantProblem checks that ps holds exactly one problem, for file, saying
// each of the words.
func wantProblem(t *testing.T, ps compare.Problems, file string, words ...string) {
	t.Helper()
	if len(ps) != 1 || ps[0].File != file {
		t.Fatalf("problems = %v, want one for %s", ps, file)
	}
	for _, w := range words {
		if !strings.Contains(ps[0].Msg, w) {
			t.Errorf("problem %q does not say %q", ps[0].Error(), w)
		}
	}
}

func TestLoadRefusesSpecialFiles(t *testing.T) {
	t.Run("symlink to /dev/zero", func(t *testing.T) {
		dir := contentDir(t)
		if err := os.Symlink("/dev/zero", filepath.Join(dir, "zero.md")); err != nil {
			t.Fatal(err)
		}
		// The link leaves the folder, which is refused first; an FS that
		// cannot read links (Stat follows them) must still refuse it by
		// its type.
		wantProblem(t, loadProblems(t, dir, Options{}), "zero.md", "outside the content folder")
		statOnly := struct{ fs.StatFS }{os.DirFS(dir).(fs.StatFS)}
		_, err := ReadFile(context.Background(), statOnly, "zero.md", 0)
		if err == nil || !strings.Contains(err.Error(), "is a character device, not a regular file") {
			t.Errorf("ReadFile(zero.md through Stat) = %v, want a refusal naming the device", err)
		}
		mapFS := fstest.MapFS{"zero.md": {Mode: fs.ModeDevice | fs.ModeCharDevice}}
		if _, err := ReadFile(context.Background(), mapFS, "zero.md", 0); err == nil || !strings.Contains(err.Error(), "is a character device") {
			t.Errorf("ReadFile(device) = %v, want a refusal naming the device", err)
		}
	})
	t.Run("named pipe", func(t *testing.T) {
		dir := contentDir(t)
		if err := syscall.Mkfifo(filepath.Join(dir, "pipe.md"), 0o644); err != nil {
			t.Skipf("mkfifo: %v", err)
		}
		wantProblem(t, loadProblems(t, dir, Options{}), "pipe.md", "named pipe (FIFO), not a regular file")
	})
	t.Run("symlink to a named pipe inside the folder", func(t *testing.T) {
		dir := contentDir(t)
		if err := syscall.Mkfifo(filepath.Join(dir, "pipe"), 0o644); err != nil {
			t.Skipf("mkfifo: %v", err)
		}
		if err := os.Symlink("pipe", filepath.Join(dir, "link.md")); err != nil {
			t.Fatal(err)
		}
		wantProblem(t, loadProblems(t, dir, Options{}), "link.md", "symbolic link to a named pipe (FIFO)")
	})
	t.Run("socket", func(t *testing.T) {
		dir := contentDir(t)
		ln, err := net.Listen("unix", filepath.Join(dir, "s.md"))
		if err != nil {
			t.Skipf("unix socket: %v", err)
		}
		defer ln.Close()
		wantProblem(t, loadProblems(t, dir, Options{}), "s.md", "is a socket")
	})
	t.Run("folder named .md", func(t *testing.T) {
		dir := contentDir(t)
		if err := os.Mkdir(filepath.Join(dir, "d.md"), 0o755); err != nil {
			t.Fatal(err)
		}
		wantProblem(t, loadProblems(t, dir, Options{}), "d.md", "is a folder")
	})
	t.Run("symlink to a file outside", func(t *testing.T) {
		dir := contentDir(t)
		outside := filepath.Join(t.TempDir(), "secret.md")
		if err := os.WriteFile(outside, []byte("secret"), 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.Symlink(outside, filepath.Join(dir, "abs.md")); err != nil {
			t.Fatal(err)
		}
		wantProblem(t, loadProblems(t, dir, Options{}), "abs.md", "outside the content folder", "copy the file")
		if err := os.Remove(filepath.Join(dir, "abs.md")); err != nil {
			t.Fatal(err)
		}
		rel, err := filepath.Rel(dir, outside)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.Symlink(rel, filepath.Join(dir, "rel.md")); err != nil {
			t.Fatal(err)
		}
		wantProblem(t, loadProblems(t, dir, Options{}), "rel.md", "outside the content folder")
	})
	t.Run("dangling symlink", func(t *testing.T) {
		dir := contentDir(t)
		if err := os.Symlink("nowhere.md", filepath.Join(dir, "gone.md")); err != nil {
			t.Fatal(err)
		}
		wantProblem(t, loadProblems(t, dir, Options{}), "gone.md", "does not exist")
	})
	t.Run("over the size limit", func(t *testing.T) {
		dir := contentDir(t)
		if err := os.WriteFile(filepath.Join(dir, "big.md"), make([]byte, 64<<10+1), 0o644); err != nil {
			t.Fatal(err)
		}
		// alpha-vs-beta.md is well under 64 KiB and loads beside it.
		wantProblem(t, loadProblems(t, dir, Options{MaxArticleBytes: 64 << 10}), "big.md",
			"is 64.0 KiB, over the limit of 64 KiB per article", "-max-article-size")
	})
}

func TestSymlinkInsideLoads(t *testing.T) {
	dir := contentDir(t)
	if err := os.Mkdir(filepath.Join(dir, "sub"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(filepath.Join(dir, "alpha-vs-beta.md"), filepath.Join(dir, "sub", "a.md")); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("sub/a.md", filepath.Join(dir, "alpha-vs-beta.md")); err != nil {
		t.Fatal(err)
	}
	d, err := OpenDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	cat, err := LoadContext(context.Background(), d, Options{})
	if err != nil || cat.Len() != 1 {
		t.Fatalf("LoadContext with a symlink inside the folder = %v, %v; want one comparison", cat, err)
	}
	// Sub-folders (categories) read the same way.
	src, err := ReadFile(context.Background(), d, "sub/a.md", 0)
	if err != nil || len(src) == 0 {
		t.Errorf("ReadFile(sub/a.md) = %d bytes, %v", len(src), err)
	}
}

// lyingFS reports every name as a small regular file, as if the name was
// swapped for something else between the check and the open.
type lyingFS struct{ *Dir }

type regularInfo struct{ fs.FileInfo }

func (regularInfo) Mode() fs.FileMode { return 0o644 }
func (regularInfo) Size() int64       { return 10 }

func (l lyingFS) Lstat(name string) (fs.FileInfo, error) {
	fi, err := l.Dir.Lstat(name)
	return regularInfo{fi}, err
}

func TestReadFileSwappedForPipe(t *testing.T) {
	dir := t.TempDir()
	if err := syscall.Mkfifo(filepath.Join(dir, "pipe.md"), 0o644); err != nil {
		t.Skipf("mkfifo: %v", err)
	}
	d, err := OpenDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	done := make(chan error, 1)
	go func() {
		_, err := ReadFile(context.Background(), lyingFS{d}, "pipe.md", 0)
		done <- err
	}()
	select {
	case err := <-done:
		if err == nil || !strings.Contains(err.Error(), "named pipe") {
			t.Errorf("ReadFile(pipe passed off as a file) = %v, want it refused as a named pipe", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("ReadFile blocked opening a named pipe: it must open without blocking and check the open file")
	}
}

func TestLoadContextCanceled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := LoadContext(ctx, os.DirFS("testdata/good"), Options{}); !errors.Is(err, context.Canceled) {
		t.Errorf("LoadContext(canceled) = %v, want context.Canceled", err)
	}
	if _, err := ReadFile(ctx, os.DirFS("testdata/good"), "alpha-vs-beta.md", 0); !errors.Is(err, context.Canceled) {
		t.Errorf("ReadFile(canceled) = %v, want context.Canceled", err)
	}
}

func TestByteSize(t *testing.T) {
	for n, want := range map[int64]string{100: "100 bytes", 2 << 20: "2 MiB", 50 << 20: "50 MiB", 3 << 19: "1.5 MiB", 1536: "1.5 KiB", 4096: "4 KiB"} {
		if got := byteSize(n); got != want {
			t.Errorf("byteSize(%d) = %q, want %q", n, got, want)
		}
	}
}

// TestLoadRefusesSpecialFilesInCategories: category folders are read
// through ReadFile too.
func TestLoadRefusesSpecialFilesInCategories(t *testing.T) {
	dir := t.TempDir()
	if err := os.CopyFS(dir, os.DirFS("testdata/category")); err != nil {
		t.Fatal(err)
	}
	if err := syscall.Mkfifo(filepath.Join(dir, "drinks", "pipe.md"), 0o644); err != nil {
		t.Skipf("mkfifo: %v", err)
	}
	if err := os.Symlink("/dev/zero", filepath.Join(dir, "drinks", "zero.md")); err != nil {
		t.Fatal(err)
	}
	ps := loadProblems(t, dir, Options{})
	if len(ps) != 2 || ps[0].File != "drinks/pipe.md" || !strings.Contains(ps[0].Msg, "named pipe") ||
		ps[1].File != "drinks/zero.md" || !strings.Contains(ps[1].Msg, "outside the content folder") {
		t.Errorf("problems = %v, want the pipe and the /dev/zero link refused", ps)
	}
}
