package catalog

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"strings"
)

// DefaultMaxArticleBytes is the largest article Load reads unless told
// otherwise: django-vs-flask.md is 55 KB, so 2 MiB leaves room for any
// real comparison while a runaway file cannot take the process's memory.
const DefaultMaxArticleBytes = 2 << 20

// ReadFile reads the article at name (a slash path, in a sub-folder or
// not) from fsys, refusing anything that is not a regular file of at most
// limit bytes (limit <= 0 means DefaultMaxArticleBytes). It is the one way
// the loader reads content, because a content folder can hold anything:
//
//   - a device (a symlink to /dev/zero named x.md) would be read forever
//     into memory, a named pipe would block the open and the read until a
//     writer comes, a socket cannot be read at all: each is refused by its
//     type, checked before the file is opened (fs.Lstat, and fs.Stat for
//     what a symlink points to) and again on the open file, in case the
//     name was swapped in between;
//   - on a Dir, the file is opened with O_NONBLOCK, so even a pipe swapped
//     in after the check cannot block the open;
//   - a symlink that leaves the folder (an absolute target or one through
//     "..") is refused: watch mode would otherwise publish any file the
//     process can read;
//   - the size is checked before reading and the read stops at limit+1
//     bytes, so a file that grows while it is read is refused too;
//   - ctx is checked before the read and between chunks.
//
// The errors say what is wrong in words for the file:message line the
// loader prints; they never repeat the name (the Problem carries it).
func ReadFile(ctx context.Context, fsys fs.FS, name string, limit int64) ([]byte, error) {
	return readFileInto(ctx, fsys, name, limit, nil)
}

