// Command loadtest measures how close the versus site comes to the fastest
// way of sending the same bytes, and how its start-up grows with the
// number of articles.
//
//	go run ./cmd/loadtest [-d 5s] [-r 3] [-c 64] [-t 2] [-gzip] [-log file|discard]
//	go run ./cmd/loadtest -scale [-sizes 1000,5000,20000,100000] [-runs 3] [-requests 20000] [-cache-size BYTES] [-drop-caches]
//	go run ./cmd/loadtest -hugo [-n 1000] [-runs 3]
//	go run ./cmd/loadtest -write DIR [-n 1000]
//	go run ./cmd/loadtest -write DIR [-n 1000] -categories N [-subjects 20]
//	(-scale also measures -categories N of -subjects M; 0 turns it off)
//
// The load mode starts, in this process and on 127.0.0.1 only, the real
// site (server.NewSite over the embedded articles, with the logger and
// http.Server of cmd/versus serve), two bare net/http handlers writing the
// site's response from memory (one replaying every header the site sent,
// the baseline of the targets; one with the body and its type only), and
// a private nginx serving the body from a file; then it runs wrk
// against each in turn, alternating the order every round, and prints the
// figures, their medians and the ratios that say whether the site keeps up.
// Numbers compared are always from the same run on the same machine.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"os/signal"
	"syscall"
	"time"
)

// exitCodeError carries a status for main: 2 for usage and missing tools.
type exitCodeError struct {
	code int
	err  error
}

func (e *exitCodeError) Error() string { return e.err.Error() }
func (e *exitCodeError) Unwrap() error { return e.err }

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	interrupted := ctx.Err() != nil // read before stop, which cancels ctx
	stop()
	if err != nil && !errors.Is(err, flag.ErrHelp) {
		fmt.Fprintf(os.Stderr, "loadtest: %v\n", err)
		code := 1
		if interrupted {
			code = 130 // as a shell reports a process ended by SIGINT
		}
		var ce *exitCodeError
		if errors.As(err, &ce) {
			code = ce.code
		}
		os.Exit(code)
	}
}

