package main

// The catalog part of -scale: a content folder of synthetic categories
// (internal/synth: -categories of -subjects each, 50 of 20 by default),
// whose every set of 2 to 4 subjects of one category is a comparison served
// on demand. One fresh process starts the site on it, as versus serve
// -content DIR does, and reports the time to ready, the memory, and the
// first and second request to a few composed sets, hand-written articles,
// category and subject pages. -write DIR -categories N writes the same
// folder (with -n self-contained articles beside it; -n 0 for none).

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/exec"
	"runtime"
	"runtime/debug"
	"slices"
	"time"

	"github.com/versus-dev/versus/internal/catalog"
	"github.com/versus-dev/versus/internal/compare"
	"github.com/versus-dev/versus/internal/server"
	"github.com/versus-dev/versus/internal/synth"
)

// catalogStart is when this process started, as near as Go lets us note
// it: package variables are set before main runs.
var catalogStart = time.Now()

// catalogConfig is the catalog part of the command line.
type catalogConfig struct {
	categories int
	subjects   int
	child      string // internal: measure the catalog in this folder
	fl         *flag.FlagSet
}

func catalogFlags(fl *flag.FlagSet) *catalogConfig {
	c := &catalogConfig{fl: fl}
	fl.IntVar(&c.categories, "categories", 50, "synthetic categories: -scale measures a catalog of this many (0: none) after the -sizes articles (-sizes none: only the catalog); -write writes this many when the flag is given")
	fl.IntVar(&c.subjects, "subjects", 20, "subjects per synthetic category, 2 or more")
	fl.StringVar(&c.child, "catalog-child", "", "internal: measure one start-up of the catalog in `DIR` and print JSON")
	return c
}

// given says whether -categories is on the command line: -write writes
// categories only then, so plain -write DIR stays as it was.
func (c *catalogConfig) given() bool {
	set := false
	c.fl.Visit(func(f *flag.Flag) { set = set || f.Name == "categories" })
	return set
}

func (c *catalogConfig) check() error {
	if c.categories < 0 || c.subjects < 2 {
		return &exitCodeError{2, fmt.Errorf("-categories %d -subjects %d: want 0 or more categories of 2 or more subjects", c.categories, c.subjects)}
	}
	return nil
}

// sets is how many comparisons of 2, 3 and 4 subjects the catalog holds.
func (c *catalogConfig) sets() (pairs, triples, fours int) {
	n := c.subjects
	return c.categories * n * (n - 1) / 2, c.categories * n * (n - 1) * (n - 2) / 6, c.categories * n * (n - 1) * (n - 2) * (n - 3) / 24
}

// writeContent is -write DIR -categories N: the categories, and -n
// self-contained articles beside them.
func writeContent(dir string, articles int, c *catalogConfig, stdout io.Writer) error {
	if err := c.check(); err != nil {
		return err
	}
	if articles < 0 {
		return &exitCodeError{2, fmt.Errorf("-n %d: want 0 or more", articles)}
	}
	if articles > 0 {
		if err := writeArticles(dir, articles, stdout); err != nil {
			return err
		}
	}
	if err := synth.WriteCatalog(dir, c.categories, c.subjects); err != nil {
		return err
	}
	size, err := synth.Size(os.DirFS(dir))
	if err != nil {
		return err
	}
	pairs, triples, fours := c.sets()
	fmt.Fprintf(stdout, "wrote %d synthetic categories of %d subjects to %s (%.1f MB with any articles): %d pairs, %d three-way and %d four-way comparisons\n",
		c.categories, c.subjects, dir, float64(size)/1e6, pairs, triples, fours)
	return nil
}

// catalogSample is what the child measured.
type catalogSample struct {
	Categories  int           `json:"categories"`
	Subjects    int           `json:"subjects"`
	Articles    int           `json:"articles"` // hand-written, listed
	SourceBytes int64         `json:"source_bytes"`
	Files       int           `json:"files"`
	Load        time.Duration `json:"load_ns"` // catalog.Load: read, parse, check
	LoadCPU     time.Duration `json:"load_cpu_ns"`
	Ready       time.Duration `json:"ready_ns"` // process start until /readyz answers 200
	ReadyCPU    time.Duration `json:"ready_cpu_ns"`
	ReadyHeap   uint64        `json:"ready_heap"` // live heap after GC, at ready
	ReadyHWM    uint64        `json:"ready_hwm"`  // peak resident set until ready
	Requests    []firstHit    `json:"requests"`
	EndHeap     uint64        `json:"end_heap"` // live heap after GC, after the requests
	EndRSS      uint64        `json:"end_rss"`  // resident set after GC and FreeOSMemory
	PeakRSS     uint64        `json:"peak_rss"` // peak resident set of the whole run
}

