// Package e2e proves the site in a real browser: it serves the real router on
// a loopback port and drives the system Chromium against it. The journeys,
// accessibility and HTML checks live in its tests; cmd/screenshots and
// cmd/lighthouse reuse the same site and browser set-up so that what they
// measure is what the tests prove.
package e2e

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
)

// ChromePath is where Debian's chromium package puts the browser. The tools
// use the system browser because this machine (and CI) has no network to
// download one.
const ChromePath = "/usr/bin/chromium"

// ChromeFlags are the command-line switches every headless launch uses, in
// chromedp and in Lighthouse alike: no sandbox (containers), and nothing that
// reaches for the network, which is closed here and would only add delays.
var ChromeFlags = []string{
	"headless",
	"no-sandbox",
	"disable-gpu",
	"disable-quic",
	"no-first-run",
	"disable-background-networking",
	"disable-component-update",
	"disable-sync",
}

// ErrNoChrome says the system browser is missing, so callers can skip
// locally and fail in CI.
var ErrNoChrome = errors.New("chromium not found at " + ChromePath + ": apt-get install chromium")

// HaveChrome reports whether the system browser is installed.
func HaveChrome() error {
	if _, err := os.Stat(ChromePath); err != nil {
		return ErrNoChrome
	}
	return nil
}

// AllocatorOptions launches ChromePath with ChromeFlags. chromedp gives each
// allocator a fresh temporary user-data-dir and removes it on cancel, so no
// state leaks from one browser to the next.
func AllocatorOptions() []chromedp.ExecAllocatorOption {
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(ChromePath),
		chromedp.NoDefaultBrowserCheck,
		chromedp.WindowSize(1280, 800),
	}
	for _, f := range ChromeFlags {
		opts = append(opts, chromedp.Flag(f, true))
	}
	return opts
}

// NewBrowser starts a headless Chromium and returns a context whose first
// tab is ready. Cancel it to close the browser and remove its profile.
// extra adds switches, such as hide-scrollbars for screenshots that should
// be as wide as the viewport they name.
func NewBrowser(parent context.Context, extra ...chromedp.ExecAllocatorOption) (context.Context, context.CancelFunc, error) {
	if err := HaveChrome(); err != nil {
		return nil, nil, err
	}
	actx, acancel := chromedp.NewExecAllocator(parent, append(AllocatorOptions(), extra...)...)
	ctx, cancel := chromedp.NewContext(actx)
	if err := chromedp.Do(ctx); err != nil { // starts the browser and opens the tab
		cancel()
		acancel()
		return nil, nil, fmt.Errorf("start %s: %w", ChromePath, err)
	}
	return ctx, func() { cancel(); acancel() }, nil
}

// ColorScheme is a value of the prefers-color-scheme media feature.
type ColorScheme string

// The two schemes every page must pass in.
const (
	Light ColorScheme = "light"
	Dark  ColorScheme = "dark"
)

// EmulateColorScheme makes the tab report prefers-color-scheme: s, as an OS
// setting would.
func EmulateColorScheme(s ColorScheme) chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		_, err := cdp.Call(ctx, t, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{
			Features: []*emulation.MediaFeature{{Name: "prefers-color-scheme", Value: string(s)}},
		})
		if err != nil {
			return fmt.Errorf("emulate prefers-color-scheme: %s: %w", s, err)
		}
		return nil
	})
}

// NodeDir is internal/e2e/node, where package.json pins the npm tools
// (axe-core, html-validate, lighthouse). It is found from the module root so
// that tests (run in internal/e2e) and commands (run anywhere in the
// checkout) agree.
func NodeDir() (string, error) {
	root, err := moduleRoot()
	if err != nil {
		return "", err
	}
	return filepath.Join(root, "internal", "e2e", "node"), nil
}

// moduleRoot is the nearest folder above the working directory that holds
// go.mod: the checkout's root.
func moduleRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", fmt.Errorf("find module root: %w", err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("find module root: no go.mod above the working directory: run from inside the checkout")
		}
		dir = parent
	}
}

// ErrNoNodeTools says `npm ci --prefix internal/e2e/node` has not been run.
var ErrNoNodeTools = errors.New("internal/e2e/node/node_modules missing: run npm ci --prefix internal/e2e/node")

// NodeTool returns the path of an installed npm file under node_modules
// (such as ".bin/html-validate" or "axe-core/axe.min.js").
func NodeTool(rel string) (string, error) {
	dir, err := NodeDir()
	if err != nil {
		return "", err
	}
	p := filepath.Join(dir, "node_modules", filepath.FromSlash(rel))
	if _, err := os.Stat(p); err != nil {
		return "", fmt.Errorf("%s: %w", rel, ErrNoNodeTools)
	}
	return p, nil
}
