// Command screenshots photographs every page type of the real site at
// phone, tablet and desktop widths, in light and dark, full page, so a
// person can look at the whole site in a minute. The images are not
// committed.
//
//	go run ./cmd/screenshots [-out DIR] [-widths 360,768,1280]
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/versus-dev/versus/internal/e2e"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	// -h has printed the flags: that is a success, not an error.
	if err := run(ctx, os.Args[1:], os.Stdout, os.Stderr); err != nil && !errors.Is(err, flag.ErrHelp) {
		fmt.Fprintln(os.Stderr, "screenshots:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("screenshots", flag.ContinueOnError)
	fs.SetOutput(stderr)
	out := fs.String("out", "", "folder for the PNG files (default: a new folder under the OS temp dir)")
	widthList := fs.String("widths", "360,768,1280", "viewport widths in CSS pixels, comma-separated")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected argument %q (did you mean -out %s?)", fs.Arg(0), fs.Arg(0))
	}
	widths, err := parseWidths(*widthList)
	if err != nil {
		return err
	}
	if *out, err = e2e.OutputDir(*out, "versus-screenshots-"); err != nil {
		return err
	}

	site, err := e2e.Start()
	if err != nil {
		return err
	}
	defer site.Close()
	// Without scrollbars a 360 px shot is 360 px of page, as on a phone.
	bctx, cancel, err := e2e.NewBrowser(ctx, chromedp.Flag("hide-scrollbars", true))
	if err != nil {
		return err
	}
	defer cancel()

	n := 0
	for _, scheme := range []e2e.ColorScheme{e2e.Light, e2e.Dark} {
		for _, w := range widths {
			for _, p := range site.Pages() {
				name := fmt.Sprintf("%s-%d-%s.png", p.Name, w, scheme)
				if err := shoot(bctx, site.URL, p, w, scheme, filepath.Join(*out, name)); err != nil {
					return fmt.Errorf("%s: %w", name, err)
				}
				n++
			}
		}
	}
	fmt.Fprintf(stdout, "%d screenshots in %s\n", n, *out)
	return nil
}

// shoot opens p in a fresh tab at width w and writes a full-page PNG.
func shoot(bctx context.Context, base string, p e2e.Page, w int, scheme e2e.ColorScheme, file string) error {
	ctx, cancel := chromedp.NewContext(bctx, chromedp.WithNewBrowserContext())
	defer cancel()
	ctx, cancelTimeout := context.WithTimeout(ctx, time.Minute)
	defer cancelTimeout()
	if err := chromedp.Do(ctx,
		chromedp.EmulateViewport(int64(w), 800),
		e2e.EmulateColorScheme(scheme),
		e2e.Open(base, p),
		// Web fonts and late layout settle before the picture.
		chromedp.Evaluate[chromedp.Void](`document.fonts.ready`, chromedp.EvalAwaitPromise),
	); err != nil {
		return err
	}
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		return fmt.Errorf("capture: %w", err)
	}
	return os.WriteFile(file, png, 0o644)
}

func parseWidths(s string) ([]int, error) {
	var ws []int
	for _, f := range strings.Split(s, ",") {
		w, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || w < 200 || w > 4000 {
			return nil, fmt.Errorf("-widths: %q is not a width between 200 and 4000", f)
		}
		ws = append(ws, w)
	}
	return ws, nil
}
