package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
)

const usage = `usage:
  versus [serve] [flags]   serve the site (the default; versus serve -h lists the flags)
  versus check [-format text|json|github] [-strict] [-max-article-size SIZE] [DIR]
                           check the articles in DIR (default: the embedded ones)
  versus new [-content DIR] category KEY | subject CATEGORY KEY | compare A B [C [D]]
                           write a skeleton that passes check, its unfinished parts marked TODO
  versus version           print the version, commit and Go version
`

// exitError carries the exit status for main. When reported is true the
// message was already printed (the problem list), so main only exits.
type exitError struct {
	code     int
	err      error
	reported bool
}

func (e *exitError) Error() string { return e.err.Error() }
func (e *exitError) Unwrap() error { return e.err }

// usageErrorf is a mistake on the command line: exit status 2, as flag
// parsing errors get.
func usageErrorf(format string, args ...any) error {
	return &exitError{code: 2, err: fmt.Errorf(format, args...)}
}

// exitCode maps run's error to the process exit status, printing it when
// nobody has yet.
func exitCode(err error, stderr io.Writer) int {
	if err == nil || errors.Is(err, flag.ErrHelp) {
		return 0
	}
	code := 1
	var ee *exitError
	if errors.As(err, &ee) {
		code = ee.code
		if ee.reported {
			return code
		}
	}
	fmt.Fprintf(stderr, "versus: %v\n", err)
	if code == 2 {
		fmt.Fprint(stderr, usage)
	}
	return code
}

// run is the whole program with its inputs made explicit, so tests run it
// end to end: serve stops (returning nil) when ctx is done.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	cmd := "serve"
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		cmd, args = args[0], args[1:]
	}
	switch cmd {
	case "serve":
		return serve(ctx, args, stderr)
	case "check":
		return check(ctx, args, stdout, stderr)
	case "new":
		return newFile(args, stdout, stderr)
	case "version":
		if len(args) > 0 {
			return usageErrorf("version takes no arguments, got %q", args)
		}
		fmt.Fprintln(stdout, versionLine())
		return nil
	case "help":
		fmt.Fprint(stdout, usage)
		return nil
	default:
		return usageErrorf("unknown command %q", cmd)
	}
}
