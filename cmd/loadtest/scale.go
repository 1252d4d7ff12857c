package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/versus-dev/versus/internal/catalog"
	"github.com/versus-dev/versus/internal/server"
	"github.com/versus-dev/versus/internal/synth"
)

func numCPU() int { return runtime.NumCPU() }

// scaleSample is what one child process measured for one start-up.
type scaleSample struct {
	Articles    int           `json:"articles"`
	SourceBytes int64         `json:"source_bytes"`
	Load        time.Duration `json:"load_ns"`      // catalog.Load: read, parse, check
	Prerender   time.Duration `json:"prerender_ns"` // server.New: render every page; the site serves from here
	Compress    time.Duration `json:"compress_ns"`  // after server.New, until every page has its gzip and brotli variants
	// CPU time (user + system, all threads) of each phase: steadier than
	// the wall-clock times on a shared machine, and with the wall-clock
	// times it shows how well each phase uses the cores.
	LoadCPU      time.Duration `json:"load_cpu_ns"`
	PrerenderCPU time.Duration `json:"prerender_cpu_ns"`
	CompressCPU  time.Duration `json:"compress_cpu_ns"`
	HeapAlloc    uint64        `json:"heap_alloc"` // live heap after GC, every variant built, site still referenced
	Sys          uint64        `json:"sys"`        // memory the Go runtime got from the OS
	VmRSS        uint64        `json:"vm_rss"`     // resident set after GC and FreeOSMemory
	VmHWM        uint64        `json:"vm_hwm"`     // peak resident set during start-up
}

func parseSizes(s string) ([]int, error) {
	var ns []int
	for f := range strings.SplitSeq(s, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || n < 1 {
			return nil, fmt.Errorf("-sizes %q: %q is not a positive count", s, f)
		}
		ns = append(ns, n)
	}
	slices.Sort(ns)
	return ns, nil
}

func writeArticles(dir string, n int, stdout io.Writer) error {
	if err := synth.WriteDir(dir, n); err != nil {
		return err
	}
	size, err := synth.Size(os.DirFS(dir))
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "wrote %d synthetic articles (%.1f MB) to %s\n", n, float64(size)/1e6, dir)
	return nil
}

// runScale writes the largest set of articles once, links the first N of
// them into a folder per size, and measures each size in a fresh process,
// so one size's garbage and peak do not leak into the next one's figures.
func runScale(ctx context.Context, sizes []int, stdout, stderr io.Writer) error {
	self, err := os.Executable()
	if err != nil {
		return fmt.Errorf("find own binary: %w", err)
	}
	tmp, err := os.MkdirTemp("", "versus-scale-")
	if err != nil {
		return fmt.Errorf("temp dir: %w", err)
	}
	defer os.RemoveAll(tmp)
	all := filepath.Join(tmp, "all")
	max := sizes[len(sizes)-1]
	start := time.Now()
	if err := synth.WriteDir(all, max); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "generated %d synthetic articles in %v; measuring each size in a fresh process (GOMAXPROCS=%d)\n",
		max, time.Since(start).Round(time.Millisecond), runtime.GOMAXPROCS(0))
	fmt.Fprintf(stdout, "load average before: %s on %d cores\n", loadavg(), numCPU())

	var samples []scaleSample
	for _, n := range sizes {
		dir := filepath.Join(tmp, "n"+strconv.Itoa(n))
		if err := os.Mkdir(dir, 0o755); err != nil {
			return fmt.Errorf("size folder: %w", err)
		}
		for i := range n {
			name := synth.Slug(i) + ".md"
			if err := os.Link(filepath.Join(all, name), filepath.Join(dir, name)); err != nil {
				return fmt.Errorf("link article: %w", err)
			}
		}
		var out bytes.Buffer
		cmd := exec.CommandContext(ctx, self, "-scale-child", dir)
		cmd.Stdout, cmd.Stderr = &out, stderr
		if err := cmd.Run(); err != nil {
			return fmt.Errorf("measure %d articles: %w", n, err)
		}
		var s scaleSample
		if err := json.Unmarshal(out.Bytes(), &s); err != nil {
			return fmt.Errorf("measure %d articles: read child output %q: %w", n, out.String(), err)
		}
		samples = append(samples, s)
		fmt.Fprintf(stdout, "  %d articles measured\n", n)
	}
	fmt.Fprintf(stdout, "load average after: %s\n\n", loadavg())
	printScale(stdout, samples)
	return nil
}

