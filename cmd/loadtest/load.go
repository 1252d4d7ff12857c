package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"runtime/pprof"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/versus-dev/versus/content"
	"github.com/versus-dev/versus/internal/catalog"
	"github.com/versus-dev/versus/internal/recommend"
	"github.com/versus-dev/versus/internal/server"
	"github.com/versus-dev/versus/web"
)

// measuredSlug is the comparison whose pages are loaded.
const measuredSlug = "django-vs-flask"

// target is one URL wrk loads.
type target struct {
	name   string
	url    string
	header []string // extra request headers for wrk
	cpu    cpuMeter
}

// sample is one wrk run and the CPU its server spent per request.
type sample struct {
	wrkResult
	cpuPerReq time.Duration
}

// ratio is a figure the run must report, with the target it should meet.
type ratio struct {
	name       string
	num, den   string // target names
	p99        bool   // compare p99 latency instead of requests/s
	cpu        bool   // compare CPU per request, inverted (den/num), so higher is better like req/s
	atMost     bool   // the target is an upper bound
	goal       float64
	contextual bool // printed for context, no goal
}

func runLoad(ctx context.Context, c loadConfig, stdout io.Writer) error {
	tmp, err := os.MkdirTemp("", "versus-loadtest-")
	if err != nil {
		return fmt.Errorf("temp dir: %w", err)
	}
	defer os.RemoveAll(tmp)
	// nginx workers may run as another user (www-data when started as
	// root): they must be able to reach the files.
	if err := os.Chmod(tmp, 0o755); err != nil {
		return fmt.Errorf("temp dir: %w", err)
	}

	// (a) The real site, as cmd/versus serve builds it.
	cat, err := catalog.Load(content.FS)
	if err != nil {
		return fmt.Errorf("load embedded content: %w", err)
	}
	sum, ok := cat.Get(measuredSlug)
	if !ok {
		return fmt.Errorf("the embedded content has no %s to measure", measuredSlug)
	}
	comp, err := cat.Article(sum)
	if err != nil {
		return err
	}
	siteLn, err := listen()
	if err != nil {
		return err
	}
	siteBase := "http://" + siteLn.Addr().String()
	logger := slog.New(slog.DiscardHandler)
	if c.logMode == "file" {
		f, err := os.Create(filepath.Join(tmp, "site.log"))
		if err != nil {
			return fmt.Errorf("site log: %w", err)
		}
		defer f.Close()
		// The logger versus serve makes, text lines at info level.
		l, buf, err := server.NewLogger(f, "text", slog.LevelInfo)
		if err != nil {
			return err
		}
		defer buf.Close() // after the site stops: deferred calls run last first
		logger = l
	}
	site, err := server.NewSite(cat, nil, "content", server.Options{
		Logger: logger, BaseURL: "http://localhost:" + strconv.Itoa(siteLn.Addr().(*net.TCPAddr).Port),
	})
	if err != nil {
		return err
	}
	defer serveOn(server.GuardFraming(siteLn), site, logger)() // as versus serve listens

	// The pages' exact bytes, as a client without Accept-Encoding gets them.
	answers := recommend.Answers{}
	for _, q := range comp.Quiz.Questions {
		answers[q.Key] = q.Options[0].Key
	}
	comparePath := web.ComparePath(comp)
	resultPath := web.ResultPath(comp, recommend.Encode(&comp.Quiz, answers))
	comparePage, err := fetch(siteBase+comparePath, "")
	if err != nil {
		return err
	}
	resultPage, err := fetch(siteBase+resultPath, "")
	if err != nil {
		return err
	}

	// (b) Bare handlers writing those responses from memory, on the same
	// http.Server settings. The primary baseline replays the site's whole
	// response, every header and the body, so a ratio measures routing,
	// middleware and logging, not the headers the site must send; the
	// body-only one (Content-Type and Content-Length) is reported too.
	bare := map[string]http.Handler{
		"compare":      replayHandler(comparePage),
		"compare-body": bareHandler(comparePage),
		"result":       replayHandler(resultPage),
		"result-body":  bareHandler(resultPage),
	}
	var gzPage page
	if c.gzip {
		if gzPage, err = fetch(siteBase+comparePath, "gzip"); err != nil {
			return err
		}
		if gzPage.encoding != "gzip" {
			return fmt.Errorf("the site did not gzip %s for Accept-Encoding: gzip (Content-Encoding %q)", comparePath, gzPage.encoding)
		}
		bare["compare-gzip"] = replayHandler(gzPage)
	}
	bareURL := map[string]string{}
	for name, h := range bare {
		ln, err := listen()
		if err != nil {
			return err
		}
		defer serveOn(ln, h, slog.New(slog.DiscardHandler))()
		bareURL[name] = "http://" + ln.Addr().String() + "/"
	}

	// (c) nginx serving the comparison page's bytes from a file.
	port, err := freePort()
	if err != nil {
		return err
	}
	ngx, err := startNginx(ctx, c.nginxBin, filepath.Join(tmp, "nginx"), port, comparePage.contentType,
		map[string][]byte{"compare.html": comparePage.body})
	if err != nil {
		return err
	}
	defer ngx.stop()
	nginxURL := fmt.Sprintf("http://127.0.0.1:%d/compare.html", port)

	// "bare X" replays the site's headers and body; "bare X body" sends
	// the body with Content-Type and Content-Length only.
	targets := []target{
		{name: "site comparison", url: siteBase + comparePath, cpu: selfCPU},
		{name: "bare comparison", url: bareURL["compare"], cpu: selfCPU},
		{name: "bare comparison body", url: bareURL["compare-body"], cpu: selfCPU},
		{name: "nginx comparison", url: nginxURL, cpu: processTreeCPU(ngx.cmd.Process.Pid)},
		{name: "site result", url: siteBase + resultPath, cpu: selfCPU},
		{name: "bare result", url: bareURL["result"], cpu: selfCPU},
		{name: "bare result body", url: bareURL["result-body"], cpu: selfCPU},
	}
	ratios := []ratio{
		{name: "comparison / bare handler replaying the site's headers and body (req/s)", num: "site comparison", den: "bare comparison", goal: 0.9},
		{name: "comparison / bare handler, body only (req/s)", num: "site comparison", den: "bare comparison body", contextual: true},
		{name: "result / bare handler replaying the site's headers and body (req/s)", num: "site result", den: "bare result", goal: 0.5},
		{name: "result / bare handler, body only (req/s)", num: "site result", den: "bare result body", contextual: true},
		{name: "comparison p99 / replaying bare p99", num: "site comparison", den: "bare comparison", p99: true, atMost: true, goal: 1.5},
		{name: "comparison: replaying bare CPU/req / site CPU/req", num: "site comparison", den: "bare comparison", cpu: true, goal: 0.9},
		{name: "comparison: body-only bare CPU/req / site CPU/req", num: "site comparison", den: "bare comparison body", cpu: true, contextual: true},
		{name: "result: replaying bare CPU/req / site CPU/req", num: "site result", den: "bare result", cpu: true, goal: 0.5},
		{name: "body-only bare handler / nginx (req/s)", num: "bare comparison body", den: "nginx comparison", contextual: true},
		{name: "comparison page / nginx (req/s)", num: "site comparison", den: "nginx comparison", contextual: true},
	}
	if c.gzip {
		gz := []string{"Accept-Encoding: gzip"}
		targets = append(targets,
			target{name: "site comparison gzip", url: siteBase + comparePath, header: gz, cpu: selfCPU},
			target{name: "bare comparison gzip", url: bareURL["compare-gzip"], header: gz, cpu: selfCPU})
		ratios = append(ratios, ratio{name: "gzip comparison / bare replaying its gzip response (req/s)", num: "site comparison gzip", den: "bare comparison gzip", goal: 0.9})
	}

	// Every target must send the same bytes its baseline sends, or the
	// comparison means nothing.
	fmt.Fprintf(stdout, "versus loadtest: wrk -t%d -c%d -d%v --latency, %d rounds, site log: %s\n", c.threads, c.conns, c.dur, c.rounds, c.logMode)
	fmt.Fprintln(stdout, `"bare X": a bare handler replaying the site's headers and body; "bare X body": the body with Content-Type and Content-Length only`)
	for _, t := range targets {
		enc := ""
		if len(t.header) > 0 {
			enc = "gzip"
		}
		p, err := fetch(t.url, enc)
		if err != nil {
			return err
		}
		want := comparePage
		switch {
		case strings.Contains(t.name, "gzip"):
			want = gzPage
		case strings.Contains(t.name, "result"):
			want = resultPage
		}
		if !bytes.Equal(p.body, want.body) || p.encoding != want.encoding {
			return fmt.Errorf("%s (%s) sends %d bytes (Content-Encoding %q), want the same %d bytes (%q) as the site", t.name, t.url, len(p.body), p.encoding, len(want.body), want.encoding)
		}
		if strings.HasPrefix(t.name, "bare ") && !strings.HasSuffix(t.name, " body") {
			if err := sameHeaders(p.header, want.header); err != nil {
				return fmt.Errorf("%s (%s) does not replay the site's headers: %w", t.name, t.url, err)
			}
		}
		fmt.Fprintf(stdout, "  %-22s %s  %d bytes%s\n", t.name, t.url, len(p.body), map[bool]string{true: " gzip", false: ""}[p.encoding == "gzip"])
	}
	fmt.Fprintf(stdout, "load average before: %s on %d cores (wrk shares them with the servers)\n", loadavg(), numCPU())

	if c.cpuProf != "" {
		stop, err := startCPUProfile(c.cpuProf)
		if err != nil {
			return err
		}
		defer stop()
	}
	runners := map[string]wrkRunner{}
	for _, t := range targets {
		runners[t.name] = wrkRunner{path: c.wrk, threads: c.threads, conns: c.conns, extraHeaderLines: t.header}
	}
	// Warm up every server (connections, caches, CPU frequency) first.
	for _, t := range targets {
		if _, err := runners[t.name].run(ctx, t.url, time.Second); err != nil {
			return err
		}
	}
	results := map[string][]sample{}
	for r := range c.rounds {
		fmt.Fprintf(stdout, "round %d/%d\n", r+1, c.rounds)
		order := slices.Clone(targets)
		if r%2 == 1 {
			slices.Reverse(order)
		}
		for _, t := range order {
			cpu0, err := t.cpu()
			if err != nil {
				return err
			}
			w, err := runners[t.name].run(ctx, t.url, c.dur)
			if err != nil {
				return err
			}
			cpu1, err := t.cpu()
			if err != nil {
				return err
			}
			res := sample{wrkResult: w}
			if w.Requests > 0 {
				res.cpuPerReq = (cpu1 - cpu0) / time.Duration(w.Requests)
			}
			results[t.name] = append(results[t.name], res)
			fmt.Fprintf(stdout, "  %-22s rps=%-9.0f p50=%-8s p99=%-8s cpu/req=%-8s", t.name, res.RPS, ms(res.P50), ms(res.P99), us(res.cpuPerReq))
			if res.Non2xx3xx > 0 || res.SocketErrors > 0 {
				fmt.Fprintf(stdout, "  non-2xx/3xx=%d socket-errors=%d", res.Non2xx3xx, res.SocketErrors)
			}
			fmt.Fprintln(stdout)
		}
	}
	fmt.Fprintf(stdout, "load average after: %s\n", loadavg())

	fmt.Fprintf(stdout, "medians over %d rounds:\n", c.rounds)
	bad := false
	for _, t := range targets {
		rs := results[t.name]
		fmt.Fprintf(stdout, "  %-22s rps=%-9.0f p50=%-8s p99=%-8s cpu/req=%s\n", t.name,
			median(mapSlice(rs, func(r sample) float64 { return r.RPS })),
			ms(time.Duration(median(mapSlice(rs, func(r sample) float64 { return float64(r.P50) })))),
			ms(time.Duration(median(mapSlice(rs, func(r sample) float64 { return float64(r.P99) })))),
			us(time.Duration(median(mapSlice(rs, func(r sample) float64 { return float64(r.cpuPerReq) })))))
		for _, r := range rs {
			bad = bad || r.Non2xx3xx > 0 || r.SocketErrors > 0
		}
	}
	fmt.Fprintln(stdout, "ratios (median of the per-round ratios; both sides of a ratio ran in the same round):")
	for _, q := range ratios {
		per := make([]float64, c.rounds)
		for i := range per {
			a, b := results[q.num][i], results[q.den][i]
			switch {
			case q.p99:
				per[i] = float64(a.P99) / float64(b.P99)
			case q.cpu:
				per[i] = float64(b.cpuPerReq) / float64(a.cpuPerReq)
			default:
				per[i] = a.RPS / b.RPS
			}
		}
		m := median(per)
		verdict := ""
		switch {
		case q.contextual:
			verdict = "(context)"
		case q.atMost && m <= q.goal, !q.atMost && m >= q.goal:
			verdict = fmt.Sprintf("meets target %s %.2f", map[bool]string{true: "<=", false: ">="}[q.atMost], q.goal)
		default:
			verdict = fmt.Sprintf("MISSES target %s %.2f", map[bool]string{true: "<=", false: ">="}[q.atMost], q.goal)
		}
		fmt.Fprintf(stdout, "  %-72s %.2f  %s  per round: %s\n", q.name, m, verdict, fmtList(per))
	}
	if bad {
		fmt.Fprintln(stdout, "WARNING: some runs had non-2xx/3xx answers or socket errors; the figures above are not comparable")
	}
	return nil
}

