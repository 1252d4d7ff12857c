package server

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"github.com/versus-dev/versus/content"
	"github.com/versus-dev/versus/internal/catalog"
	"github.com/versus-dev/versus/static"
)

// The hostile-input table sends what browsers never send, byte for byte,
// over a real TCP connection to the real article set behind the server
// configuration cmd/versus uses, and checks that each request gets the
// exact 4xx, a message naming the problem, no unescaped reflection of the
// payload and the security headers.

// Payloads a reflected-XSS probe would use.
const (
	xssScript = `<script>alert(1)</script>`
	xssAttr   = `"><img src=x onerror=alert(1)>`
	xssJS     = `javascript:alert(1)`
)

// hxProductionServer is the published content behind server.New, in an
// http.Server cmd/versus runs (NewHTTPServer: MaxHeaderBytes above all,
// which decides when a request is refused before routing).
func hxProductionServer(t testing.TB, opts Options) (*Server, *httptest.Server, *syncLog) {
	t.Helper()
	s, logs := hxSite(t, opts)
	ts := httptest.NewUnstartedServer(s)
	ts.Config = NewHTTPServer(s, slog.New(slog.NewTextHandler(logs, nil)))
	ts.Start()
	t.Cleanup(ts.Close)
	return s, ts, logs
}

// hxSite is the published content (content/*.md through the real catalog)
// behind server.New.
func hxSite(t testing.TB, opts Options) (*Server, *syncLog) {
	t.Helper()
	cat, err := catalog.Load(content.FS)
	if err != nil {
		t.Fatalf("load the published content: %v", err)
	}
	logs := &syncLog{}
	if opts.BaseURL == "" {
		opts.BaseURL = "https://versus.test"
	}
	opts.Logger = slog.New(slog.NewJSONHandler(logs, nil))
	s, err := New(cat, opts)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return s, logs
}

// hxKind says what kind of answer a case expects, and so how its message
// is read.
type hxKind int

const (
	// page is one of the site's HTML pages (error page, 404, quiz with errors).
	page hxKind = iota
	// jsonErr is the JSON API's {"error": "..."}.
	jsonErr
	// plain is a middleware's short text answer (the body size limit).
	plain
	// transport is net/http refusing the request before any handler runs:
	// no middleware sees it, so it carries no security headers.
	transport
)

type hxCase struct {
	name    string
	raw     string // sent verbatim (a malformed request); the fields below are ignored
	method  string // default GET
	target  string // request-target, written as is: no cleaning, no escaping
	header  []string
	body    string
	declare int  // Content-Length to declare when it differs from len(body); -1 sends none
	chunked bool // send the body chunked
	// halfClose shuts the client's write side once the request is sent:
	// a body shorter than its Content-Length ends there, as when a client
	// goes away mid-upload but still reads the answer.
	halfClose bool

	status int
	kind   hxKind
	msg    []string // each must appear in the message the reader sees
	allow  string   // want this Allow header (405)
}

func (c hxCase) bytes() []byte {
	if c.raw != "" {
		return []byte(c.raw)
	}
	method := c.method
	if method == "" {
		method = http.MethodGet
	}
	var b bytes.Buffer
	fmt.Fprintf(&b, "%s %s HTTP/1.1\r\nHost: versus.test\r\nConnection: close\r\n", method, c.target)
	for _, h := range c.header {
		b.WriteString(h + "\r\n")
	}
	switch {
	case c.chunked:
		b.WriteString("Transfer-Encoding: chunked\r\n\r\n")
		fmt.Fprintf(&b, "%x\r\n%s\r\n0\r\n\r\n", len(c.body), c.body)
		return b.Bytes()
	case c.declare > 0:
		fmt.Fprintf(&b, "Content-Length: %d\r\n", c.declare)
	case c.declare == 0 && c.body != "":
		fmt.Fprintf(&b, "Content-Length: %d\r\n", len(c.body))
	}
	b.WriteString("\r\n")
	b.WriteString(c.body)
	return b.Bytes()
}

