package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// The testdata files are real wrk 4 --latency reports captured on this
// machine against a local python3 -m http.server: wrk-ok (200s), wrk-404
// (every answer non-2xx) and wrk-refused (nothing listening).
func TestParseWrk(t *testing.T) {
	read := func(name string) string {
		b, err := os.ReadFile(filepath.Join("testdata", name))
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	ok := read("wrk-ok.txt")
	tests := []struct {
		name    string
		out     string
		want    wrkResult
		wantErr string
	}{
		{name: "ok", out: ok, want: wrkResult{RPS: fieldAfter(t, ok, "Requests/sec:"), Requests: requestsIn(t, ok), P50: durAfter(t, ok, "50%"), P99: durAfter(t, ok, "99%")}},
		{name: "non-2xx counted", out: read("wrk-404.txt"), want: wrkResult{
			RPS: fieldAfter(t, read("wrk-404.txt"), "Requests/sec:"), Requests: requestsIn(t, read("wrk-404.txt")), P50: durAfter(t, read("wrk-404.txt"), "50%"), P99: durAfter(t, read("wrk-404.txt"), "99%"),
			Non2xx3xx: int(fieldAfter(t, read("wrk-404.txt"), "responses:"))}},
		// The socket error line as wrk's src/wrk.c prints it.
		{name: "socket errors summed", out: ok + "  Socket errors: connect 1, read 2, write 3, timeout 4\n", want: wrkResult{
			RPS: fieldAfter(t, ok, "Requests/sec:"), Requests: requestsIn(t, ok), P50: durAfter(t, ok, "50%"), P99: durAfter(t, ok, "99%"), SocketErrors: 10}},
		{name: "connection refused", out: read("wrk-refused.txt"), wantErr: "lacks Requests/sec"},
		{name: "no --latency", out: "Requests/sec:   1850.62\n", wantErr: "was --latency passed"},
		{name: "garbled rps", out: strings.Replace(ok, "Requests/sec:", "Requests/sec: x", 1), wantErr: "cannot read wrk line"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := parseWrk(tt.out)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want one containing %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got != tt.want {
				t.Errorf("got %+v, want %+v", got, tt.want)
			}
			if got.RPS <= 0 || got.P50 <= 0 || got.P99 < got.P50 {
				t.Errorf("implausible result %+v", got)
			}
		})
	}
}

// fieldAfter and durAfter read the expected values out of the capture
// independently of parseWrk (by the label's position, not its line shape),
// so the test does not hard-code figures.
func fieldAfter(t *testing.T, out, label string) float64 {
	t.Helper()
	i := strings.Index(out, label)
	if i < 0 {
		t.Fatalf("capture has no %q", label)
	}
	f := strings.Fields(out[i+len(label):])
	var v float64
	if _, err := fmt.Sscan(f[0], &v); err != nil {
		t.Fatalf("value after %q: %v", label, err)
	}
	return v
}

func requestsIn(t *testing.T, out string) int {
	t.Helper()
	i := strings.Index(out, " requests in ")
	if i < 0 {
		t.Fatal("capture has no 'requests in' line")
	}
	f := strings.Fields(out[:i])
	n, err := strconv.Atoi(f[len(f)-1])
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func durAfter(t *testing.T, out, label string) time.Duration {
	t.Helper()
	i := strings.Index(out, label)
	if i < 0 {
		t.Fatalf("capture has no %q", label)
	}
	s := strings.Fields(out[i+len(label):])[0]
	// Only ms and us appear in these captures.
	var v float64
	switch {
	case strings.HasSuffix(s, "ms"):
		fmt.Sscan(strings.TrimSuffix(s, "ms"), &v)
		return time.Duration(v * float64(time.Millisecond))
	case strings.HasSuffix(s, "us"):
		fmt.Sscan(strings.TrimSuffix(s, "us"), &v)
		return time.Duration(v * float64(time.Microsecond))
	}
	t.Fatalf("unexpected unit in %q", s)
	return 0
}

func TestParseWrkDuration(t *testing.T) {
	tests := []struct {
		in      string
		want    time.Duration
		wantErr bool
	}{
		{"812.00us", 812 * time.Microsecond, false},
		{"1.80ms", 1800 * time.Microsecond, false},
		{"1.02s", 1020 * time.Millisecond, false},
		{"1.50m", 90 * time.Second, false},
		{"12", 0, true},
		{"fastms", 0, true},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := parseWrkDuration(tt.in)
			if (err != nil) != tt.wantErr {
				t.Fatalf("err = %v, wantErr %v", err, tt.wantErr)
			}
			if got != tt.want {
				t.Errorf("got %v, want %v", got, tt.want)
			}
		})
	}
}

func TestParseSizes(t *testing.T) {
	tests := []struct {
		in      string
		want    []int
		wantErr string
	}{
		{in: "10,1000,5000", want: []int{10, 1000, 5000}},
		{in: "1000, 10", want: []int{10, 1000}},
		{in: "10,,20", wantErr: `"" is not a positive count`},
		{in: "0", wantErr: `"0" is not a positive count`},
		{in: "ten", wantErr: `"ten" is not a positive count`},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := parseSizes(tt.in)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want one containing %q", err, tt.wantErr)
				}
				return
			}
			if err != nil || len(got) != len(tt.want) {
				t.Fatalf("got %v, %v; want %v", got, err, tt.want)
			}
			for i := range got {
				if got[i] != tt.want[i] {
					t.Errorf("got %v, want %v", got, tt.want)
				}
			}
		})
	}
}

func TestParseStat(t *testing.T) {
	tests := []struct {
		name     string
		line     string
		wantCPU  time.Duration
		wantPPID int
		wantErr  bool
	}{
		// Field layout from proc(5): pid (comm) state ppid ... utime(14) stime(15) ...
		{name: "nginx worker", line: "4242 (nginx) S 4241 4241 4241 0 -1 4194624 100 0 0 0 250 31 0 0 20 0 1 0 123 0 0", wantCPU: 281 * clockTick, wantPPID: 4241},
		{name: "comm with spaces and parens", line: "7 (a) b (c)) R 1 7 7 0 -1 0 0 0 0 0 3 4 0 0 20 0 1 0 1 0 0", wantCPU: 7 * clockTick, wantPPID: 1},
		{name: "truncated", line: "7 (x) R 1 2", wantErr: true},
		{name: "no comm", line: "garbage", wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cpu, ppid, err := parseStat(tt.line)
			if (err != nil) != tt.wantErr {
				t.Fatalf("err = %v, wantErr %v", err, tt.wantErr)
			}
			if cpu != tt.wantCPU || ppid != tt.wantPPID {
				t.Errorf("got cpu %v ppid %d, want %v %d", cpu, ppid, tt.wantCPU, tt.wantPPID)
			}
		})
	}
	// This process's own line parses and names its parent.
	_, ppid, err := procCPU(os.Getpid())
	if err != nil || ppid != os.Getppid() {
		t.Errorf("procCPU(self) ppid %d, err %v; want ppid %d", ppid, err, os.Getppid())
	}
}