// serveOn serves h on ln with the http.Server of versus serve
// (server.NewHTTPServer) and returns a function that stops it.
func serveOn(ln net.Listener, h http.Handler, log *slog.Logger) func() {
	hs := server.NewHTTPServer(h, log)
	go hs.Serve(ln)
	return func() {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		if hs.Shutdown(ctx) != nil {
			hs.Close()
		}
	}
}

// page is a response body with the headers that describe it.
type page struct {
	body        []byte
	contentType string
	encoding    string
	header      http.Header // every header as received
}

// notReplayed are the headers net/http writes itself on every response.
var notReplayed = []string{"Date"}

// replayHandler is the baseline the site is held to: the response the site
// sent, every header (preformatted, assigned per request as the site does)
// and the body, written from memory with nothing else. Only Date, which
// net/http adds to every response, is left to net/http.
func replayHandler(p page) http.Handler {
	h := p.header.Clone()
	for _, k := range notReplayed {
		delete(h, k)
	}
	type kv struct {
		k string
		v []string
	}
	var hs []kv
	for k, v := range h {
		hs = append(hs, kv{k, v})
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		wh := w.Header()
		for _, x := range hs {
			wh[x.k] = x.v
		}
		w.Write(p.body)
	})
}

// sameHeaders checks that got carries the header names of want with the
// same values, except the request id, whose value differs on every
// response of the site but must have the same length.
func sameHeaders(got, want http.Header) error {
	for k, wv := range want {
		if slices.Contains(notReplayed, k) {
			continue
		}
		gv, ok := got[k]
		switch {
		case !ok:
			return fmt.Errorf("no %s header", k)
		case k == "X-Request-Id":
			if len(gv) != 1 || len(wv) != 1 || len(gv[0]) != len(wv[0]) {
				return fmt.Errorf("X-Request-Id %q is not the size of the site's %q", gv, wv)
			}
		case !slices.Equal(gv, wv):
			return fmt.Errorf("%s is %q, the site sends %q", k, gv, wv)
		}
	}
	for k := range got {
		if _, ok := want[k]; !ok {
			return fmt.Errorf("extra %s header", k)
		}
	}
	return nil
}

