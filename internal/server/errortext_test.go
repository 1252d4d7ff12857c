package server

import (
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
)

// timeoutBody fails the way a request body does when the client is too
// slow for the server's read deadline: with a *net.OpError naming both
// addresses.
type timeoutBody struct{}

func (timeoutBody) Read([]byte) (int, error) {
	return 0, &net.OpError{Op: "read", Net: "tcp",
		Source: &net.TCPAddr{IP: net.IPv4(10, 1, 2, 3), Port: 18303},
		Addr:   &net.TCPAddr{IP: net.IPv4(10, 4, 5, 6), Port: 46556},
		Err:    os.ErrDeadlineExceeded}
}

func (timeoutBody) Close() error { return nil }

// TestUnreadableFormNamesTheProblem: a form cut off by the network gets
// a 400 that says so in words, never the network error, which shows
// internal addresses.
func TestUnreadableFormNamesTheProblem(t *testing.T) {
	s, _ := hxSite(t, Options{})
	req := httptest.NewRequest(http.MethodPost, "/compare/django-vs-flask/quiz", timeoutBody{})
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	rec := httptest.NewRecorder()
	s.ServeHTTP(rec, req)
	body := rec.Body.String()
	if rec.Code != http.StatusBadRequest || !strings.Contains(body, "Unreadable form") || !strings.Contains(body, "did not arrive in full") {
		t.Fatalf("status %d, body:\n%.800s\nwant 400 saying the answers did not arrive", rec.Code, body)
	}
	for _, leak := range append(goErrorStrings, "10.1.2.3", "10.4.5.6", "18303") {
		if strings.Contains(body, leak) {
			t.Errorf("the page shows %q", leak)
		}
	}
}