// firstHit is the first and the second request to one URL.
type firstHit struct {
	What   string        `json:"what"`
	Path   string        `json:"path"`
	Bytes  int           `json:"bytes"`
	First  time.Duration `json:"first_ns"`
	Second time.Duration `json:"second_ns"`
}

// runCatalogScale writes the catalog into a temporary folder and measures
// it in a fresh process.
func runCatalogScale(ctx context.Context, c *catalogConfig, stdout, stderr io.Writer) error {
	if err := c.check(); err != nil || c.categories == 0 {
		return err
	}
	self, err := os.Executable()
	if err != nil {
		return fmt.Errorf("find own binary: %w", err)
	}
	tmp, err := os.MkdirTemp("", "versus-catalog-")
	if err != nil {
		return fmt.Errorf("temp dir: %w", err)
	}
	defer os.RemoveAll(tmp)
	start := time.Now()
	if err := synth.WriteCatalog(tmp, c.categories, c.subjects); err != nil {
		return err
	}
	pairs, triples, fours := c.sets()
	fmt.Fprintf(stdout, "\nwrote %d synthetic categories of %d subjects in %v: %d pairs, %d three-way and %d four-way comparisons, each servable on demand\n",
		c.categories, c.subjects, time.Since(start).Round(time.Millisecond), pairs, triples, fours)
	fmt.Fprintf(stdout, "load average before: %s on %d cores; measuring in a fresh process (GOMAXPROCS=%d)\n", loadavg(), numCPU(), runtime.GOMAXPROCS(0))
	var out bytes.Buffer
	cmd := exec.CommandContext(ctx, self, "-catalog-child", tmp)
	cmd.Stdout, cmd.Stderr = &out, stderr
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("measure the catalog: %w", err)
	}
	var s catalogSample
	if err := json.Unmarshal(out.Bytes(), &s); err != nil {
		return fmt.Errorf("measure the catalog: read child output %q: %w", out.String(), err)
	}
	fmt.Fprintf(stdout, "load average after: %s\n\n", loadavg())
	printCatalogScale(stdout, s)
	return nil
}