// bareHandler is the floor: the same bytes, written from memory with
// preformatted headers and nothing else.
func bareHandler(p page) http.Handler {
	ct := []string{p.contentType}
	cl := []string{strconv.Itoa(len(p.body))}
	var ce []string
	if p.encoding != "" {
		ce = []string{p.encoding}
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h["Content-Type"] = ct
		h["Content-Length"] = cl
		if ce != nil {
			h["Content-Encoding"] = ce
		}
		w.Write(p.body)
	})
}

// fetch GETs url with the given Accept-Encoding ("" sends none, as wrk
// does) and returns the body undecoded.
func fetch(u, acceptEncoding string) (page, error) {
	if pu, err := url.Parse(u); err != nil || pu.Hostname() != "127.0.0.1" {
		return page{}, fmt.Errorf("refusing non-loopback URL %s", u)
	}
	req, err := http.NewRequest(http.MethodGet, u, nil)
	if err != nil {
		return page{}, err
	}
	if acceptEncoding != "" {
		req.Header.Set("Accept-Encoding", acceptEncoding)
	}
	client := &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{DisableCompression: true}}
	resp, err := client.Do(req)
	if err != nil {
		return page{}, fmt.Errorf("fetch %s: %w", u, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		return page{}, fmt.Errorf("fetch %s: %w", u, err)
	}
	if resp.StatusCode != http.StatusOK {
		return page{}, fmt.Errorf("fetch %s: status %s, want 200", u, resp.Status)
	}
	return page{body: body, contentType: resp.Header.Get("Content-Type"), encoding: resp.Header.Get("Content-Encoding"), header: resp.Header}, nil
}