// hxSend writes req on a fresh connection and reads the answer. The write
// runs beside the read, so a server that answers before reading a huge
// body (and closes) is seen answering rather than as a write error.
func hxSend(t *testing.T, addr, method string, req []byte, halfClose bool) (*http.Response, []byte) {
	t.Helper()
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatalf("dial: %v", err)
	}
	defer conn.Close()
	// A deadline so a server that never answers fails the test instead of
	// hanging it; it is not a speed assertion.
	conn.SetDeadline(time.Now().Add(20 * time.Second))
	go func() {
		conn.Write(req) // an early answer may reset the connection: the read below reports it
		if halfClose {
			conn.(*net.TCPConn).CloseWrite()
		}
	}()
	res, err := http.ReadResponse(bufio.NewReader(conn), &http.Request{Method: method})
	if err != nil {
		t.Fatalf("read response: %v", err)
	}
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatalf("read body: %v", err)
	}
	return res, body
}

// hxMessage is the text a reader sees as the explanation.
func hxMessage(t *testing.T, kind hxKind, res *http.Response, body []byte) string {
	t.Helper()
	ct := res.Header.Get("Content-Type")
	switch kind {
	case page:
		if !strings.HasPrefix(ct, "text/html") {
			t.Fatalf("Content-Type %q, want an HTML page; body:\n%.400s", ct, body)
		}
		doc, err := goquery.NewDocumentFromReader(bytes.NewReader(body))
		if err != nil {
			t.Fatalf("parse HTML: %v", err)
		}
		if n := doc.Find("h1").Length(); n != 1 {
			t.Errorf("%d h1 elements, want 1", n)
		}
		return strings.Join(strings.Fields(doc.Find("main").Text()), " ")
	case jsonErr:
		if !strings.HasPrefix(ct, "application/json") {
			t.Fatalf("Content-Type %q, want JSON; body:\n%.400s", ct, body)
		}
		var e struct {
			Error *string `json:"error"`
		}
		if err := json.Unmarshal(body, &e); err != nil {
			t.Fatalf("body is not JSON: %v\n%.400s", err, body)
		}
		if e.Error == nil || *e.Error == "" {
			t.Fatalf(`body has no "error": %s`, body)
		}
		return *e.Error
	default:
		if !strings.HasPrefix(ct, "text/plain") {
			t.Fatalf("Content-Type %q, want text/plain; body:\n%.400s", ct, body)
		}
		return string(body)
	}
}

// hxNoReflection fails when a payload comes back in a form a browser would
// act on: the raw markup anywhere in the body, or a javascript: URL in an
// attribute that navigates or loads.
func hxNoReflection(t *testing.T, ct string, body []byte) {
	t.Helper()
	for _, p := range []string{xssScript, xssAttr, "<script>alert", "<img src=x"} {
		if bytes.Contains(body, []byte(p)) {
			i := bytes.Index(body, []byte(p))
			t.Errorf("payload %q reflected unescaped: …%s…", p, body[max(0, i-80):min(len(body), i+len(p)+40)])
		}
	}
	if !strings.HasPrefix(ct, "text/html") {
		return
	}
	doc, err := goquery.NewDocumentFromReader(bytes.NewReader(body))
	if err != nil {
		t.Fatalf("parse HTML: %v", err)
	}
	for _, a := range []string{"href", "src", "action", "formaction", "data-copy", "content"} {
		doc.Find("[" + a + "]").Each(func(_ int, s *goquery.Selection) {
			v, _ := s.Attr(a)
			if strings.Contains(strings.ToLower(v), "javascript:") {
				t.Errorf("%s attribute carries a javascript: URL: %q", a, v)
			}
		})
	}
}

