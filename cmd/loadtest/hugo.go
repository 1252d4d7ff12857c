package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"syscall"
	"time"

	"github.com/versus-dev/versus/internal/synth"
)

// Hugo's side of the comparison: a site with the synthetic articles as
// its content and the smallest layout that renders each one (its Markdown
// body) and a list of them, built into tmpfs when there is one. Taxonomy
// pages are off, which only makes Hugo's side cheaper.
const (
	hugoConfig = `baseURL = "http://localhost/"
title = "versus synthetic"
disableKinds = ["taxonomy", "term", "rss", "sitemap", "robotstxt", "404"]
[markup.goldmark.renderer]
unsafe = false
`
	hugoSingle = `<!doctype html><html><head><title>{{ .Title }}</title></head><body><h1>{{ .Title }}</h1>{{ .Content }}</body></html>
`
	hugoList = `<!doctype html><html><head><title>{{ .Title }}</title></head><body><ul>{{ range .Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ul></body></html>
`
)

// runHugo builds the same n synthetic articles with Hugo and starts versus
// on them, runs times each in fresh processes, and prints both times and
// peak resident sets with their ratios (versus / Hugo).
func runHugo(ctx context.Context, n, runs int, stdout, stderr io.Writer) error {
	hugo, err := exec.LookPath("hugo")
	if err != nil {
		home, _ := os.UserHomeDir()
		if _, serr := os.Stat(filepath.Join(home, "go", "bin", "hugo")); serr != nil {
			return &exitCodeError{2, errors.New("hugo is not installed: go install github.com/gohugoio/hugo@v0.165.0")}
		}
		hugo = filepath.Join(home, "go", "bin", "hugo")
	}
	self, err := os.Executable()
	if err != nil {
		return fmt.Errorf("find own binary: %w", err)
	}
	version, _ := exec.CommandContext(ctx, hugo, "version").Output()
	tmp, err := os.MkdirTemp("", "versus-hugo-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	site := filepath.Join(tmp, "site")
	articles := filepath.Join(site, "content", "compare")
	if err := synth.WriteDir(articles, n); err != nil {
		return err
	}
	for name, text := range map[string]string{"hugo.toml": hugoConfig, "layouts/single.html": hugoSingle, "layouts/list.html": hugoList} {
		p := filepath.Join(site, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			return err
		}
	}
	outRoot := tmp
	if st, err := os.Stat("/dev/shm"); err == nil && st.IsDir() {
		outRoot = "/dev/shm"
	}
	out, err := os.MkdirTemp(outRoot, "versus-hugo-out-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(out)
	fmt.Fprintf(stdout, "%d synthetic articles; %s; output in %s\n", n, bytes.TrimSpace(version), outRoot)
	fmt.Fprintf(stdout, "load average before: %s on %d cores\n", loadavg(), numCPU())

	var hugoTime, hugoRSS, vTime, vRSS []float64
	for r := range runs {
		// Hugo: a full build from scratch into an empty folder.
		if err := os.RemoveAll(out); err != nil {
			return err
		}
		cmd := exec.CommandContext(ctx, hugo, "--quiet", "--source", site, "--destination", out, "--cacheDir", filepath.Join(tmp, "hugo-cache-"+strconv.Itoa(r)))
		cmd.Stdout, cmd.Stderr = io.Discard, stderr
		t := time.Now()
		if err := cmd.Run(); err != nil {
			return fmt.Errorf("hugo build: %w", err)
		}
		ht := time.Since(t)
		hr := uint64(cmd.ProcessState.SysUsage().(*syscall.Rusage).Maxrss) << 10
		files, _ := filepath.Glob(filepath.Join(out, "compare", "*", "index.html"))
		if len(files) != n {
			return fmt.Errorf("hugo wrote %d article pages, want %d", len(files), n)
		}
		// versus: a fresh process until /readyz answers.
		var buf bytes.Buffer
		vc := exec.CommandContext(ctx, self, "-scale-child", articles, "-requests", "0")
		vc.Stdout, vc.Stderr = &buf, stderr
		if err := vc.Run(); err != nil {
			return fmt.Errorf("versus start-up: %w", err)
		}
		var s scaleSample
		if err := json.Unmarshal(buf.Bytes(), &s); err != nil {
			return fmt.Errorf("versus start-up: %q: %w", buf.String(), err)
		}
		fmt.Fprintf(stdout, "  run %d: Hugo %s, %s peak; versus ready %s, %s peak\n", r+1, dur(ht), mb(hr), dur(s.Ready), mb(s.ReadyHWM))
		hugoTime, hugoRSS = append(hugoTime, float64(ht)), append(hugoRSS, float64(hr))
		vTime, vRSS = append(vTime, float64(s.Ready)), append(vRSS, float64(s.ReadyHWM))
	}
	fmt.Fprintf(stdout, "load average after: %s\n\n", loadavg())
	fmt.Fprintln(stdout, "| articles | versus: ready | versus: peak RSS | Hugo: build | Hugo: peak RSS | time ratio (target ≤ 0.25) | memory ratio (target ≤ 0.25) |")
	fmt.Fprintln(stdout, "| ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
	timeRatios, rssRatios := make([]float64, runs), make([]float64, runs)
	for i := range runs {
		timeRatios[i], rssRatios[i] = vTime[i]/hugoTime[i], vRSS[i]/hugoRSS[i]
	}
	fmt.Fprintf(stdout, "| %d | %s | %s | %s | %s | %.2f (%s) | %.2f (%s) |\n", n,
		dur(time.Duration(median(vTime))), mb(uint64(median(vRSS))), dur(time.Duration(median(hugoTime))), mb(uint64(median(hugoRSS))),
		median(timeRatios), fmtList(timeRatios), median(rssRatios), fmtList(rssRatios))
	return nil
}