func listen() (net.Listener, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("listen on 127.0.0.1: %w", err)
	}
	return ln, nil
}

// freePort finds a port for nginx, which must bind it itself.
func freePort() (int, error) {
	ln, err := listen()
	if err != nil {
		return 0, err
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port, nil
}

func loadavg() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "unknown"
	}
	f := strings.Fields(string(b))
	if len(f) < 3 {
		return "unknown"
	}
	return strings.Join(f[:3], " ")
}

func median(xs []float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	s := slices.Clone(xs)
	slices.Sort(s)
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

func mapSlice[T any](xs []T, f func(T) float64) []float64 {
	out := make([]float64, len(xs))
	for i, x := range xs {
		out[i] = f(x)
	}
	return out
}

func us(d time.Duration) string { return strconv.FormatFloat(float64(d)/1e3, 'f', 1, 64) + "µs" }

func ms(d time.Duration) string { return strconv.FormatFloat(float64(d)/1e6, 'f', 2, 64) + "ms" }

func fmtList(xs []float64) string {
	s := make([]string, len(xs))
	for i, x := range xs {
		s[i] = strconv.FormatFloat(x, 'f', 2, 64)
	}
	return strings.Join(s, " ")
}

// startCPUProfile writes a CPU profile of this process to path until stop.
func startCPUProfile(path string) (stop func(), err error) {
	f, err := os.Create(path)
	if err != nil {
		return nil, fmt.Errorf("cpu profile: %w", err)
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		return nil, fmt.Errorf("cpu profile: %w", err)
	}
	return func() { pprof.StopCPUProfile(); f.Close() }, nil
}