// loadConfig is the load mode's command line.
type loadConfig struct {
	dur      time.Duration
	rounds   int
	conns    int
	threads  int
	gzip     bool
	logMode  string
	wrk      string
	nginxBin string
	cpuProf  string
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fl := flag.NewFlagSet("loadtest", flag.ContinueOnError)
	fl.SetOutput(stderr)
	var (
		c          loadConfig
		scale      bool
		sizes      string
		writeDir   string
		writeN     int
		scaleChild string
		sc         scaleConfig
		hugo       bool
	)
	fl.DurationVar(&c.dur, "d", 5*time.Second, "wrk `duration` of each run (whole seconds)")
	fl.IntVar(&c.rounds, "r", 3, "rounds; each runs every target once, in alternating order")
	fl.IntVar(&c.conns, "c", 64, "wrk connections")
	fl.IntVar(&c.threads, "t", 2, "wrk threads")
	fl.BoolVar(&c.gzip, "gzip", false, "add a round pair with Accept-Encoding: gzip (site vs a bare handler replaying its gzip response)")
	fl.StringVar(&c.logMode, "log", "file", "site request log: file (text lines, as versus serve writes to stderr, into a temp file) or discard (no log handler)")
	fl.StringVar(&c.cpuProf, "cpuprofile", "", "write a CPU profile of this process (site and bare handlers; nginx and wrk are separate processes) to `FILE`")
	fl.BoolVar(&scale, "scale", false, "measure start-up time and memory for -sizes synthetic articles instead of load")
	fl.StringVar(&sizes, "sizes", "1000,5000,20000,100000", "comma-separated article counts for -scale")
	fl.IntVar(&sc.runs, "runs", 1, "fresh processes per size for -scale; the figures are their medians")
	fl.IntVar(&sc.requests, "requests", 20000, "random-page requests per -scale process, after the cold-start pages")
	fl.StringVar(&sc.articles, "articles", "", "for -scale: reuse the synthetic articles in `DIR` (from -write DIR -n N, N at least the largest size) instead of writing them")
	fl.Int64Var(&sc.cacheSize, "cache-size", 0, "page cache budget in bytes for -scale (0: the server's default)")
	fl.BoolVar(&sc.dropCaches, "drop-caches", false, "for -scale: empty the kernel's page cache (/proc/sys/vm/drop_caches, as root) before each start-up instead of reading the files into it, to measure a start-up that reads every file from disk")
	fl.BoolVar(&hugo, "hugo", false, "compare versus start-up (time to ready, peak RSS) with a Hugo build of the same -n synthetic articles, -runs times")
	fl.StringVar(&writeDir, "write", "", "write -n synthetic articles into `DIR` and exit")
	fl.IntVar(&writeN, "n", 1000, "how many articles -write writes and -hugo builds")
	fl.StringVar(&scaleChild, "scale-child", "", "internal: measure one start-up of the articles in `DIR` and print JSON")
	cc := catalogFlags(fl) // -categories, -subjects: catalogscale.go
	if err := fl.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return &exitCodeError{2, err}
	}
	if fl.NArg() > 0 {
		return &exitCodeError{2, fmt.Errorf("unexpected arguments %q", fl.Args())}
	}
	switch {
	case scaleChild != "":
		if c.cpuProf != "" { // a profile of one start-up: loadtest -scale-child DIR -cpuprofile FILE
			stop, err := startCPUProfile(c.cpuProf)
			if err != nil {
				return err
			}
			defer stop()
		}
		return scaleOne(scaleChild, sc.requests, sc.cacheSize, stdout)
	case hugo:
		if writeN < 1 || sc.runs < 1 {
			return &exitCodeError{2, fmt.Errorf("-n and -runs must be positive")}
		}
		return runHugo(ctx, writeN, sc.runs, stdout, stderr)
	case cc.child != "":
		return catalogScaleOne(cc.child, stdout)
	case writeDir != "" && cc.given():
		return writeContent(writeDir, writeN, cc, stdout)
	case writeDir != "":
		if writeN < 1 {
			return &exitCodeError{2, fmt.Errorf("-n %d: want 1 or more", writeN)}
		}
		return writeArticles(writeDir, writeN, stdout)
	case scale && sizes == "none":
		return runCatalogScale(ctx, cc, stdout, stderr)
	case scale:
		ns, err := parseSizes(sizes)
		if err != nil {
			return &exitCodeError{2, err}
		}
		if sc.runs < 1 || sc.requests < 0 || sc.cacheSize < 0 {
			return &exitCodeError{2, errors.New("-runs must be positive, -requests and -cache-size not negative")}
		}
		sc.sizes = ns
		if err := runScale(ctx, sc, stdout, stderr); err != nil {
			return err
		}
		return runCatalogScale(ctx, cc, stdout, stderr)
	}

	if c.dur < time.Second || c.dur%time.Second != 0 {
		return &exitCodeError{2, fmt.Errorf("-d %v: wrk takes whole seconds, 1s or more", c.dur)}
	}
	if c.rounds < 1 || c.conns < 1 || c.threads < 1 || c.conns < c.threads {
		return &exitCodeError{2, fmt.Errorf("-r, -c and -t must be positive and -c at least -t")}
	}
	if c.logMode != "file" && c.logMode != "discard" {
		return &exitCodeError{2, fmt.Errorf("-log %q: want file or discard", c.logMode)}
	}
	var err error
	if c.wrk, err = exec.LookPath("wrk"); err != nil {
		return &exitCodeError{2, errors.New("wrk is not installed: install the Debian package wrk (apt-get install wrk)")}
	}
	if c.nginxBin, err = exec.LookPath("nginx"); err != nil {
		if _, serr := os.Stat("/usr/sbin/nginx"); serr != nil {
			return &exitCodeError{2, errors.New("nginx is not installed: install the Debian package nginx (apt-get install nginx)")}
		}
		c.nginxBin = "/usr/sbin/nginx"
	}
	return runLoad(ctx, c, stdout)
}
