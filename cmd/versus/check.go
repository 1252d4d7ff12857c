package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"

	"github.com/versus-dev/versus/content"
	"github.com/versus-dev/versus/internal/catalog"
	"github.com/versus-dev/versus/internal/compare"
	"github.com/versus-dev/versus/internal/server"
)

// embeddedDir is where the embedded articles live in the source tree, so
// problems in them point at files an author can open.
const embeddedDir = "content"

// check loads every article of DIR (default: the embedded content) and
// prints each problem as file:line: message, then a summary. It stops at
// once, with status 1, when ctx is done.
func check(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fl := flag.NewFlagSet("check", flag.ContinueOnError)
	fl.SetOutput(stderr)
	maxArticle := sizeFlag(catalog.DefaultMaxArticleBytes)
	fl.Var(&maxArticle, "max-article-size", "largest article read, in bytes or with a KiB or MiB suffix")
	if err := fl.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return &exitError{code: 2, err: err, reported: true}
	}
	args = fl.Args()
	if len(args) > 1 {
		return usageErrorf("check takes at most one folder, got %q", args)
	}
	fsys, dir := fs.FS(content.FS), embeddedDir
	if len(args) == 1 {
		dir = args[0]
		d, err := openDir(dir)
		if err != nil {
			return err
		}
		defer d.Close()
		fsys = d
	}
	cat, ps, err := server.LoadContentContext(ctx, fsys, catalog.Options{MaxArticleBytes: int64(maxArticle)})
	if err != nil {
		return fmt.Errorf("check stopped before the end: %w", err)
	}
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
// reading a missing folder would look like an empty one, and opens it as a
// catalog.Dir: files are read without blocking and cannot lead outside it.
func openDir(dir string) (*catalog.Dir, error) {
	fi, err := os.Stat(dir)
	if err != nil {
		return nil, fmt.Errorf("content folder: %w", err)
	}
	if !fi.IsDir() {
		return nil, fmt.Errorf("content folder %s is a file, not a folder", dir)
	}
	d, err := catalog.OpenDir(dir)
	if err != nil {
		return nil, fmt.Errorf("content folder: %w", err)
	}
	return d, nil
}

func printProblems(w io.Writer, dir string, ps compare.Problems) {
	for _, p := range ps.In(dir) {
		fmt.Fprintln(w, p.Error())
	}
	fmt.Fprintln(w, ps.Summary())
}