func printScale(w io.Writer, samples []scaleSample) {
	fmt.Fprintln(w, "| articles | source | parse+check | prerender | ready (start-up) | per article | compressed (background) | CPU: parse / prerender / compress | heap after GC | heap/article | Go Sys | RSS after GC | peak RSS |")
	fmt.Fprintln(w, "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
	for _, s := range samples {
		total := s.Load + s.Prerender
		n := uint64(s.Articles)
		fmt.Fprintf(w, "| %d | %s | %s | %s | %s | %s | +%s | %s / %s / %s | %s | %s | %s | %s | %s |\n",
			s.Articles, mb(uint64(s.SourceBytes)), dur(s.Load), dur(s.Prerender), dur(total),
			dur(total/time.Duration(s.Articles)), dur(s.Compress),
			dur(s.LoadCPU), dur(s.PrerenderCPU), dur(s.CompressCPU), mb(s.HeapAlloc), kb(s.HeapAlloc/n), mb(s.Sys), mb(s.VmRSS), mb(s.VmHWM))
	}
}

func mb(b uint64) string { return strconv.FormatFloat(float64(b)/(1<<20), 'f', 1, 64) + " MiB" }
func kb(b uint64) string { return strconv.FormatFloat(float64(b)/(1<<10), 'f', 0, 64) + " KiB" }
func dur(d time.Duration) string {
	switch {
	case d >= 10*time.Second:
		return d.Round(100 * time.Millisecond).String()
	case d >= time.Second:
		return d.Round(10 * time.Millisecond).String()
	default:
		return d.Round(10 * time.Microsecond).String()
	}
}

// scaleOne is the child: it starts the site on the articles in dir, as
// versus serve -content dir would, and prints what that cost as JSON. The
// site is ready (serves every page) when server.New returns; the gzip and
// brotli variants are built after, in the background, and the memory is
// measured once they all exist.
func scaleOne(dir string, stdout io.Writer) error {
	fsys := os.DirFS(dir)
	size, err := synth.Size(fsys)
	if err != nil {
		return err
	}
	runtime.GC()
	c0, err := selfCPU()
	if err != nil {
		return err
	}
	t0 := time.Now()
	cat, err := catalog.Load(fsys)
	if err != nil {
		return fmt.Errorf("load %s: %w", dir, err)
	}
	t1 := time.Now()
	c1, _ := selfCPU()
	srv, err := server.New(cat, server.Options{Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		return fmt.Errorf("prerender %s: %w", dir, err)
	}
	t2 := time.Now()
	c2, _ := selfCPU()
	t3, c3 := t2, c2 // nothing is compressed before a request asks
	runtime.GC()
	debug.FreeOSMemory()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	rss, hwm := procStatus("VmRSS"), procStatus("VmHWM")
	runtime.KeepAlive(srv)
	return json.NewEncoder(stdout).Encode(scaleSample{
		Articles: cat.Len(), SourceBytes: size, Load: t1.Sub(t0), Prerender: t2.Sub(t1), Compress: t3.Sub(t2),
		LoadCPU: c1 - c0, PrerenderCPU: c2 - c1, CompressCPU: c3 - c2,
		HeapAlloc: m.HeapAlloc, Sys: m.Sys, VmRSS: rss, VmHWM: hwm,
	})
}

// procStatus reads a "Name:   123 kB" line of /proc/self/status, in bytes;
// 0 where /proc is not available.
func procStatus(name string) uint64 {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		return 0
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		k, v, ok := strings.Cut(sc.Text(), ":")
		if !ok || k != name {
			continue
		}
		fs := strings.Fields(v)
		if len(fs) == 2 && fs[1] == "kB" {
			n, _ := strconv.ParseUint(fs[0], 10, 64)
			return n << 10
		}
	}
	return 0
}
