package static

import (
	"crypto/sha512"
	"encoding/base64"
	"regexp"
	"testing"
)

func TestAssets(t *testing.T) {
	hashed := regexp.MustCompile(`^/static/[a-z]+\.[0-9a-f]{10}\.(css|js|svg|ico)$`)
	for _, name := range []string{"site.css", "quiz.js", "live.js", "favicon.svg", "favicon.ico"} {
		t.Run(name, func(t *testing.T) {
			u := URL(name)
			if !hashed.MatchString(u) {
				t.Errorf("URL(%q) = %q, want a content-hashed name", name, u)
			}
			a, ok := Lookup(u)
			if !ok || a.Name != name || len(a.Body) == 0 {
				t.Fatalf("Lookup(%q) = %+v, %v", u, a.Name, ok)
			}
			sum := sha512.Sum384(a.Body)
			if want := "sha384-" + base64.StdEncoding.EncodeToString(sum[:]); Integrity(name) != want {
				t.Errorf("Integrity(%q) = %q, want %q", name, Integrity(name), want)
			}
			if _, ok := Lookup("/static/" + name); ok {
				t.Errorf("the unhashed name %s must not be served", name)
			}
		})
	}
	if len(All()) != 5 {
		t.Errorf("All() has %d assets, want 5", len(All()))
	}
}

func TestUnknownNamePanics(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Error("URL of an unknown asset did not panic")
		}
	}()
	URL("nope.css")
}
