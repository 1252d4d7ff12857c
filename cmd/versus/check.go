package main

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"

	"github.com/versus-dev/versus/content"
	"github.com/versus-dev/versus/internal/compare"
	"github.com/versus-dev/versus/internal/server"
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
	cat, ps := server.LoadContent(fsys)
	if len(ps) > 0 {
		printProblems(stderr, dir, ps)
		return &exitError{code: 1, err: errors.New(ps.Summary()), reported: true}
	}
	if cat.Len() == 1 {
		fmt.Fprintln(stdout, "ok: 1 comparison")
	} else {
		fmt.Fprintf(stdout, "ok: %d comparisons\n", cat.Len())
	}
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

func printProblems(w io.Writer, dir string, ps compare.Problems) {
	for _, p := range ps.In(dir) {
		fmt.Fprintln(w, p.Error())
	}
	fmt.Fprintln(w, ps.Summary())
}
