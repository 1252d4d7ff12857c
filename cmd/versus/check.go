package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"strconv"
	"strings"

	"github.com/versus-dev/versus/content"
	"github.com/versus-dev/versus/internal/catalog"
	"github.com/versus-dev/versus/internal/compare"
	"github.com/versus-dev/versus/internal/server"
)

// embeddedDir is where the embedded articles live in the source tree, so
// problems in them point at files an author can open.
const embeddedDir = "content"

// check loads every article of DIR (default: the embedded content) and
// prints each problem in the chosen format: text (file:line: message, then
// a summary), json (for editors) or github (workflow commands, so a pull
// request shows each problem on its line). Errors fail it (exit status 1);
// warnings do not, unless -strict makes them errors. It stops at once,
// with status 1, when ctx is done.
func check(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fl := flag.NewFlagSet("check", flag.ContinueOnError)
	fl.SetOutput(stderr)
	maxArticle := sizeFlag(catalog.DefaultMaxArticleBytes)
	fl.Var(&maxArticle, "max-article-size", "largest article read, in bytes or with a KiB or MiB suffix")
	format := fl.String("format", "text", "how to print problems: text, json or github")
	strict := fl.Bool("strict", false, "treat warnings (unfinished parts) as errors, for CI")
	parse := func(args []string) error {
		err := fl.Parse(args)
		if err == nil || errors.Is(err, flag.ErrHelp) {
			return err
		}
		// The flag package has printed the error and the flags.
		return &exitError{code: 2, err: err, reported: true}
	}
	if err := parse(args); err != nil {
		return err
	}
	// Flags may also follow the folder: versus check content -format json.
	rest := fl.Args()
	if len(rest) > 0 {
		folder := rest[0]
		if err := parse(rest[1:]); err != nil {
			return err
		}
		rest = append([]string{folder}, fl.Args()...)
	}
	printer, ok := printers[*format]
	if !ok {
		return usageErrorf("check -format %q: want text, json or github", *format)
	}
	if len(rest) > 1 {
		return usageErrorf("check takes at most one folder, got %q", rest)
	}
	fsys, dir := fs.FS(content.FS), embeddedDir
	if len(rest) == 1 {
		dir = rest[0]
		d, err := openDir(dir)
		if err != nil {
			return err
		}
		defer d.Close()
		fsys = d
	}
	defer server.StartupGC()()
	cat, ps, err := server.LoadContentContext(ctx, fsys, catalog.Options{MaxArticleBytes: int64(maxArticle)})
	if err != nil {
		return fmt.Errorf("check stopped before the end: %w", err)
	}
	if *strict {
		ps = ps.Strict()
	}
	n := 0
	if cat != nil {
		n = cat.Len()
	}
	printer(stdout, stderr, ps.In(dir), n)
	if ps.HasErrors() {
		return &exitError{code: 1, err: errors.New(ps.Summary()), reported: true}
	}
	return nil
}

// printers print check's result: the problems with their files named from
// the working folder, and how many comparisons loaded (0 when an error
// stopped the catalog).
var printers = map[string]func(stdout, stderr io.Writer, ps compare.Problems, comparisons int){
	"text": func(stdout, stderr io.Writer, ps compare.Problems, n int) {
		if len(ps) > 0 {
			printLocated(stderr, ps)
		}
		if !ps.HasErrors() {
			fmt.Fprintln(stdout, okLine(n))
		}
	},
	"json": func(stdout, _ io.Writer, ps compare.Problems, _ int) {
		out := make([]jsonProblem, len(ps))
		for i, p := range ps {
			out[i] = jsonProblem{File: p.File, Line: p.Line, Column: p.Column, Severity: p.Severity.String(), Message: p.Msg, Hint: p.Hint}
		}
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		enc.Encode(out) // writes to stdout: nothing to do if they fail
	},
	"github": func(stdout, stderr io.Writer, ps compare.Problems, n int) {
		for _, p := range ps {
			fmt.Fprintln(stdout, githubCommand(p))
		}
		if len(ps) > 0 {
			fmt.Fprintln(stderr, ps.Summary())
		}
		if !ps.HasErrors() {
			fmt.Fprintln(stdout, okLine(n))
		}
	},
}

// jsonProblem is one problem as `check -format json` prints it: an array of
// these, [] when there are none. Line and column are left out when unknown.
type jsonProblem struct {
	File     string `json:"file"`
	Line     int    `json:"line,omitempty"`
	Column   int    `json:"column,omitempty"`
	Severity string `json:"severity"`
	Message  string `json:"message"`
	Hint     string `json:"hint,omitempty"`
}

// githubCommand is a GitHub Actions workflow command that annotates the
// problem's line: ::error file=F,line=L,col=C::message (::warning for a
// warning). Escaped as the runner unescapes (actions/toolkit's
// command.ts): %, CR and LF in the message; those and also : and , in a
// property value.
func githubCommand(p compare.Problem) string {
	props := []string{"file=" + escapeProperty(p.File)}
	if p.Line > 0 {
		props = append(props, "line="+strconv.Itoa(p.Line))
		if p.Column > 0 {
			props = append(props, "col="+strconv.Itoa(p.Column))
		}
	}
	return "::" + p.Severity.String() + " " + strings.Join(props, ",") + "::" + escapeData(p.Text())
}

var (
	dataEscaper     = strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A")
	propertyEscaper = strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A", ":", "%3A", ",", "%2C")
)

func escapeData(s string) string     { return dataEscaper.Replace(s) }
func escapeProperty(s string) string { return propertyEscaper.Replace(s) }

func okLine(n int) string {
	if n == 1 {
		return "ok: 1 comparison"
	}
	return fmt.Sprintf("ok: %d comparisons", n)
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

// printProblems prints each problem as file:line: message, with files named
// from the working folder, then a summary.
func printProblems(w io.Writer, dir string, ps compare.Problems) {
	printLocated(w, ps.In(dir))
}

func printLocated(w io.Writer, ps compare.Problems) {
	for _, p := range ps {
		fmt.Fprintln(w, p.Error())
	}
	fmt.Fprintln(w, ps.Summary())
}