// hxSecurityHeaders checks the headers every response of the router must
// carry; hsts says whether Strict-Transport-Security is expected.
func hxSecurityHeaders(t *testing.T, h http.Header, hsts bool) {
	t.Helper()
	csp := h.Get("Content-Security-Policy")
	switch {
	case csp == "":
		t.Errorf("no Content-Security-Policy")
	case strings.Contains(csp, "'unsafe-inline'") || strings.Contains(csp, "'unsafe-eval'"):
		t.Errorf("Content-Security-Policy allows inline or eval: %q", csp)
	case !strings.Contains(csp, "default-src 'none'") && !strings.Contains(csp, "default-src 'self'"):
		t.Errorf("Content-Security-Policy has no restrictive default-src: %q", csp)
	case !strings.Contains(csp, "frame-ancestors 'none'"):
		t.Errorf("Content-Security-Policy allows framing: %q", csp)
	}
	want := map[string]string{
		"X-Content-Type-Options":     "nosniff",
		"Referrer-Policy":            "strict-origin-when-cross-origin",
		"Cross-Origin-Opener-Policy": "same-origin",
	}
	for k, v := range want {
		if got := h.Get(k); got != v {
			t.Errorf("%s = %q, want %q", k, got, v)
		}
	}
	if pp := h.Get("Permissions-Policy"); !strings.Contains(pp, "camera=()") || !strings.Contains(pp, "geolocation=()") {
		t.Errorf("Permissions-Policy = %q, want camera and geolocation turned off", pp)
	}
	hs := h.Get("Strict-Transport-Security")
	switch {
	case hsts && !strings.HasPrefix(hs, "max-age="):
		t.Errorf("Strict-Transport-Security = %q, want max-age=… (HSTS is configured)", hs)
	case !hsts && hs != "":
		t.Errorf("Strict-Transport-Security = %q, want none: HSTS is not configured", hs)
	}
}

const dvf = "/compare/django-vs-flask"

