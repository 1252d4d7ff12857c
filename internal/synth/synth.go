// Package synth writes synthetic comparison articles, and synthetic
// categories of subjects (category.go), in the content format,
// so start-up time, memory and serving speed can be measured with thousands
// of articles before there are thousands of real ones. The articles are
// valid (they pass the real parser and catalog), about as large and as
// varied in shape as content/django-vs-flask.md, and deterministic: the same
// index always gives the same bytes, so runs can be compared.
//
// The text is filler and says so: every title, description and source note
// marks the article as synthetic, and no source carries a URL, so nothing
// generated here can pass for a fact.
package synth

import (
	"fmt"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing/fstest"
)

// Article returns the slug and Markdown source of synthetic article i.
// Articles with different indexes have different slugs.
func Article(i int) (slug string, src []byte) {
	g := newGen(i)
	return g.slug, g.article()
}

// Slug is the slug Article(i) returns, without generating the article.
func Slug(i int) string { return newGen(i).slug }

// FS returns n synthetic articles (indexes 0 to n-1) as an in-memory folder
// that catalog.Load reads like content/.
func FS(n int) fstest.MapFS {
	fsys := make(fstest.MapFS, n)
	for i := range n {
		slug, src := Article(i)
		fsys[slug+".md"] = &fstest.MapFile{Data: src, Mode: 0o644}
	}
	return fsys
}

// WriteDir writes n synthetic articles into dir (created if missing) as
// SLUG.md files, so other tools, such as a static site generator, can be
// measured on the same input. It refuses a dir that already holds anything
// but synthetic articles and categories, so it never mixes them with real
// content.
func WriteDir(dir string, n int) error {
	if err := checkSyntheticDir(dir); err != nil {
		return err
	}
	for i := range n {
		slug, src := Article(i)
		name := filepath.Join(dir, slug+".md")
		if err := os.WriteFile(name, src, 0o644); err != nil {
			return fmt.Errorf("synth: write %s: %w", name, err)
		}
	}
	return nil
}

// Size is the total size in bytes of the files in fsys, to report the
// volume of content a measurement ran on.
func Size(fsys fs.FS) (int64, error) {
	var total int64
	err := fs.WalkDir(fsys, ".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		fi, err := d.Info()
		if err != nil {
			return err
		}
		total += fi.Size()
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("synth: size: %w", err)
	}
	return total, nil
}

// slugPrefix starts every synthetic slug, so a folder of them is easy to
// recognise and clean.
const slugPrefix = "synthetic-"

// Word pools. Names are invented nonsense words, not products.
var (
	nameParts = []string{"kest", "ros", "vel", "mar", "ty", "lo", "quen", "dar", "pim", "sol", "bra", "nix", "ora", "fen", "gal", "tor", "wis", "zem", "cal", "hun"}
	tagPool   = []string{
		"web-frameworks", "databases", "queues", "caches", "languages", "editors", "build-tools", "testing",
		"observability", "containers", "orchestration", "cloud", "frontend", "backend", "mobile", "data",
		"machine-learning", "security", "networking", "storage", "search", "streaming", "ci", "package-managers",
		"static-sites", "cms", "api", "graphql", "rpc", "serverless",
	}
	words = strings.Fields(`the a framework library tool service team project release version core plugin extension module
		configuration default option feature support performance memory latency throughput startup build deploy test
		document community maintainer license ecosystem migration upgrade schema query index cache request response
		handler router template compiler runtime interpreter binary package dependency network storage cluster node
		worker thread process event stream batch job pipeline workflow interface protocol format parser encoder
		small large simple complex stable mature young fast slow steady careful explicit implicit strict flexible
		offers ships needs keeps uses adds removes favours limits allows requires prefers handles supports expects`)
	criteria = []string{
		"Type", "Architecture", "First public release", "Maintained by", "Learning curve", "Data layer",
		"Admin tooling", "Authentication", "Forms and validation", "Security defaults", "Templates", "Routing",
		"Project bootstrapping", "Testing", "Internationalization", "Caching", "Async", "Performance on small apps",
		"Scalability", "Flexibility", "Community size", "License", "Documentation", "Release cadence",
		"Plugin ecosystem", "Observability", "Deployment", "Configuration",
	}
	sectionTitles = []string{
		"Philosophy and architecture", "Origins and maintainers", "Learning curve", "Data and storage",
		"Admin and authentication", "Forms and validation", "Security", "Templates", "Routing",
		"Tooling and testing", "Internationalization and caching", "Performance and scalability",
		"Async support", "Flexibility", "Community and ecosystem", "Deployment", "Documentation",
	}
)