func printCatalogScale(w io.Writer, s catalogSample) {
	fmt.Fprintln(w, "| categories × subjects | files | source | parse+check (CPU) | ready | start-up CPU | heap after GC at ready | peak RSS at ready | heap after GC, after the requests | RSS after | peak RSS |")
	fmt.Fprintln(w, "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
	fmt.Fprintf(w, "| %d × %d | %d | %s | %s (%s) | %s | %s | %s | %s | %s | %s | %s |\n\n",
		s.Categories, s.Subjects, s.Files, mb(uint64(s.SourceBytes)), dur(s.Load), dur(s.LoadCPU), dur(s.Ready), dur(s.ReadyCPU),
		mb(s.ReadyHeap), mb(s.ReadyHWM), mb(s.EndHeap), mb(s.EndRSS), mb(s.PeakRSS))
	fmt.Fprintln(w, "| first request to | path | bytes | first | second |")
	fmt.Fprintln(w, "| --- | --- | ---: | ---: | ---: |")
	for _, h := range s.Requests {
		fmt.Fprintf(w, "| %s | `%s` | %d | %s | %s |\n", h.What, h.Path, h.Bytes, ms(h.First), ms(h.Second))
	}
}

// catalogAnswers answers every question of the synthetic questionnaire (the
// keys of content/python-web-frameworks), in its order.
const catalogAnswers = "size=medium&experience=beginner&kind=api&deadline=tight&admin=yes&auth=yes&data=relational&control=conventions&security=sensitive&growth=yes&team=small&architecture=monolith"

// catalogScaleOne is the child: it starts the site on the catalog in dir
// over HTTP on a loopback port and prints what that cost as JSON.
func catalogScaleOne(dir string, stdout io.Writer) error {
	fsys := os.DirFS(dir)
	t0 := time.Now()
	restoreGC := server.StartupGC() // as versus serve does
	cat, err := catalog.Load(fsys)
	restoreGC()
	if err != nil {
		return fmt.Errorf("load %s: %w", dir, err)
	}
	load := time.Since(t0)
	loadCPU, _ := selfCPU() // from process start: the CPU before Load is a few milliseconds
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return fmt.Errorf("listen: %w", err)
	}
	base := "http://" + ln.Addr().String()
	log := slog.New(slog.DiscardHandler)
	site, err := server.NewSite(cat, nil, dir, server.Options{Logger: log, BaseURL: base})
	if err != nil {
		return fmt.Errorf("start the site on %s: %w", dir, err)
	}
	hs := server.NewHTTPServer(site, log)
	go hs.Serve(ln)
	defer hs.Close()
	client := &http.Client{
		Transport:     &http.Transport{DisableCompression: true},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
	if _, err := get200(client, base+"/readyz"); err != nil {
		return err
	}
	s := catalogSample{Load: load, LoadCPU: loadCPU, Ready: time.Since(catalogStart), Categories: len(cat.Categories()), Articles: cat.Len()}
	s.ReadyCPU, _ = selfCPU()
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	s.ReadyHeap, s.ReadyHWM = m.HeapAlloc, procStatus("VmHWM")
	if s.SourceBytes, err = synth.Size(fsys); err != nil {
		return err
	}
	groups := cat.Categories()
	for _, g := range groups {
		s.Subjects = max(s.Subjects, len(g.Subjects))
		s.Files += 1 + len(g.Subjects) + len(g.Articles)
	}

	// A few categories across the catalog; in each, sets no hand-written
	// article covers, then what a reader opens around them.
	for i, g := range []*compare.Group{groups[0], groups[len(groups)/2], groups[len(groups)-1]} {
		keys := make([]string, len(g.Subjects))
		for j, sf := range g.Subjects {
			keys[j] = sf.Subject.Key
		}
		slices.Sort(keys)
		n := len(keys)
		var hits []firstHit
		add := func(what, path string) { hits = append(hits, firstHit{What: what, Path: path}) }
		three := generatedSet(cat, keys, 1, n/2, n-1)
		add("composed pair", "/compare/"+generatedSet(cat, keys, n-2, n-1))
		add("composed three-way", "/compare/"+three)
		if n >= 4 {
			add("composed four-way", "/compare/"+generatedSet(cat, keys, 0, n/3, 2*n/3, n-1))
		}
		if i == 0 {
			add("its questionnaire", "/compare/"+three+"/quiz")
			add("a result", "/compare/"+three+"/result?"+catalogAnswers)
			add("the quiz JSON", "/api/compare/"+three+"/quiz")
			if len(g.Articles) > 0 {
				add("hand-written article", "/compare/"+g.Articles[len(g.Articles)-1].Slug)
			}
			add("category page", "/categories/"+g.Category.Key)
			add("category result", "/categories/"+g.Category.Key+"/result?"+catalogAnswers)
			add("subject page", "/subjects/"+keys[n/2])
		}
		for k := range hits {
			h := &hits[k]
			t := time.Now()
			body, err := get200(client, base+h.Path)
			if err != nil {
				return err
			}
			h.First, h.Bytes = time.Since(t), len(body)
			t = time.Now()
			if _, err := get200(client, base+h.Path); err != nil {
				return err
			}
			h.Second = time.Since(t)
		}
		s.Requests = append(s.Requests, hits...)
	}
	runtime.GC()
	debug.FreeOSMemory()
	runtime.ReadMemStats(&m)
	s.EndHeap, s.EndRSS, s.PeakRSS = m.HeapAlloc, procStatus("VmRSS"), procStatus("VmHWM")
	runtime.KeepAlive(site)
	return json.NewEncoder(stdout).Encode(s)
}

// generatedSet is the slug of the set of keys at the positions at, or of
// the first set after it (each position moved on by one, and so on) that
// no hand-written article covers: a set composed from its files alone.
func generatedSet(cat *catalog.Catalog, keys []string, at ...int) string {
	set := make([]string, len(at))
	for shift := range keys {
		for i, p := range at {
			set[i] = keys[(p+shift)%len(keys)]
		}
		slug := compare.SetSlug(set)
		if x, _, err := cat.Lookup(slug); err == nil && x.Generated {
			return slug
		}
	}
	return compare.SetSlug(set) // every shift hand-written: cannot happen with a few articles per category
}

// get200 GETs u and wants a 200, whose body it returns.
func get200(client *http.Client, u string) ([]byte, error) {
	res, err := client.Get(u)
	if err != nil {
		return nil, err
	}
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	if err != nil {
		return nil, err
	}
	if res.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("GET %s: status %d %s: %.300s", u, res.StatusCode, res.Header.Get("Location"), body)
	}
	return body, nil
}
