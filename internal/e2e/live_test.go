package e2e

import (
	"bytes"
	"context"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// watchServer builds the real binary and runs `versus -content DIR -watch`
// on a free loopback port over a copy of the content; it returns the copy
// and the site's URL. The process is stopped when the test ends.
func watchServer(t *testing.T) (dir, url string) {
	t.Helper()
	root, err := moduleRoot()
	if err != nil {
		t.Fatal(err)
	}
	tmp := t.TempDir()
	dir = filepath.Join(tmp, "content")
	if err := os.CopyFS(dir, os.DirFS(filepath.Join(root, "content"))); err != nil {
		t.Fatalf("copy the content: %v", err)
	}
	bin := filepath.Join(tmp, "versus")
	build := exec.Command("go", "build", "-o", bin, "./cmd/versus")
	build.Dir = root
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	var log bytes.Buffer
	cmd := exec.Command(bin, "-content", dir, "-watch", "-addr", addr, "-log-level", "warn")
	cmd.Stdout, cmd.Stderr = &log, &log
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = cmd.Process.Signal(os.Interrupt)
		_ = cmd.Wait()
		if t.Failed() {
			t.Logf("server log:\n%s", log.String())
		}
	})
	url = "http://" + addr
	for start := time.Now(); ; time.Sleep(50 * time.Millisecond) {
		resp, err := http.Get(url + "/healthz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return dir, url
			}
		}
		if time.Since(start) > 20*time.Second {
			t.Fatalf("the watch-mode server did not answer /healthz: %v", err)
		}
	}
}

// waitFor evaluates a JavaScript condition every 50 ms until it is true,
// across the page reloads the test expects (an evaluation cut short by one
// is tried again).
func waitFor(t *testing.T, ctx context.Context, what, cond string) {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	var last error
	for time.Now().Before(deadline) {
		ok, err := chromedp.Run(ctx, chromedp.Evaluate[bool](cond))
		if err == nil && ok {
			return
		}
		last = err
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("waiting until %s (%s): not within 15 s (last error: %v)", what, short(cond), last)
}

// TestLiveReload: in watch mode a page open in the browser follows the
// file: a save shows the new title without navigating, at the same scroll
// position; a broken save shows the problem with its file:line; fixing it
// takes the problem away.
func TestLiveReload(t *testing.T) {
	need(t, HaveChrome())
	dir, url := watchServer(t)
	file := filepath.Join(dir, "python-web-frameworks", "django-vs-flask.md")
	orig, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	const oldTitle, newTitle = "title: Django vs Flask\n", "title: Django vs Flask, edited live\n"
	if !bytes.Contains(orig, []byte(oldTitle)) {
		t.Fatalf("%s has no line %q", file, oldTitle)
	}
	edited := bytes.Replace(orig, []byte(oldTitle), []byte(newTitle), 1)
	save := func(b []byte) {
		t.Helper()
		if err := os.WriteFile(file, b, 0o644); err != nil {
			t.Fatal(err)
		}
	}

	ctx := tab(t)
	do(t, ctx, "open the comparison", chromedp.Navigate(url+"/compare/django-vs-flask"))
	if h1 := eval[string](t, ctx, `document.querySelector("h1").textContent`); strings.Contains(h1, "edited live") {
		t.Fatalf("h1 is already %q", h1)
	}
	if n := eval[int](t, ctx, `document.querySelectorAll('script[src*="/static/live."]').length`); n != 1 {
		t.Fatalf("a watch-mode page has %d live.js scripts, want 1", n)
	}
	// Wait until the page listens, then scroll down and mark this page
	// load: a reload starts a new window, without the mark.
	waitFor(t, ctx, "the page listens for reloads", `document.documentElement.getAttribute("data-live") === "listening"`)
	eval[bool](t, ctx, `window.scrollTo(0, 1500); window.__sameLoad = true; true`)
	y := eval[float64](t, ctx, `window.scrollY`)
	if y < 1000 {
		t.Fatalf("scrolled to %v, want 1500: the page is too short to test", y)
	}

	save(edited)
	waitFor(t, ctx, "the new title shows", `document.querySelector("h1") !== null && document.querySelector("h1").textContent.includes("edited live") && document.readyState === "complete"`)
	if same := eval[bool](t, ctx, `window.__sameLoad === true`); same {
		t.Error("the title changed without a reload?")
	}
	waitFor(t, ctx, "the reloaded page listens again", `document.documentElement.getAttribute("data-live") === "listening"`)
	waitFor(t, ctx, "the scroll position is restored", fmt.Sprintf(`Math.abs(window.scrollY - %v) < 2`, y))
	if eval[int](t, ctx, `document.querySelectorAll('[data-testid="problem-banner"]').length`) != 0 {
		t.Error("a valid save shows a problem banner")
	}

	// Break it: a # heading is refused at its line.
	broken := append(bytes.Clone(edited), "\n# Not allowed here\n"...)
	line := bytes.Count(broken, []byte("\n")) // the heading is the last line
	want := fmt.Sprintf("python-web-frameworks/django-vs-flask.md:%d: a # heading is not allowed", line)
	save(broken)
	waitFor(t, ctx, "the problem shows with its file:line", fmt.Sprintf(`(document.querySelector('[data-testid="problem-banner"]') || {textContent: ""}).textContent.includes(%q)`, want))
	waitFor(t, ctx, "the page with the problem listens again", `document.documentElement.getAttribute("data-live") === "listening"`)
	if h1 := eval[string](t, ctx, `document.querySelector("h1").textContent`); !strings.Contains(h1, "edited live") {
		t.Errorf("with the broken save the page should keep the last good content, h1 = %q", h1)
	}

	// Fix it: the banner goes.
	save(edited)
	waitFor(t, ctx, "the problem is gone", `document.readyState === "complete" && document.querySelector("h1") !== null && document.querySelector('[data-testid="problem-banner"]') === null`)
	if h1 := eval[string](t, ctx, `document.querySelector("h1").textContent`); !strings.Contains(h1, "edited live") {
		t.Errorf("after the fix h1 = %q", h1)
	}
}