// gen builds one article from its own random stream.
type gen struct {
	rnd      *rand.Rand
	i        int
	slug     string
	subjects []subject
	sources  []string
	sections []string // titles of the free sections, in order
	b        strings.Builder
}

type subject struct{ key, name string }

func newGen(i int) *gen {
	g := &gen{rnd: rand.New(rand.NewPCG(uint64(i), 0x5eed)), i: i}
	n := 2 + g.rnd.IntN(2) // 2 or 3 subjects
	seen := map[string]bool{}
	for len(g.subjects) < n {
		key := g.pick(nameParts) + g.pick(nameParts)
		if g.rnd.IntN(2) == 0 {
			key += g.pick(nameParts)
		}
		if seen[key] {
			continue
		}
		seen[key] = true
		g.subjects = append(g.subjects, subject{key: key, name: strings.ToUpper(key[:1]) + key[1:]})
	}
	keys := make([]string, n)
	for j, s := range g.subjects {
		keys[j] = s.key
	}
	g.slug = fmt.Sprintf("%s%05d-%s", slugPrefix, i, strings.Join(keys, "-vs-"))
	for j := range 8 + g.rnd.IntN(8) {
		g.sources = append(g.sources, fmt.Sprintf("src-%d", j+1))
	}
	perm := g.rnd.Perm(len(sectionTitles))
	for _, j := range perm[:10+g.rnd.IntN(5)] {
		g.sections = append(g.sections, sectionTitles[j])
	}
	return g
}

func (g *gen) pick(from []string) string { return from[g.rnd.IntN(len(from))] }

func (g *gen) w(format string, args ...any) { fmt.Fprintf(&g.b, format, args...) }

// sentence is 8 to 20 filler words ending with a citation or two.
func (g *gen) sentence() string {
	n := 8 + g.rnd.IntN(13)
	ws := make([]string, n)
	for j := range ws {
		ws[j] = g.pick(words)
	}
	ws[0] = strings.ToUpper(ws[0][:1]) + ws[0][1:]
	cite := "@" + g.pick(g.sources)
	if g.rnd.IntN(3) == 0 {
		if other := "@" + g.pick(g.sources); other != cite {
			cite += "; " + other
		}
	}
	return strings.Join(ws, " ") + " [" + cite + "]."
}

func (g *gen) paragraph(sentences int) string {
	s := make([]string, sentences)
	for j := range s {
		s[j] = g.sentence()
	}
	return strings.Join(s, " ")
}

func (g *gen) title() string {
	names := make([]string, len(g.subjects))
	for j, s := range g.subjects {
		names[j] = s.name
	}
	return strings.Join(names, " vs ")
}

func (g *gen) article() []byte {
	g.frontMatter()
	g.body()
	return []byte(g.b.String())
}

