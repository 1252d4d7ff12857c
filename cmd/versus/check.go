package main

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/versus-dev/versus/content"
	"github.com/versus-dev/versus/internal/catalog"
	"github.com/versus-dev/versus/internal/compare"
)

// embeddedDir is where the embedded articles live in the source tree, so
// problems in them point at files an author can open.
const embeddedDir = "content"

// check loads every article of DIR (default: the embedded content) and
// prints each problem as file:line: message, then a summary.
func check(args []string, stdout, stderr io.Writer) error {
	if len(args) > 1 {
		return usageErrorf("check takes at most one folder, got %q", args)
	}
	fsys, dir := fs.FS(content.FS), embeddedDir
	if len(args) == 1 {
		dir = args[0]
		var err error
		if fsys, err = openDir(dir); err != nil {
			return err
		}
	}
	cat, ps := load(fsys)
	if len(ps) > 0 {
		printProblems(stderr, dir, ps)
		return &exitError{code: 1, err: errors.New(summary(ps)), reported: true}
	}
	fmt.Fprintf(stdout, "ok: %s\n", plural(cat.Len(), "comparison"))
	return nil
}

// openDir checks that dir is a folder before the catalog reads it, since
// reading a missing folder would look like an empty one.
func openDir(dir string) (fs.FS, error) {
	fi, err := os.Stat(dir)
	if err != nil {
		return nil, fmt.Errorf("content folder: %w", err)
	}
	if !fi.IsDir() {
		return nil, fmt.Errorf("content folder %s is a file, not a folder", dir)
	}
	return os.DirFS(dir), nil
}

// load is catalog.Load with any error turned into problems, so callers
// have one thing to print.
func load(fsys fs.FS) (*catalog.Catalog, compare.Problems) {
	cat, err := catalog.Load(fsys)
	if err == nil {
		return cat, nil
	}
	var ps compare.Problems
	if errors.As(err, &ps) && len(ps) > 0 {
		return nil, ps
	}
	return nil, compare.Problems{{File: ".", Msg: err.Error()}}
}

// locatedProblem returns p with its file named by its path from the working
// folder (dir/file), which editors and terminals can open.
func locatedProblem(dir string, p compare.Problem) compare.Problem {
	p.File = filepath.Join(dir, p.File)
	return p
}

func printProblems(w io.Writer, dir string, ps compare.Problems) {
	for _, p := range ps {
		fmt.Fprintln(w, locatedProblem(dir, p).Error())
	}
	fmt.Fprintln(w, summary(ps))
}

// summary is "N problems in M files", in the singular where it applies.
func summary(ps compare.Problems) string {
	files := map[string]bool{}
	for _, p := range ps {
		files[p.File] = true
	}
	return fmt.Sprintf("%s in %s", plural(len(ps), "problem"), plural(len(files), "file"))
}

func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return fmt.Sprintf("%d %ss", n, word)
}
