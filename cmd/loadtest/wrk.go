package main

import (
	"bufio"
	"context"
	"fmt"
	"os/exec"
	"strconv"
	"strings"
	"time"
)

// wrkResult is what one wrk run measured.
type wrkResult struct {
	RPS          float64
	Requests     int // completed in the run
	P50, P99     time.Duration
	Non2xx3xx    int
	SocketErrors int
}

// wrkRunner runs wrk with fixed thread and connection counts.
type wrkRunner struct {
	path             string
	threads, conns   int
	extraHeaderLines []string // "Name: value", passed with -H
}

// run loads url for d and parses the report. It never runs longer than
// d plus a margin: wrk is killed when the bound or ctx ends first.
func (w wrkRunner) run(ctx context.Context, url string, d time.Duration) (wrkResult, error) {
	ctx, cancel := context.WithTimeout(ctx, d+20*time.Second)
	defer cancel()
	args := []string{"-t" + strconv.Itoa(w.threads), "-c" + strconv.Itoa(w.conns), "-d" + strconv.Itoa(int(d.Seconds())) + "s", "--latency"}
	for _, h := range w.extraHeaderLines {
		args = append(args, "-H", h)
	}
	args = append(args, url)
	out, err := exec.CommandContext(ctx, w.path, args...).CombinedOutput()
	if err != nil && ctx.Err() != nil {
		// Interrupted, or past the bound: say which instead of "killed".
		return wrkResult{}, fmt.Errorf("wrk %s: %w", url, context.Cause(ctx))
	}
	if err != nil {
		return wrkResult{}, fmt.Errorf("wrk %s: %w\n%s", strings.Join(args, " "), err, out)
	}
	r, err := parseWrk(string(out))
	if err != nil {
		return wrkResult{}, fmt.Errorf("wrk %s: %w", url, err)
	}
	return r, nil
}

// parseWrk reads the requests/s, the 50% and 99% latency lines, and the
// error counts from wrk --latency output. A report without requests/s or
// either percentile is an error: a silent zero would corrupt the medians.
func parseWrk(out string) (wrkResult, error) {
	var (
		r                       wrkResult
		haveRPS, have50, have99 bool
	)
	sc := bufio.NewScanner(strings.NewReader(out))
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) == 0 {
			continue
		}
		var err error
		if (f[0] == "Requests/sec:" || f[0] == "50%" || f[0] == "99%") && len(f) != 2 {
			return wrkResult{}, fmt.Errorf("cannot read wrk line %q: want a label and one value", sc.Text())
		}
		switch {
		case f[0] == "Requests/sec:":
			r.RPS, err = strconv.ParseFloat(f[1], 64)
			haveRPS = err == nil
		case f[0] == "50%":
			r.P50, err = parseWrkDuration(f[1])
			have50 = err == nil
		case f[0] == "99%":
			r.P99, err = parseWrkDuration(f[1])
			have99 = err == nil
		case len(f) >= 3 && f[1] == "requests" && f[2] == "in":
			r.Requests, err = strconv.Atoi(f[0])
		case f[0] == "Non-2xx" && len(f) >= 5:
			r.Non2xx3xx, err = strconv.Atoi(f[len(f)-1])
		case f[0] == "Socket" && len(f) == 10: // Socket errors: connect 0, read 0, write 0, timeout 0
			for _, i := range []int{3, 5, 7, 9} {
				n, e := strconv.Atoi(strings.TrimSuffix(f[i], ","))
				if e != nil {
					err = e
					break
				}
				r.SocketErrors += n
			}
		}
		if err != nil {
			return wrkResult{}, fmt.Errorf("cannot read wrk line %q: %w", sc.Text(), err)
		}
	}
	if !haveRPS || !have50 || !have99 {
		return wrkResult{}, fmt.Errorf("wrk output lacks Requests/sec or the 50%%/99%% latency lines (was --latency passed?):\n%s", out)
	}
	return r, nil
}

// parseWrkDuration reads wrk's latency units: us, ms, s, m.
func parseWrkDuration(s string) (time.Duration, error) {
	units := []struct {
		suffix string
		unit   time.Duration
	}{{"us", time.Microsecond}, {"ms", time.Millisecond}, {"m", time.Minute}, {"s", time.Second}}
	for _, u := range units {
		if num, ok := strings.CutSuffix(s, u.suffix); ok {
			v, err := strconv.ParseFloat(num, 64)
			if err != nil {
				return 0, fmt.Errorf("latency %q: %w", s, err)
			}
			return time.Duration(v * float64(u.unit)), nil
		}
	}
	return 0, fmt.Errorf("latency %q has no unit (us, ms, s or m)", s)
}
