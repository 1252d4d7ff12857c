package e2e

import (
	"context"
	"fmt"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
)

// inCI is set by .ci/run: there a missing browser or npm tool is a failure,
// not a reason to skip.
var inCI = os.Getenv("CI") == "true"

// need skips the test when a tool is missing locally and fails it in CI.
func need(t *testing.T, err error) {
	t.Helper()
	if err == nil {
		return
	}
	if inCI {
		t.Fatalf("CI=true and %v", err)
	}
	t.Skipf("skipping: %v", err)
}

var (
	siteOnce sync.Once
	theSite  *Site
	siteErr  error

	browserOnce   sync.Once
	browserCtx    context.Context
	browserCancel context.CancelFunc
	browserErr    error
)

// site is the real router over the embedded articles, shared by every test
// of the package (it is immutable, like the catalog it serves).
func site(t *testing.T) *Site {
	t.Helper()
	siteOnce.Do(func() { theSite, siteErr = Start() })
	if siteErr != nil {
		t.Fatalf("start site: %v", siteErr)
	}
	return theSite
}

// tab opens a new tab in its own browser context (an incognito-like
// profile: no cookies, storage or permissions shared with other tabs) of a
// browser shared by the package's tests. It is closed when the test ends.
func tab(t *testing.T) context.Context {
	t.Helper()
	need(t, HaveChrome())
	browserOnce.Do(func() {
		browserCtx, browserCancel, browserErr = NewBrowser(context.Background())
	})
	if browserErr != nil {
		t.Fatalf("start browser: %v", browserErr)
	}
	ctx, cancel := chromedp.NewContext(browserCtx, chromedp.WithNewBrowserContext())
	ctx, cancelTimeout := context.WithTimeout(ctx, 90*time.Second)
	t.Cleanup(func() { cancelTimeout(); cancel() })
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("open tab: %v", err)
	}
	return ctx
}

func TestMain(m *testing.M) {
	code := m.Run()
	if browserCancel != nil {
		browserCancel()
	}
	if theSite != nil {
		theSite.Close()
	}
	os.Exit(code)
}

// do runs browser steps and fails the test with what was being done.
func do(t *testing.T, ctx context.Context, what string, steps ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	if err := chromedp.Do(ctx, steps...); err != nil {
		t.Fatalf("%s: %v", what, err)
	}
}

// eval evaluates a JavaScript expression (awaiting a promise) and decodes it.
func eval[T any](t *testing.T, ctx context.Context, expr string) T {
	t.Helper()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](expr, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatalf("evaluate %s: %v", short(expr), err)
	}
	return v
}

func short(s string) string {
	if len(s) > 120 {
		return s[:120] + "…"
	}
	return s
}

// bypassCSP lets the tests inject axe-core into pages whose
// Content-Security-Policy (rightly) forbids foreign scripts.
func bypassCSP() chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		_, err := cdp.Call(ctx, t, page.SetBypassCSP, page.SetBypassCSPParams{Enabled: true})
		return err
	})
}

// clickAndWait clicks what sel finds and waits for the page it leads to.
func clickAndWait(sel string) chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		_, err := chromedp.WaitEvent(page.LoadEventFired, nil, chromedp.Click(chromedp.CSS(sel), chromedp.NodeVisible))(ctx, t)
		if err != nil {
			return fmt.Errorf("click %s and wait for the next page: %w", sel, err)
		}
		return nil
	})
}

// keyAndWait presses keys and waits for the page load they cause.
func keyAndWait(keys string) chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		_, err := chromedp.WaitEvent(page.LoadEventFired, nil, chromedp.KeyEvent(keys))(ctx, t)
		if err != nil {
			return fmt.Errorf("press %q and wait for the next page: %w", keys, err)
		}
		return nil
	})
}
