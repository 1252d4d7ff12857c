// Command lighthouse scores the real site with Lighthouse (pinned in
// internal/e2e/node) in the system Chromium: it serves the embedded articles
// on a free loopback port, audits the home, comparison, questionnaire and
// result pages with the mobile preset (Lighthouse's default form factor)
// and prints the four category scores of each page.
//
//	npm ci --prefix internal/e2e/node   # once
//	go run ./cmd/lighthouse [-desktop] [-out DIR]
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strings"
	"time"

	"github.com/versus-dev/versus/internal/e2e"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	// -h has printed the flags: that is a success, not an error.
	if err := run(ctx, os.Args[1:], os.Stdout, os.Stderr); err != nil && !errors.Is(err, flag.ErrHelp) {
		fmt.Fprintln(os.Stderr, "lighthouse:", err)
		os.Exit(1)
	}
}

// audited are the page types a reader passes through on the way to a
// recommendation, by their e2e.Page names: a hand-written comparison and
// its questionnaire and result, and the catalog's category, subject and
// composed three-way pages.
var audited = []string{"home", "comparison", "quiz", "result", "category", "subject", "generated", "generated-result"}

// categories in the order Lighthouse shows them.
var categories = []struct{ id, short string }{
	{"performance", "perf"},
	{"accessibility", "a11y"},
	{"best-practices", "bp"},
	{"seo", "seo"},
}

type report struct {
	RuntimeError *struct {
		Code    string `json:"code"`
		Message string `json:"message"`
	} `json:"runtimeError"`
	Categories map[string]struct {
		Score     *float64 `json:"score"`
		AuditRefs []struct {
			ID     string  `json:"id"`
			Weight float64 `json:"weight"`
		} `json:"auditRefs"`
	} `json:"categories"`
	Audits map[string]struct {
		Title        string   `json:"title"`
		Score        *float64 `json:"score"`
		DisplayValue string   `json:"displayValue"`
	} `json:"audits"`
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("lighthouse", flag.ContinueOnError)
	fs.SetOutput(stderr)
	desktop := fs.Bool("desktop", false, "use Lighthouse's desktop preset instead of the mobile default")
	out := fs.String("out", "", "folder for the JSON reports (default: a new folder under the OS temp dir)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected argument %q: the pages are fixed (%s)", fs.Arg(0), strings.Join(audited, ", "))
	}
	if err := e2e.HaveChrome(); err != nil {
		return err
	}
	lh, err := e2e.NodeTool(".bin/lighthouse")
	if err != nil {
		return err
	}
	if *out, err = e2e.OutputDir(*out, "versus-lighthouse-"); err != nil {
		return err
	}

	site, err := e2e.Start()
	if err != nil {
		return err
	}
	defer site.Close()

	pages := map[string]e2e.Page{}
	for _, p := range site.Pages() {
		pages[p.Name] = p
	}
	preset := "mobile"
	if *desktop {
		preset = "desktop"
	}
	fmt.Fprintf(stdout, "lighthouse 12.8.2, %s preset, %s, reports in %s\n", preset, e2e.ChromePath, *out)
	fmt.Fprintf(stdout, "%-11s %5s %5s %5s %5s  %s\n", "page", "perf", "a11y", "bp", "seo", "path")
	var failed []string
	for _, name := range audited {
		p, ok := pages[name]
		if !ok {
			return fmt.Errorf("no page type %q in e2e.Pages", name)
		}
		jsonPath := filepath.Join(*out, name+".json")
		if err := lighthouse(ctx, lh, site.URL+p.Path, jsonPath, *desktop); err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
		r, err := readReport(jsonPath)
		if err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
		if r.RuntimeError != nil && r.RuntimeError.Code != "" {
			return fmt.Errorf("%s: lighthouse runtime error %s: %s", name, r.RuntimeError.Code, r.RuntimeError.Message)
		}
		row := fmt.Sprintf("%-11s", name)
		for _, c := range categories {
			cat := r.Categories[c.id]
			if cat.Score == nil {
				row += fmt.Sprintf(" %5s", "n/a")
				continue
			}
			row += fmt.Sprintf(" %5.0f", *cat.Score*100)
			for _, ref := range cat.AuditRefs {
				a := r.Audits[ref.ID]
				if ref.Weight > 0 && a.Score != nil && *a.Score < 1 {
					failed = append(failed, fmt.Sprintf("  %s %s: %s score=%.2f %s (%s)", name, c.short, ref.ID, *a.Score, a.DisplayValue, a.Title))
				}
			}
		}
		fmt.Fprintf(stdout, "%s  %s\n", row, p.Path)
	}
	if len(failed) > 0 {
		fmt.Fprintln(stdout, "audits below 1 that count towards a score:")
		for _, f := range failed {
			fmt.Fprintln(stdout, f)
		}
	}
	return nil
}

// lighthouse audits one URL into jsonPath, with a fresh browser profile so
// no cache or storage carries over from the previous page.
func lighthouse(ctx context.Context, bin, url, jsonPath string, desktop bool) error {
	profile, err := os.MkdirTemp("", "versus-lighthouse-profile-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(profile)
	flags := make([]string, 0, len(e2e.ChromeFlags)+1)
	for _, f := range e2e.ChromeFlags {
		flags = append(flags, "--"+f)
	}
	flags = append(flags, "--user-data-dir="+profile)
	args := []string{url, "--quiet", "--output=json", "--output-path=" + jsonPath, "--chrome-flags=" + strings.Join(flags, " ")}
	if desktop {
		args = append(args, "--preset=desktop")
	}
	ctx, cancel := context.WithTimeout(ctx, 5*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, args...)
	cmd.Env = append(os.Environ(), "CHROME_PATH="+e2e.ChromePath) // lighthouse has no --chrome-path flag
	if b, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("%s %s: %w\n%s", bin, url, err, tail(b, 20))
	}
	return nil
}

func readReport(path string) (*report, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read report: %w", err)
	}
	var r report
	if err := json.Unmarshal(b, &r); err != nil {
		return nil, fmt.Errorf("decode %s: %w", path, err)
	}
	if len(r.Categories) == 0 {
		return nil, errors.New(path + ": no categories in the report")
	}
	return &r, nil
}

// tail keeps the last n lines of a command's output for an error message.
func tail(b []byte, n int) string {
	lines := strings.Split(strings.TrimRight(string(b), "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}