// readFileInto is ReadFile reading into buf's storage when it is large
// enough (start-up reuses one buffer per worker: a new 56 KB buffer for
// each file was an eighth of all start-up allocated).
func readFileInto(ctx context.Context, fsys fs.FS, name string, limit int64, buf []byte) ([]byte, error) {
	if limit <= 0 {
		limit = DefaultMaxArticleBytes
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	fi, err := fs.Lstat(fsys, name)
	if err != nil {
		return nil, readError(err)
	}
	if fi.Mode()&fs.ModeSymlink != 0 {
		if err := checkLink(fsys, name); err != nil {
			return nil, err
		}
		if fi, err = fs.Stat(fsys, name); err != nil {
			if errors.Is(err, fs.ErrNotExist) {
				return nil, errors.New("is a symbolic link to a file that does not exist")
			}
			return nil, fmt.Errorf("is a symbolic link that cannot be followed inside the content folder (%s)", cause(err))
		}
		if err := regular(fi, "is a symbolic link to "); err != nil {
			return nil, err
		}
	} else if err := regular(fi, "is "); err != nil {
		return nil, err
	}
	if fi.Size() > limit {
		return nil, tooLarge(fi.Size(), limit)
	}

	f, err := open(fsys, name)
	if err != nil {
		return nil, readError(err)
	}
	defer f.Close()
	if fi, err = f.Stat(); err != nil {
		return nil, readError(err)
	}
	if err := regular(fi, "is "); err != nil { // replaced since the check
		return nil, err
	}
	size := min(fi.Size(), limit) + 1
	if int64(cap(buf)) < size {
		buf = make([]byte, 0, max(size, 512))
	}
	buf = buf[:0]
	for {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		if len(buf) == cap(buf) {
			buf = append(buf, 0)[:len(buf)]
		}
		chunk := buf[len(buf):min(cap(buf), len(buf)+readChunk)]
		n, err := f.Read(chunk)
		buf = buf[:len(buf)+n]
		if int64(len(buf)) > limit {
			return nil, tooLarge(int64(len(buf)), limit)
		}
		if err == io.EOF {
			return buf, nil
		}
		if err != nil {
			return nil, readError(err)
		}
	}
}

// readChunk is how much ReadFile reads between looks at its context.
const readChunk = 256 << 10

// regular refuses every file type but a regular file, naming the type.
func regular(fi fs.FileInfo, is string) error {
	m := fi.Mode()
	var what string
	switch {
	case m.IsRegular():
		return nil
	case m.IsDir():
		what = "a folder"
	case m&fs.ModeNamedPipe != 0:
		what = "a named pipe (FIFO)"
	case m&fs.ModeSocket != 0:
		what = "a socket"
	case m&fs.ModeCharDevice != 0:
		what = "a character device"
	case m&fs.ModeDevice != 0:
		what = "a block device"
	case m&fs.ModeSymlink != 0:
		what = "a symbolic link"
	default:
		what = "a special file"
	}
	return fmt.Errorf("%s%s, not a regular file: an article must be a plain .md file", is, what)
}

// checkLink refuses a symlink whose target leaves the folder. fs.FS names
// are rooted at the folder, so a target is inside when it is relative and
// its cleaned path, from the link's folder, does not climb out.
func checkLink(fsys fs.FS, name string) error {
	target, err := fs.ReadLink(fsys, name)
	if err != nil {
		if errors.Is(err, errors.ErrUnsupported) {
			return nil // the FS cannot say; Stat below follows it within the FS
		}
		return readError(err)
	}
	if strings.HasPrefix(target, "/") || strings.HasPrefix(target, `\`) || len(target) > 1 && target[1] == ':' {
		return fmt.Errorf("is a symbolic link to %s, outside the content folder: copy the file into the folder instead", quoteTarget(target))
	}
	joined := path.Join(path.Dir(name), target)
	if joined == ".." || strings.HasPrefix(joined, "../") {
		return fmt.Errorf("is a symbolic link to %s, outside the content folder: copy the file into the folder instead", quoteTarget(target))
	}
	return nil
}

func quoteTarget(t string) string {
	if len(t) > 80 {
		t = t[:80] + "…"
	}
	return fmt.Sprintf("%q", t)
}

func tooLarge(size, limit int64) error {
	return fmt.Errorf("is %s, over the limit of %s per article: split it, or raise -max-article-size", byteSize(size), byteSize(limit))
}

// byteSize writes n in the largest binary unit that keeps it readable.
func byteSize(n int64) string {
	switch {
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%d MiB", n>>20)
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
	case n >= 1<<10 && n%(1<<10) == 0:
		return fmt.Sprintf("%d KiB", n>>10)
	case n >= 1<<10:
		return fmt.Sprintf("%.1f KiB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d bytes", n)
}

// readError words an error from the file system: the path is already the
// problem's file, so only the cause is kept.
func readError(err error) error {
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return errors.New("cannot read: the file is gone (removed while loading?)")
	case errors.Is(err, fs.ErrPermission):
		return errors.New("cannot read: permission denied (check the file's permissions)")
	}
	return fmt.Errorf("cannot read: %s", cause(err))
}

// cause is err without the operation and path a *fs.PathError adds.
func cause(err error) string {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err.Error()
	}
	return err.Error()
}

// fileOpener is an FS that can open with flags: Dir, so ReadFile can ask
// for O_NONBLOCK.
type fileOpener interface {
	OpenFile(name string, flag int, perm fs.FileMode) (*os.File, error)
}

func open(fsys fs.FS, name string) (fs.File, error) {
	if o, ok := fsys.(fileOpener); ok {
		return o.OpenFile(name, os.O_RDONLY|oNonblock, 0)
	}
	return fsys.Open(name)
}

// Dir is a content folder on disk, opened as an os.Root: names cannot
// climb out of it (a symlink that leaves it fails to open), and ReadFile
// opens its files without blocking. The folder is held open, so a Dir
// reads the folder that was there when it was opened: open a new one for
// every load, and Close it after.
type Dir struct {
	root *os.Root
	fsys fs.FS
}

// OpenDir opens the content folder at path.
func OpenDir(path string) (*Dir, error) {
	r, err := os.OpenRoot(path)
	if err != nil {
		return nil, err
	}
	return &Dir{root: r, fsys: r.FS()}, nil
}

// Close releases the folder.
func (d *Dir) Close() error { return d.root.Close() }

// Open implements fs.FS.
func (d *Dir) Open(name string) (fs.File, error) { return d.fsys.Open(name) }

// OpenFile opens name inside the folder with flag (os.O_RDONLY and the like).
func (d *Dir) OpenFile(name string, flag int, perm fs.FileMode) (*os.File, error) {
	if !fs.ValidPath(name) {
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrInvalid}
	}
	return d.root.OpenFile(name, flag, perm)
}

// Stat implements fs.StatFS.
func (d *Dir) Stat(name string) (fs.FileInfo, error) { return fs.Stat(d.fsys, name) }

// Lstat implements fs.ReadLinkFS.
func (d *Dir) Lstat(name string) (fs.FileInfo, error) { return fs.Lstat(d.fsys, name) }

// ReadLink implements fs.ReadLinkFS.
func (d *Dir) ReadLink(name string) (string, error) { return fs.ReadLink(d.fsys, name) }

// ReadDir implements fs.ReadDirFS.
func (d *Dir) ReadDir(name string) ([]fs.DirEntry, error) { return fs.ReadDir(d.fsys, name) }

var (
	_ fs.StatFS     = (*Dir)(nil)
	_ fs.ReadLinkFS = (*Dir)(nil)
	_ fs.ReadDirFS  = (*Dir)(nil)
)
