// Package static embeds the site's CSS, JavaScript and icons and names each
// file after a hash of its content, so browsers may cache an asset forever:
// a changed file gets a new URL, and no reader ever sees a stale stylesheet.
package static

import (
	"crypto/sha256"
	"crypto/sha512"
	"embed"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"io/fs"
	"mime"
	"path"
	"sort"
	"strings"
)

//go:embed site.css quiz.js live.js favicon.svg favicon.ico
var files embed.FS

// Prefix is the URL path under which every asset is served.
const Prefix = "/static/"

// Asset is one embedded file and the URL it is published under.
type Asset struct {
	Name        string // file name in this folder, e.g. "site.css"
	URL         string // "/static/site.0123abcd.css": changes whenever Body does
	ContentType string
	Body        []byte
	Integrity   string // Subresource Integrity value: "sha384-…"
}

var (
	byName = map[string]Asset{}
	byURL  = map[string]Asset{}
	sorted []Asset
)

func init() {
	entries, err := fs.ReadDir(files, ".")
	if err != nil {
		panic(fmt.Sprintf("static: read embedded files: %v", err))
	}
	for _, e := range entries {
		body, err := files.ReadFile(e.Name())
		if err != nil {
			panic(fmt.Sprintf("static: read %s: %v", e.Name(), err))
		}
		sri := sha512.Sum384(body)
		a := Asset{
			Name: e.Name(), URL: hashedURL(e.Name(), body), ContentType: contentType(e.Name()), Body: body,
			Integrity: "sha384-" + base64.StdEncoding.EncodeToString(sri[:]),
		}
		byName[a.Name] = a
		byURL[a.URL] = a
		sorted = append(sorted, a)
	}
	sort.Slice(sorted, func(i, j int) bool { return sorted[i].Name < sorted[j].Name })
}

func hashedURL(name string, body []byte) string {
	sum := sha256.Sum256(body)
	ext := path.Ext(name)
	return Prefix + strings.TrimSuffix(name, ext) + "." + hex.EncodeToString(sum[:])[:10] + ext
}

func contentType(name string) string {
	switch path.Ext(name) {
	case ".css":
		return "text/css; charset=utf-8"
	case ".js":
		return "text/javascript; charset=utf-8"
	case ".svg":
		return "image/svg+xml"
	case ".ico":
		return "image/x-icon"
	}
	if t := mime.TypeByExtension(path.Ext(name)); t != "" {
		return t
	}
	return "application/octet-stream"
}

// URL returns the content-hashed URL of the named asset. Views call it with
// constant names, so an unknown name is a programming error caught by the
// first render in any test; it panics rather than emit a broken link.
func URL(name string) string { return mustGet(name).URL }

// Integrity is the named asset's Subresource Integrity value, so a browser
// refuses a stylesheet or script altered between us and the reader (by a
// CDN or proxy) instead of running it. Unknown names panic, as in URL.
func Integrity(name string) string { return mustGet(name).Integrity }

func mustGet(name string) Asset {
	a, ok := byName[name]
	if !ok {
		panic(fmt.Sprintf("static: no asset named %q", name))
	}
	return a
}

// Get returns the asset with the given file name.
func Get(name string) (Asset, bool) {
	a, ok := byName[name]
	return a, ok
}

// Lookup finds the asset published at a hashed URL path; an old or
// mistyped hash is not found, so a server answers 404 instead of serving
// content that does not match the name.
func Lookup(urlPath string) (Asset, bool) {
	a, ok := byURL[urlPath]
	return a, ok
}

// All returns every asset sorted by name, so a server can prepare them all
// at start-up.
func All() []Asset { return sorted }