func TestHostileInput(t *testing.T) {
	_, ts, logs := hxProductionServer(t, Options{})
	addr := ts.Listener.Addr().String()
	asset := static.All()[0].URL

	form := "Content-Type: application/x-www-form-urlencoded"
	pe := url.PathEscape
	qe := url.QueryEscape
	notFound := []string{"Page not found", "There is no page at this address"}
	junk := strings.Repeat("k", 10<<10)
	var manyKeys strings.Builder // 50 KB of distinct unknown keys: under the header limit
	for i := 0; manyKeys.Len() < 50<<10; i++ {
		fmt.Fprintf(&manyKeys, "&junk%05d=%s", i, qe(xssScript))
	}

	tests := []hxCase{
		// Refused by net/http before routing.
		{name: "request line without target", raw: "GET\r\nHost: x\r\n\r\n", status: 400, kind: transport, msg: []string{"400 Bad Request"}},
		{name: "request line without version", raw: "GET /\r\nHost: x\r\n\r\n", status: 400, kind: transport, msg: []string{"400 Bad Request"}},
		{name: "space inside the target", raw: "GET /compare/a b HTTP/1.1\r\nHost: x\r\n\r\n", status: 400, kind: transport, msg: []string{"400 Bad Request"}},
		{name: "raw NUL byte in the path", raw: "GET /compare/a\x00b HTTP/1.1\r\nHost: x\r\n\r\n", status: 400, kind: transport, msg: []string{"400 Bad Request"}},
		{name: "bad percent-encoding in the path", raw: "GET /compare/%zz HTTP/1.1\r\nHost: x\r\n\r\n", status: 400, kind: transport, msg: []string{"400 Bad Request"}},
		{name: "HTTP/9.9", raw: "GET / HTTP/9.9\r\nHost: x\r\n\r\n", status: 505, kind: transport, msg: []string{"505 HTTP Version Not Supported"}},
		{name: "HTTP/1.1 without Host", raw: "GET / HTTP/1.1\r\n\r\n", status: 400, kind: transport, msg: []string{"missing required Host header"}},
		{name: "header name with a space", raw: "GET / HTTP/1.1\r\nHost: x\r\nBad Header: 1\r\n\r\n", status: 400, kind: transport, msg: []string{"400 Bad Request"}},
		{name: "two different Content-Lengths", raw: "POST " + dvf + "/quiz HTTP/1.1\r\nHost: x\r\n" + form + "\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\nabc", status: 400, kind: transport, msg: []string{"400 Bad Request"}},
		{name: "80 KiB header", target: "/", header: []string{"X-Big: " + strings.Repeat("a", 80<<10)}, status: 431, kind: transport, msg: []string{"431 Request Header Fields Too Large"}},
		{name: "100 KB query", target: dvf + "/result?size=" + strings.Repeat("a", 100<<10), status: 431, kind: transport, msg: []string{"431 Request Header Fields Too Large"}},

		// Methods the site does not answer.
		{name: "TRACE /", method: "TRACE", target: "/", status: 405, allow: "GET, HEAD", msg: []string{"Method not allowed", "does not accept TRACE"}},
		{name: "PROPFIND a comparison", method: "PROPFIND", target: dvf, status: 405, allow: "GET, HEAD", msg: []string{"does not accept PROPFIND"}},
		{name: "FOO the questionnaire", method: "FOO", target: dvf + "/quiz", status: 405, allow: "GET, HEAD, POST", msg: []string{"does not accept FOO", "GET, HEAD, POST"}},
		{name: "CONNECT with a path", method: "CONNECT", target: dvf, status: 405, allow: "GET, HEAD", msg: []string{"does not accept CONNECT"}},
		{name: "DELETE a static asset", method: "DELETE", target: asset, status: 405, allow: "GET, HEAD", msg: []string{"does not accept DELETE"}},
		{name: "POST the home page", method: "POST", target: "/", header: []string{form}, body: "size=small", status: 405, allow: "GET, HEAD", msg: []string{"does not accept POST"}},
		{name: "PUT the JSON API", method: "PUT", target: "/api" + dvf + "/recommendation", status: 405, allow: "GET, HEAD", kind: jsonErr, msg: []string{"PUT"}},
		// The script's "/" arrives as %2F: a path whose encoded slash would
		// split a segment is no page, whatever the method.
		{name: "PROPFIND with a script in the path", method: "PROPFIND", target: "/compare/" + pe(xssScript), status: 404, msg: notFound},
		{name: "PROPFIND with an attribute breakout in the path", method: "PROPFIND", target: "/compare/" + pe(xssAttr), status: 405, allow: "GET, HEAD", msg: []string{"does not accept PROPFIND"}},

		// Bodies.
		{name: "form over 64 KiB", method: "POST", target: dvf + "/quiz", header: []string{form}, body: "size=" + strings.Repeat("a", 70<<10), status: 413, msg: []string{"Too much data", "64 KiB"}},
		{name: "chunked form over 64 KiB", method: "POST", target: dvf + "/quiz", header: []string{form}, body: "size=" + strings.Repeat("a", 70<<10), chunked: true, status: 413, msg: []string{"Too much data", "64 KiB"}},
		{name: "declared 2 MiB body", method: "POST", target: dvf + "/quiz", header: []string{form}, body: strings.Repeat("a", 4<<10), declare: 2 << 20, status: 413, kind: plain, msg: []string{"request body too large", "1048576 bytes"}},
		{name: "body shorter than its Content-Length", method: "POST", target: dvf + "/quiz", header: []string{form}, body: "size=small", declare: 100, halfClose: true, status: 400, msg: []string{"Unreadable form", "did not arrive in full"}},
		{name: "JSON body", method: "POST", target: dvf + "/quiz", header: []string{"Content-Type: application/json"}, body: `{"size":"small"}`, status: 415, msg: []string{"Unsupported form encoding", `not "application/json"`}},
		{name: "multipart body", method: "POST", target: dvf + "/quiz", header: []string{"Content-Type: multipart/form-data; boundary=x"}, body: "--x\r\nContent-Disposition: form-data; name=\"size\"\r\n\r\nsmall\r\n--x--\r\n", status: 415, msg: []string{"application/x-www-form-urlencoded", "multipart/form-data"}},
		{name: "text/plain body", method: "POST", target: dvf + "/quiz", header: []string{"Content-Type: text/plain"}, body: "size=small", status: 415, msg: []string{`not "text/plain"`}},
		{name: "no Content-Type", method: "POST", target: dvf + "/quiz", body: "size=small", status: 415, msg: []string{`not ""`}},
		{name: "script in the Content-Type", method: "POST", target: dvf + "/quiz", header: []string{"Content-Type: text/html" + xssAttr}, body: "size=small", status: 415, msg: []string{"Unsupported form encoding"}},
		{name: "bad percent-encoding in the form", method: "POST", target: dvf + "/quiz", header: []string{form}, body: "size=%zz", status: 400, msg: []string{"Unreadable form", `The part "size=%zz" has a "%" that is not followed by two hexadecimal digits.`}},
		{name: "semicolon in the form", method: "POST", target: dvf + "/quiz", header: []string{form}, body: "size=small;team=solo", status: 400, msg: []string{"Unreadable form", `separates answers with ";": only "&" is allowed`}},
		{name: "form with an unknown question", method: "POST", target: dvf + "/quiz", header: []string{form}, body: "size=small&colour=blue", status: 422, msg: []string{`unknown question "colour"`}},
		{name: "form answering twice", method: "POST", target: dvf + "/quiz", header: []string{form}, body: "size=small&size=large", status: 422, msg: []string{`How big will the project be?: answered 2 times, give one answer`}},
		{name: "form with a script as the answer", method: "POST", target: dvf + "/quiz", header: []string{form}, body: "size=" + qe(xssScript), status: 422, msg: []string{`How big will the project be?: unknown answer "<script>alert(1)</script>"`}},
		{name: "form with a script as the question", method: "POST", target: dvf + "/quiz", header: []string{form}, body: qe(xssAttr) + "=small", status: 422, msg: []string{`unknown question "\"><img src=x onerror=alert(1)>"`}},
		{name: "form for an unknown comparison", method: "POST", target: "/compare/" + pe(xssScript) + "/quiz", header: []string{form}, body: "size=small", status: 404, msg: notFound},

		// Result queries.
		{name: "result: a question answered twice", target: dvf + "/result?size=small&size=large", status: 400, msg: []string{"do not fit the questionnaire", `question "size": answered 2 times`}},
		{name: "result: unknown question", target: dvf + "/result?size=small&colour=blue", status: 400, msg: []string{`unknown question "colour"`}},
		{name: "result: unknown answer", target: dvf + "/result?size=huge", status: 400, msg: []string{`question "size": unknown answer "huge" (want one of "small", "medium", "large")`}},
		{name: "result: empty answer", target: dvf + "/result?size=", status: 400, msg: []string{`question "size": no answer given`}},
		{name: "result: script as the question", target: dvf + "/result?" + qe(xssScript) + "=small", status: 400, msg: []string{`unknown question "<script>alert(1)</script>"`}},
		{name: "result: script as the answer", target: dvf + "/result?size=" + qe(xssScript), status: 400, msg: []string{`unknown answer "<script>alert(1)</script>"`}},
		{name: "result: attribute breakout as the answer", target: dvf + "/result?team=" + qe(xssAttr), status: 400, msg: []string{`question "team": unknown answer "\"><img src=x onerror=alert(1)>"`}},
		{name: "result: javascript: URL as the answer", target: dvf + "/result?size=" + qe(xssJS), status: 400, msg: []string{`unknown answer "javascript:alert(1)"`}},
		{name: "result: javascript: URL as the question", target: dvf + "/result?" + qe(xssJS) + "=1", status: 400, msg: []string{`unknown question "javascript:alert(1)"`}},
		{name: "result: NUL byte as the answer", target: dvf + "/result?size=%00", status: 400, msg: []string{`unknown answer "\x00"`}},
		{name: "result: invalid UTF-8 as the answer", target: dvf + "/result?size=%ff%fe", status: 400, msg: []string{`unknown answer "\xff\xfe"`}},
		{name: "result: bad percent-encoding", target: dvf + "/result?size=%zz", status: 400, msg: []string{`The part "size=%zz" has a "%" that is not followed by two hexadecimal digits.`}},
		{name: "result: semicolon separator", target: dvf + "/result?size=small;team=solo", status: 400, msg: []string{`separates answers with ";": only "&" is allowed`}},
		{name: "result: 50 KB of unknown questions", target: dvf + "/result?size=small" + manyKeys.String(), status: 400, msg: []string{`unknown question "junk00000"`, "more"}},
		{name: "result: client half-closes after asking", target: dvf + "/result?size=huge", halfClose: true, status: 400, msg: []string{`unknown answer "huge"`}},
		{name: "result card: script as the answer", target: dvf + "/result.png?size=" + qe(xssScript), status: 400, msg: []string{`unknown answer "<script>alert(1)</script>"`}},
		{name: "result card: bad percent-encoding", target: dvf + "/result.png?size=%zz", status: 400, msg: []string{`has a "%" that is not followed by two hexadecimal digits`}},
		{name: "result: unknown comparison", target: "/compare/" + pe(xssAttr) + "/result?size=small", status: 404, msg: notFound},

		// JSON API queries.
		{name: "API: unknown question", target: "/api" + dvf + "/recommendation?colour=blue", status: 400, kind: jsonErr, msg: []string{`unknown question "colour"`}},
		{name: "API: a question answered twice", target: "/api" + dvf + "/recommendation?size=small&size=large", status: 400, kind: jsonErr, msg: []string{"answered 2 times"}},
		{name: "API: script as the answer", target: "/api" + dvf + "/recommendation?size=" + qe(xssScript), status: 400, kind: jsonErr, msg: []string{`unknown answer "<script>alert(1)</script>"`}},
		{name: "API: attribute breakout as the question", target: "/api" + dvf + "/recommendation?" + qe(xssAttr) + "=small", status: 400, kind: jsonErr, msg: []string{`unknown question "\"><img src=x onerror=alert(1)>"`}},
		{name: "API: javascript: URL as the answer", target: "/api" + dvf + "/recommendation?kind=" + qe(xssJS), status: 400, kind: jsonErr, msg: []string{`question "kind": unknown answer "javascript:alert(1)"`}},
		{name: "API: bad percent-encoding", target: "/api" + dvf + "/recommendation?size=%zz", status: 400, kind: jsonErr, msg: []string{`has a "%" that is not followed by two hexadecimal digits`}},
		{name: "API: semicolon separator", target: "/api" + dvf + "/recommendation?size=small;team=solo", status: 400, kind: jsonErr, msg: []string{`separates answers with ";": only "&" is allowed`}},
		{name: "API: unknown comparison", target: "/api/compare/" + pe(xssAttr) + "/recommendation", status: 404, kind: jsonErr, msg: []string{`no comparison with slug "\"><img src=x`}},
		{name: "API: encoded slash in the slug", target: "/api/compare/" + pe(xssScript) + "/recommendation", status: 404, kind: jsonErr, msg: []string{"no API endpoint at"}},
		{name: "API: unknown endpoint", target: "/api/" + pe(xssAttr), status: 404, kind: jsonErr, msg: []string{"no API endpoint at"}},

		// Paths.
		{name: "dot-dot out of /static/", target: "/static/../go.mod", status: 404, msg: notFound},
		{name: "encoded dot-dot out of /static/", target: "/static/%2e%2e/go.mod", status: 404, msg: notFound},
		{name: "encoded slashes out of /static/", target: "/static/..%2f..%2fcontent%2fdjango-vs-flask.md", status: 404, msg: notFound},
		{name: "encoded backslashes out of /static/", target: "/static/..%5c..%5cgo.mod", status: 404, msg: notFound},
		{name: "double slash", target: "//etc/passwd", status: 404, msg: notFound},
		{name: "encoded dot-dot as the slug", target: "/compare/..%2f..%2fgo.mod", status: 404, msg: notFound},
		{name: "content file by name", target: "/compare/django-vs-flask.md", status: 404, msg: []string{`No subject is called "flask.md".`}},
		{name: "10 KB slug", target: "/compare/" + junk, status: 404, msg: notFound},
		{name: "10 KB slug in the API", target: "/api/compare/" + junk + "/quiz", status: 404, kind: jsonErr, msg: []string{"no comparison with slug", "…"}},
		{name: "encoded NUL in the slug", target: "/compare/a%00b", status: 404, msg: notFound},
		{name: "invalid UTF-8 in the slug", target: "/compare/\xff\xfe", status: 404, msg: notFound},
		{name: "script as the slug", target: "/compare/" + pe(xssScript), status: 404, msg: notFound},
		{name: "script as the tag", target: "/tags/" + pe(xssScript), status: 404, msg: notFound},
		{name: "attribute breakout as the tag", target: "/tags/" + pe(xssAttr), status: 404, msg: notFound},
		{name: "script as the slug of the questionnaire", target: "/compare/" + pe(xssAttr) + "/quiz?size=small", status: 404, msg: notFound},
		{name: "javascript: as the slug", target: "/compare/" + pe(xssJS), status: 404, msg: notFound},
	}
	if len(tests) < 40 {
		t.Fatalf("the table has %d cases, want at least 40", len(tests))
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			method := tt.method
			if method == "" {
				method = http.MethodGet
			}
			res, body := hxSend(t, addr, method, tt.bytes(), tt.halfClose)
			if res.StatusCode != tt.status {
				if res.StatusCode == http.StatusInternalServerError {
					t.Logf("server log:\n%s", logs.String())
				}
				t.Fatalf("status %d, want %d; body:\n%.600s", res.StatusCode, tt.status, body)
			}
			msg := hxMessage(t, tt.kind, res, body)
			for _, m := range tt.msg {
				if !strings.Contains(msg, m) {
					t.Errorf("message does not say %q; it says:\n%.800s", m, msg)
				}
			}
			if tt.kind != transport && tt.kind != plain {
				for _, goErr := range goErrorStrings {
					if strings.Contains(msg, goErr) {
						t.Errorf("the page shows the Go error text %q:\n%.800s", goErr, msg)
					}
				}
			}
			hxNoReflection(t, res.Header.Get("Content-Type"), body)
			if tt.allow != "" {
				if got := res.Header.Get("Allow"); got != tt.allow {
					t.Errorf("Allow = %q, want %q", got, tt.allow)
				}
			}
			if tt.kind != transport {
				hxSecurityHeaders(t, res.Header, false)
				if res.Header.Get("X-Request-Id") == "" {
					t.Errorf("no X-Request-Id: the answer did not go through the middleware")
				}
			}
		})
	}

	// The prefilled questionnaire drops what it does not know instead of
	// refusing it (the reader is about to edit the answers), so these are
	// 200s: what matters is that nothing comes back unescaped and that the
	// valid answer is still ticked.
	prefill := []struct{ name, query, checked string }{
		{"script as the answer", "size=" + qe(xssScript) + "&team=solo", "team-solo"},
		{"attribute breakout as the question", qe(xssAttr) + "=small&team=solo", "team-solo"},
		{"javascript: URL as the answer", "kind=" + qe(xssJS) + "&team=solo", "team-solo"},
		{"question answered twice", "size=small&size=large&team=solo", "team-solo"},
		{"bad percent-encoding", "size=%zz&team=solo", "team-solo"},
	}
	for _, tt := range prefill {
		t.Run("prefill: "+tt.name, func(t *testing.T) {
			res, body := hxSend(t, addr, "GET", hxCase{target: dvf + "/quiz?" + tt.query}.bytes(), false)
			if res.StatusCode != http.StatusOK {
				t.Fatalf("status %d, want 200; body:\n%.600s", res.StatusCode, body)
			}
			hxNoReflection(t, res.Header.Get("Content-Type"), body)
			hxSecurityHeaders(t, res.Header, false)
			doc, err := goquery.NewDocumentFromReader(bytes.NewReader(body))
			if err != nil {
				t.Fatal(err)
			}
			var checked []string
			doc.Find("input[type=radio][checked]").Each(func(_ int, s *goquery.Selection) {
				if v, _ := s.Attr("value"); v != "" {
					n, _ := s.Attr("name")
					checked = append(checked, n+"-"+v)
				}
			})
			if strings.Join(checked, ",") != tt.checked {
				t.Errorf("ticked answers %q, want only %q", checked, tt.checked)
			}
		})
	}

	// After all that, the site still serves.
	res, err := http.Get(ts.URL + "/")
	if err != nil {
		t.Fatalf("GET / after the hostile table: %v", err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusOK {
		t.Fatalf("GET / after the hostile table: status %d, want 200", res.StatusCode)
	}
}

// TestPanicBecomes500 adds a panicking route to the production router, so
// the panic travels through the same middleware as every page: the reader
// gets the 500 page with the security headers and a request id, and the
// panic value and stack go to the log only.
func TestPanicBecomes500(t *testing.T) {
	s, ts, logs := hxProductionServer(t, Options{})
	mux := s.mux // the production router, behind the same request id middleware
	const secret = "panic-detail-4f9c: db password hunter2"
	mux.Get("/hostile-test/panic", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/x-leaky")
		w.Header().Set("Cache-Control", "public, max-age=31536000")
		panic(secret)
	})

	for _, method := range []string{"GET", "GET"} { // twice: the first panic must not break the second request
		res, body := hxSend(t, ts.Listener.Addr().String(), method, hxCase{target: "/hostile-test/panic"}.bytes(), false)
		if res.StatusCode != http.StatusInternalServerError {
			t.Fatalf("status %d, want 500; body:\n%.600s", res.StatusCode, body)
		}
		msg := hxMessage(t, page, res, body)
		if !strings.Contains(msg, "Something went wrong on our side") {
			t.Errorf("500 page says %q, want it to say something went wrong on our side", msg)
		}
		for _, leak := range []string{"hunter2", "panic-detail", "goroutine ", "runtime/debug", ".go:"} {
			if bytes.Contains(body, []byte(leak)) {
				t.Errorf("500 page shows %q", leak)
			}
		}
		if cc := res.Header.Get("Cache-Control"); strings.Contains(cc, "max-age=31536000") {
			t.Errorf("500 keeps the panicking handler's Cache-Control %q", cc)
		}
		hxSecurityHeaders(t, res.Header, false)
		id := res.Header.Get("X-Request-Id")
		if id == "" {
			t.Fatalf("no X-Request-Id on the 500")
		}
		var found bool
		for _, line := range strings.Split(logs.String(), "\n") {
			if strings.Contains(line, `"panic serving request"`) && strings.Contains(line, id) &&
				strings.Contains(line, "hunter2") && strings.Contains(line, "goroutine ") {
				found = true
			}
		}
		if !found {
			t.Errorf("no log line with the panic, its stack and request id %s:\n%s", id, logs.String())
		}
	}
	res, err := http.Get(ts.URL + "/")
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusOK {
		t.Errorf("GET / after the panics: status %d, want 200", res.StatusCode)
	}
}