func (g *gen) frontMatter() {
	g.w("---\ntitle: %s\n", g.title())
	g.w("description: Synthetic article %d, generated by internal/synth to measure the site at scale; its text is filler, not facts.\n", g.i)
	g.w("reviewed: 2026-%02d-%02d\n", 1+g.rnd.IntN(12), 1+g.rnd.IntN(28))
	tags := map[string]bool{}
	var tagList []string
	for range 2 + g.rnd.IntN(3) {
		if t := g.pick(tagPool); !tags[t] {
			tags[t] = true
			tagList = append(tagList, t)
		}
	}
	g.w("tags: [%s]\nsubjects:\n", strings.Join(tagList, ", "))
	for _, s := range g.subjects {
		g.w("  - key: %s\n    name: %s\n    summary: Synthetic subject %s, %s\n", s.key, s.name, s.name, strings.ToLower(g.sentenceNoCite()))
		g.w("    maintainer: The %s maintainers (synthetic)\n    first_release: \"%d\"\n    license: MIT\n", s.name, 1995+g.rnd.IntN(30))
		g.w("    choose_if: you want %s\n    cites: [%s]\n", strings.ToLower(g.sentenceNoCite()), g.pick(g.sources))
	}
	g.w("sources:\n")
	for _, k := range g.sources {
		g.w("  - key: %s\n    title: \"Synthetic source %s for article %d\"\n    publisher: internal/synth\n", k, k, g.i)
		g.w("    date: 20%02d-%02d-%02d\n    note: Generated filler; %s\n", 10+g.rnd.IntN(16), 1+g.rnd.IntN(12), 1+g.rnd.IntN(28), strings.ToLower(g.sentenceNoCite()))
	}
	g.w("quiz:\n")
	anchors := append([]string{"at-a-glance", "pros-and-cons", "when-to-choose", "verdict"}, g.anchors()...)
	for q := range 12 {
		g.w("  - key: q%d\n    ask: Synthetic question %d, %s?\n", q+1, q+1, strings.ToLower(strings.TrimSuffix(g.sentenceNoCite(), ".")))
		if g.rnd.IntN(3) == 0 {
			g.w("    help: %s\n", g.sentenceNoCite())
		}
		g.w("    options:\n")
		nopt := 2 + g.rnd.IntN(3)
		for o := range nopt {
			g.w("      - key: o%d\n        label: Option %d, %s\n", o+1, o+1, strings.ToLower(strings.TrimSuffix(g.sentenceNoCite(), ".")))
			// The first option always favours someone, so every
			// question can change the result.
			s := g.subjects[(q+o)%len(g.subjects)]
			weight := 1 + g.rnd.IntN(3)
			if o > 0 && g.rnd.IntN(3) == 0 {
				weight = 0
			}
			g.w("        favors: {%s: %d}\n", s.key, weight)
			g.w("        why: \"%s\"\n        cites: [%s, %s]\n", g.sentenceNoCite(), g.pick(g.sources), g.pick(g.sources))
			g.w("        section: %s\n", g.pick(anchors))
		}
	}
	g.w("---\n")
}

// anchors are the anchors of the free sections, as the parser derives them.
func (g *gen) anchors() []string {
	out := make([]string, len(g.sections))
	for j, t := range g.sections {
		out[j] = strings.ReplaceAll(strings.ToLower(t), " ", "-")
	}
	return out
}

func (g *gen) sentenceNoCite() string {
	s := g.sentence()
	return s[:strings.LastIndex(s, " [")] + "."
}

func (g *gen) body() {
	g.w("%s\n\n%s\n\n", g.paragraph(5), g.paragraph(4))

	g.w("## At a glance\n\n| Criterion |")
	for _, s := range g.subjects {
		g.w(" %s |", s.name)
	}
	g.w(" Edge | Sources |\n|---|")
	for range g.subjects {
		g.w("---|")
	}
	g.w("---|---|\n")
	rows := 15 + g.rnd.IntN(8)
	for _, j := range g.rnd.Perm(len(criteria))[:rows] {
		g.w("| %s |", criteria[j])
		for range g.subjects {
			g.w(" %s |", strings.TrimSuffix(g.sentenceNoCite(), "."))
		}
		edge := "even"
		if k := g.rnd.IntN(len(g.subjects) + 1); k < len(g.subjects) {
			edge = g.subjects[k].key
		}
		g.w(" %s | %s, %s |\n", edge, g.pick(g.sources), g.pick(g.sources))
	}
	g.w("\n")

	for _, t := range g.sections {
		g.w("## %s\n\n", t)
		for range 2 + g.rnd.IntN(3) {
			g.w("%s\n\n", g.paragraph(4+g.rnd.IntN(4)))
		}
	}

	g.w("## Pros and cons\n\n")
	for _, s := range g.subjects {
		g.w("### %s\n\n#### Pros\n\n", s.name)
		g.list(4 + g.rnd.IntN(3))
		g.w("#### Cons\n\n")
		g.list(3 + g.rnd.IntN(3))
	}
	g.w("## When to choose\n\n")
	for _, s := range g.subjects {
		g.w("### %s\n\n", s.name)
		g.list(4 + g.rnd.IntN(3))
	}
	g.w("## Verdict\n\n%s\n\n%s\n\n", g.paragraph(4), g.paragraph(3))
	g.w("## FAQ\n\n")
	for q := range 4 + g.rnd.IntN(3) {
		g.w("### Synthetic question %d of the FAQ?\n\n%s\n\n", q+1, g.paragraph(3+g.rnd.IntN(3)))
	}
	g.w("## Corrections\n\n")
	for c := range 1 + g.rnd.IntN(3) {
		g.w("### Synthetic correction %d\n\n%s\n\n", c+1, g.paragraph(3))
	}
}

func (g *gen) list(n int) {
	for range n {
		g.w("- %s\n", g.sentence())
	}
	g.w("\n")
}