// TestSecurityHeadersEveryPage is the `curl -I` check: every kind of
// response, for GET and for HEAD, carries the security headers, and
// Strict-Transport-Security appears exactly when HSTS is configured.
func TestSecurityHeadersEveryPage(t *testing.T) {
	asset := static.All()[0].URL
	paths := []struct{ path, status string }{
		{"/", "200"},
		{dvf, "200"},
		{dvf + "/scoring", "200"},
		{dvf + "/quiz", "200"},
		{dvf + "/quiz?size=small", "200"},
		{dvf + "/result?size=small&team=solo", "200"},
		{dvf + "/result.png?size=small", "200"},
		{"/api" + dvf + "/quiz", "200"},
		{"/api" + dvf + "/recommendation?size=small", "200"},
		{"/tags/python", "200"},
		{"/sitemap.xml", "200"},
		{"/robots.txt", "200"},
		{"/feed.xml", "200"},
		{"/favicon.ico", "200"},
		{asset, "200"},
		{"/healthz", "200"},
		{"/readyz", "200"},
		{"/no/such/page", "404"},
		{"/compare/no-such-comparison", "404"},
		{"/api/no-such-endpoint", "404"},
		{dvf + "/result?size=huge", "400"},
		{"/api" + dvf + "/recommendation?size=huge", "400"},
	}
	for _, hsts := range []bool{false, true} {
		_, ts, _ := hxProductionServer(t, Options{HSTS: hsts})
		for _, method := range []string{"GET", "HEAD"} {
			for _, p := range paths {
				t.Run(fmt.Sprintf("hsts=%v/%s %s", hsts, method, p.path), func(t *testing.T) {
					req, err := http.NewRequest(method, ts.URL+p.path, nil)
					if err != nil {
						t.Fatal(err)
					}
					res, err := ts.Client().Do(req)
					if err != nil {
						t.Fatal(err)
					}
					io.Copy(io.Discard, res.Body)
					res.Body.Close()
					if fmt.Sprint(res.StatusCode) != p.status {
						t.Fatalf("status %d, want %s", res.StatusCode, p.status)
					}
					hxSecurityHeaders(t, res.Header, hsts)
				})
			}
		}
	}
}

// goErrorStrings are fragments of Go error messages that must never reach
// a page: they are written for programmers and can name internal
// addresses.
var goErrorStrings = []string{"unexpected EOF", "i/o timeout", "read tcp", "invalid URL escape", "semicolon separator", "http: ", "connection reset"}
