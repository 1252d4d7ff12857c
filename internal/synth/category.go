package synth

import (
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing/fstest"
)

// Synthetic categories, in the category format of content/README.md: a
// folder per category with a category.md (18 to 22 criteria, most of them
// ranked on a scale, and the 12-question questionnaire of
// content/python-web-frameworks, same question and option keys), one
// SUBJECT.md per subject (a cited value for every criterion, a fit for
// every option, pros, cons and when to choose; 20 to 30 KB, about the size
// of the real subject files) and a few hand-written A-vs-B.md articles
// (a pair, a three-way and, with four subjects or more, a four-way).
//
// As with the articles, the text is filler and says so: every title,
// summary, description and source note says it is synthetic, sources carry
// no URL and websites are under .example.

// categoryPrefix starts every synthetic category folder.
const categoryPrefix = slugPrefix + "category-"

// CategoryKey is the folder name, and key, of synthetic category c.
func CategoryKey(c int) string { return fmt.Sprintf("%s%03d", categoryPrefix, c) }

// SubjectKey is the key (and file name without .md) of subject j of
// synthetic category c: unique across the site, since every category's
// subjects carry its number.
func SubjectKey(c, j int) string {
	g := rand.New(rand.NewPCG(uint64(c)<<20|uint64(j), 0xc47))
	return fmt.Sprintf("%s%s-%d-%d", nameParts[g.IntN(len(nameParts))], nameParts[g.IntN(len(nameParts))], c, j)
}

// Category returns the files of synthetic category c with n subjects (2 or
// more), by their path inside the content folder (CategoryKey(c)/...).
// The same c and n always give the same bytes.
func Category(c, n int) map[string][]byte {
	if n < 2 {
		n = 2
	}
	cg := newCatGen(c, n)
	dir := CategoryKey(c)
	files := map[string][]byte{dir + "/category.md": cg.category()}
	for j := range n {
		files[dir+"/"+cg.subjects[j].key+".md"] = cg.subject(j)
	}
	for _, set := range cg.articleSets() {
		keys := make([]string, len(set))
		for i, j := range set {
			keys[i] = cg.subjects[j].key
		}
		slices.Sort(keys)
		files[dir+"/"+strings.Join(keys, "-vs-")+".md"] = cg.article(set)
	}
	return files
}

// CatalogFS returns categories synthetic categories (0 to categories-1) of
// subjects subjects each, as an in-memory content folder.
func CatalogFS(categories, subjects int) fstest.MapFS {
	fsys := fstest.MapFS{}
	for c := range categories {
		for name, src := range Category(c, subjects) {
			fsys[name] = &fstest.MapFile{Data: src, Mode: 0o644}
		}
	}
	return fsys
}

// WriteCatalog writes categories synthetic categories of subjects subjects
// each into dir (created if missing), one folder per category. Like
// WriteDir it refuses a dir that holds anything but synthetic content, and
// the two can write into the same dir.
func WriteCatalog(dir string, categories, subjects int) error {
	if err := checkSyntheticDir(dir); err != nil {
		return err
	}
	for c := range categories {
		sub := filepath.Join(dir, CategoryKey(c))
		if err := os.RemoveAll(sub); err != nil { // a category written before with more subjects
			return fmt.Errorf("synth: clear %s: %w", sub, err)
		}
		if err := os.Mkdir(sub, 0o755); err != nil {
			return fmt.Errorf("synth: create %s: %w", sub, err)
		}
		for name, src := range Category(c, subjects) {
			p := filepath.Join(dir, filepath.FromSlash(name))
			if err := os.WriteFile(p, src, 0o644); err != nil {
				return fmt.Errorf("synth: write %s: %w", p, err)
			}
		}
	}
	return nil
}

// checkSyntheticDir creates dir if missing and refuses one that holds
// anything but synthetic articles and synthetic category folders.
func checkSyntheticDir(dir string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("synth: create %s: %w", dir, err)
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return fmt.Errorf("synth: read %s: %w", dir, err)
	}
	for _, e := range entries {
		article := !e.IsDir() && strings.HasPrefix(e.Name(), slugPrefix) && strings.HasSuffix(e.Name(), ".md")
		category := e.IsDir() && strings.HasPrefix(e.Name(), categoryPrefix)
		if !article && !category {
			return fmt.Errorf("synth: %s already holds %s, which is not synthetic content: use an empty folder", dir, e.Name())
		}
	}
	return nil
}

// criterionDef is one criterion of the pool categories draw from.
type criterionDef struct {
	key, name string
	scale     []string // nil: not ranked
}

var (
	scaleBuiltIn = []string{"built-in", "official", "third-party", "none"}
	// criterionPool holds the criteria a category draws from. The first
	// ones are those the questionnaire's options lean on, so every
	// category has them.
	criterionPool = []criterionDef{
		{"learning-curve", "Learning curve", []string{"gentle", "moderate", "steep"}},
		{"api", "JSON APIs", scaleBuiltIn},
		{"realtime", "Real-time connections", scaleBuiltIn},
		{"admin", "Admin interface", scaleBuiltIn},
		{"auth", "Accounts and permissions", scaleBuiltIn},
		{"orm", "Data layer", []string{"built-in", "official", "third-party"}},
		{"nosql", "Document stores", []string{"official", "third-party", "none"}},
		{"flexibility", "Conventions", []string{"opinionated", "balanced", "unopinionated"}},
		{"security", "Security defaults", []string{"broad", "partial", "minimal"}},
		// Drawn from, in a per-category order.
		{"kind", "Kind of tool", nil},
		{"interface", "Interface", nil},
		{"forms", "Forms and validation", scaleBuiltIn},
		{"templates", "Templates", nil},
		{"routing", "Routing", nil},
		{"async", "Async support", []string{"native", "supported", "limited"}},
		{"scaffolding", "Project generator", scaleBuiltIn},
		{"testing", "Testing", nil},
		{"i18n", "Internationalization", scaleBuiltIn},
		{"caching", "Caching", scaleBuiltIn},
		{"performance", "Performance", nil},
		{"community", "Community and ecosystem", nil},
		{"documentation", "Documentation", []string{"extensive", "adequate", "sparse"}},
		{"release-cadence", "Release cadence", []string{"regular", "irregular"}},
		{"observability", "Observability", scaleBuiltIn},
		{"deployment", "Deployment", nil},
		{"configuration", "Configuration", nil},
	}
	leanedOn = 9 // criterionPool[:leanedOn] are named by options

	// quizDef is the questionnaire of content/python-web-frameworks, keys
	// and all (TestQuizKeysMatchTheRealCategory holds them equal); an
	// option's criterion is after its key, "" for none.
	quizDef = []struct {
		key     string
		options [][2]string
	}{
		{"size", [][2]string{{"small", ""}, {"medium", ""}, {"large", ""}}},
		{"experience", [][2]string{{"beginner", "learning-curve"}, {"intermediate", ""}, {"expert", ""}}},
		{"kind", [][2]string{{"api", "api"}, {"content", ""}, {"ecommerce", ""}, {"social", ""}, {"ml", ""}, {"prototype", ""}, {"dashboard", ""}, {"realtime", "realtime"}, {"learning", "learning-curve"}}},
		{"deadline", [][2]string{{"tight", ""}, {"flexible", ""}}},
		{"admin", [][2]string{{"yes", "admin"}, {"no", ""}}},
		{"auth", [][2]string{{"yes", "auth"}, {"no", ""}}},
		{"data", [][2]string{{"relational", "orm"}, {"nosql", "nosql"}, {"none", ""}}},
		{"control", [][2]string{{"conventions", "flexibility"}, {"control", ""}}},
		{"security", [][2]string{{"sensitive", "security"}, {"normal", ""}}},
		{"growth", [][2]string{{"yes", ""}, {"no", ""}}},
		{"team", [][2]string{{"solo", ""}, {"small", ""}, {"large", ""}}},
		{"architecture", [][2]string{{"monolith", ""}, {"microservices", ""}}},
	}
)

// catGen builds one category from its own random stream; each subject and
// article is generated from a stream of its own too, so changing one file's
// shape does not change the others'.
type catGen struct {
	c        int
	key      string
	title    string
	criteria []criterionDef
	shared   []string // source keys declared in category.md
	subjects []catSubject
	ranks    [][]int // ranks[j][k]: subject j's place on criteria[k]'s scale
}

type catSubject struct {
	key, name string
	sources   []string // declared in its file
}

func newCatGen(c, n int) *catGen {
	rnd := rand.New(rand.NewPCG(uint64(c), 0xca7))
	cg := &catGen{c: c, key: CategoryKey(c)}
	cg.title = fmt.Sprintf("Synthetic category %d: %s tools", c, strings.ReplaceAll(tagPool[c%len(tagPool)], "-", " "))
	rest := slices.Clone(criterionPool[leanedOn:])
	rnd.Shuffle(len(rest), func(i, j int) { rest[i], rest[j] = rest[j], rest[i] })
	picked := append(slices.Clone(criterionPool[:leanedOn]), rest[:9+rnd.IntN(5)]...) // 18 to 22
	rnd.Shuffle(len(picked), func(i, j int) { picked[i], picked[j] = picked[j], picked[i] })
	cg.criteria = picked
	for s := range 4 + rnd.IntN(3) {
		cg.shared = append(cg.shared, fmt.Sprintf("shared-%d", s+1))
	}
	for j := range n {
		key := SubjectKey(c, j)
		s := catSubject{key: key, name: strings.ToUpper(key[:1]) + key[1:]}
		for k := range 8 + rnd.IntN(6) {
			s.sources = append(s.sources, fmt.Sprintf("%s-src-%d", key, k+1))
		}
		cg.subjects = append(cg.subjects, s)
		r := make([]int, len(cg.criteria))
		for k, cr := range cg.criteria {
			if cr.scale != nil {
				r[k] = rnd.IntN(len(cr.scale))
			}
		}
		cg.ranks = append(cg.ranks, r)
	}
	return cg
}

// articleSets are the subject sets that get a hand-written article: a
// pair, a three-way and a four-way, as far as the subjects go.
func (cg *catGen) articleSets() [][]int {
	n := len(cg.subjects)
	sets := [][]int{{0, 1}}
	if n >= 3 {
		sets = append(sets, []int{n - 1, 0, 1}) // not in file order: authors list subjects as they like
	}
	if n >= 4 {
		sets = append(sets, []int{0, 2, n / 2, n - 1}[:4])
		if n/2 == 2 || n/2 == n-1 {
			sets[len(sets)-1] = []int{0, 1, 2, 3}
		}
	}
	return sets
}

func (cg *catGen) criterion(key string) (int, criterionDef) {
	for k, cr := range cg.criteria {
		if cr.key == key {
			return k, cr
		}
	}
	panic("synth: criterion " + key + " not in the category") // criterionPool[:leanedOn] always is
}

// text is a filler writer over its own random stream.
type text struct {
	rnd *rand.Rand
	b   strings.Builder
}

func newText(seed1, seed2 uint64) *text { return &text{rnd: rand.New(rand.NewPCG(seed1, seed2))} }

func (t *text) w(format string, args ...any) { fmt.Fprintf(&t.b, format, args...) }

func (t *text) pick(from []string) string { return from[t.rnd.IntN(len(from))] }

// words is n to n+spread filler words, the first capitalised, no full stop.
func (t *text) words(n, spread int) string {
	ws := make([]string, n+t.rnd.IntN(spread+1))
	for j := range ws {
		ws[j] = t.pick(words)
	}
	ws[0] = strings.ToUpper(ws[0][:1]) + ws[0][1:]
	return strings.Join(ws, " ")
}

// cite is "[@a]" or "[@a; @b]" from keys; next, when not nil, is the
// source to cite first, so that every declared source is cited.
func (t *text) cite(keys []string, next *int) string {
	first := t.pick(keys)
	if next != nil && *next < len(keys) {
		first = keys[*next]
		*next++
	}
	if t.rnd.IntN(3) == 0 {
		if other := t.pick(keys); other != first {
			return "[@" + first + "; @" + other + "]"
		}
	}
	return "[@" + first + "]"
}

func (t *text) sentence(keys []string, next *int) string {
	return t.words(8, 12) + " " + t.cite(keys, next) + "."
}

func (t *text) paragraph(n int, keys []string, next *int) string {
	s := make([]string, n)
	for j := range s {
		s[j] = t.sentence(keys, next)
	}
	return strings.Join(s, " ")
}

func (cg *catGen) category() []byte {
	t := newText(uint64(cg.c), 0xca70)
	t.w("---\ntitle: %q\n", cg.title)
	t.w("description: Synthetic category %d, generated by internal/synth to measure the site at scale; its text is filler, not facts.\n", cg.c)
	t.w("reviewed: 2026-%02d-%02d\n", 1+t.rnd.IntN(12), 1+t.rnd.IntN(28))
	t.w("tags: [synthetic, %s]\n", tagPool[cg.c%len(tagPool)])
	t.w("sources:\n")
	for _, k := range cg.shared {
		t.w("  - key: %s\n    title: \"Synthetic shared source %s of category %d\"\n    publisher: internal/synth\n", k, k, cg.c)
		t.w("    date: 20%02d-%02d-%02d\n    note: \"Generated filler, cited by several files; %s.\"\n", 10+t.rnd.IntN(16), 1+t.rnd.IntN(12), 1+t.rnd.IntN(28), strings.ToLower(t.words(6, 6)))
	}
	t.w("criteria:\n")
	for _, cr := range cg.criteria {
		t.w("  - key: %s\n    name: %s\n    measures: \"Synthetic: %s\"\n", cr.key, cr.name, strings.ToLower(t.words(6, 6)))
		if cr.scale != nil {
			t.w("    scale: [%s]\n", strings.Join(cr.scale, ", "))
		}
	}
	t.w("quiz:\n")
	for q, qd := range quizDef {
		t.w("  - key: %s\n    ask: \"Synthetic question %d, %s?\"\n", qd.key, q+1, strings.ToLower(t.words(5, 6)))
		if t.rnd.IntN(3) == 0 {
			t.w("    help: \"%s.\"\n", t.words(8, 8))
		}
		t.w("    options:\n")
		for o, od := range qd.options {
			t.w("      - key: %q\n        label: \"Option %d, %s\"\n", od[0], o+1, strings.ToLower(t.words(4, 6)))
			if od[1] != "" {
				t.w("        criterion: %s\n", od[1])
			}
		}
	}
	next := 0
	t.w("---\n\n%s\n\n%s\n", t.paragraph(4, cg.shared, &next), t.paragraph(3, cg.shared, &next))
	for next < len(cg.shared) { // cannot happen with 7 sentences and at most 6 sources; kept for safety
		t.w("\n%s\n", t.sentence(cg.shared, &next))
	}
	return []byte(t.b.String())
}

// fit is subject j's fit for option od of a question: from its rank when
// the option leans on a criterion (the best place fits 3, the worst 0, so
// a subject ranked better never fits worse), random otherwise, sometimes
// "no bearing". The first subject fits every question's first option that
// leans on nothing at least 1, so every question can change a result.
func (cg *catGen) fit(t *text, j int, q, o int) (points int, none bool) {
	od := quizDef[q].options[o]
	if od[1] != "" {
		k, cr := cg.criterion(od[1])
		last := len(cr.scale) - 1
		return (3*(last-cg.ranks[j][k]) + last/2) / last, false
	}
	if j == 0 && firstFree(q) == o {
		return 1 + t.rnd.IntN(3), false
	}
	if t.rnd.IntN(8) == 0 {
		return 0, true
	}
	return t.rnd.IntN(4), false
}

func firstFree(q int) int {
	for o, od := range quizDef[q].options {
		if od[1] == "" {
			return o
		}
	}
	return -1
}

func (cg *catGen) subject(j int) []byte {
	s := cg.subjects[j]
	t := newText(uint64(cg.c)<<20|uint64(j), 0x5b1)
	all := append(slices.Clone(s.sources), cg.shared...)
	next := 0 // the subject's own sources are cited in turn first
	t.w("---\nname: %s\n", s.name)
	t.w("summary: \"Synthetic subject %d of category %d, filler not fact: %s\"\n", j, cg.c, strings.ToLower(t.words(10, 8)))
	t.w("choose_if: \"you want %s\"\n", strings.ToLower(t.words(8, 8)))
	t.w("website: https://%s.example/\n", s.key)
	t.w("maintainer: The %s maintainers (synthetic)\n", s.name)
	t.w("license: %s\n", t.pick([]string{"MIT", "BSD-3-Clause", "Apache-2.0", "MPL-2.0"}))
	year := 1995 + t.rnd.IntN(28)
	t.w("first_release: {date: \"%d-%02d-%02d\", cites: [%s]}\n", year, 1+t.rnd.IntN(12), 1+t.rnd.IntN(28), s.sources[0])
	major := 1 + t.rnd.IntN(9)
	t.w("latest: {version: \"%d.%d\", date: \"2026-%02d-%02d\", cites: [%s]}\n", major, t.rnd.IntN(10), 1+t.rnd.IntN(11), 1+t.rnd.IntN(28), s.sources[1])
	t.w("supported:\n")
	for v := range 1 + t.rnd.IntN(3) {
		t.w("  - {version: \"%d.0\", until: \"20%d-%02d\"%s, cites: [%s]}\n", major-v, 27+t.rnd.IntN(3), 1+t.rnd.IntN(12), map[bool]string{true: ", lts: true"}[v == 1], s.sources[1])
	}
	t.w("reviewed: 2026-%02d-%02d\n", 1+t.rnd.IntN(11), 1+t.rnd.IntN(28))
	t.w("sources:\n")
	for _, k := range s.sources {
		t.w("  - key: %s\n    title: \"Synthetic source %s\"\n    publisher: internal/synth\n", k, k)
		t.w("    date: 20%02d-%02d-%02d\n    note: \"Generated filler, not a real document; %s.\"\n", 10+t.rnd.IntN(16), 1+t.rnd.IntN(12), 1+t.rnd.IntN(28), strings.ToLower(t.words(8, 8)))
	}
	t.w("values:\n")
	for k, cr := range cg.criteria {
		lead := "Synthetic"
		if cr.scale != nil {
			lead = strings.ToUpper(cr.scale[cg.ranks[j][k]][:1]) + cr.scale[cg.ranks[j][k]][1:]
		}
		t.w("  %s:\n    text: \"%s: %s %s; %s %s\"\n", cr.key, lead, strings.ToLower(t.words(10, 8)), t.cite(all, &next), strings.ToLower(t.words(8, 8)), t.cite(all, nil))
		if cr.scale != nil {
			t.w("    rank: %s\n", cr.scale[cg.ranks[j][k]])
		}
		t.w("    cites: [%s, %s]\n", t.pick(all), t.pick(all))
	}
	t.w("fits:\n")
	for q, qd := range quizDef {
		t.w("  %s:\n", qd.key)
		for o, od := range qd.options {
			points, none := cg.fit(t, j, q, o)
			if none {
				t.w("    %q: {fit: none}\n", od[0])
				continue
			}
			t.w("    %q: {fit: %d, why: \"%s, %s.\", cites: [%s]}\n", od[0], points, s.name, strings.ToLower(t.words(10, 10)), t.pick(all))
		}
	}
	t.w("---\n\n")
	t.w("This file is synthetic: generated by internal/synth to measure the site at scale, its text is filler and none of it is a fact. %s\n\n", t.paragraph(5, all, &next))
	t.w("%s\n\n%s\n\n", t.paragraph(5, all, &next), t.paragraph(4, all, &next))
	for _, part := range []string{"Pros", "Cons", "When to choose"} {
		t.w("## %s\n\n", part)
		for range 5 + t.rnd.IntN(3) {
			t.w("- %s %s\n", t.sentence(all, &next), t.sentence(all, nil))
		}
		t.w("\n")
	}
	for next < len(s.sources) { // never with 8 to 13 sources and 60 or more citations
		t.w("- %s\n", t.sentence(all, &next))
	}
	return []byte(t.b.String())
}

func (cg *catGen) article(set []int) []byte {
	seed := uint64(cg.c) << 20
	names := make([]string, len(set))
	keys := make([]string, len(set))
	for i, j := range set {
		seed = seed*31 + uint64(j)
		names[i], keys[i] = cg.subjects[j].name, cg.subjects[j].key
	}
	t := newText(seed, 0xa27)
	var cites []string
	for _, j := range set {
		cites = append(cites, cg.subjects[j].sources...)
	}
	own := []string{fmt.Sprintf("%s-article-%d", strings.Join(keys, "-"), 1), fmt.Sprintf("%s-article-%d", strings.Join(keys, "-"), 2)}
	cites = append(cites, own...)
	next := len(cites) - len(own) // cite the article's own sources first
	t.w("---\ntitle: %s\n", strings.Join(names, " vs "))
	t.w("description: A synthetic hand-written comparison of %d subjects in category %d, generated by internal/synth; its text is filler, not facts.\n", len(set), cg.c)
	t.w("reviewed: 2026-%02d-%02d\ntags: [synthetic]\nsubjects: [%s]\nsources:\n", 1+t.rnd.IntN(11), 1+t.rnd.IntN(28), strings.Join(keys, ", "))
	for _, k := range own {
		t.w("  - key: %s\n    title: \"Synthetic article source %s\"\n    publisher: internal/synth\n    note: Generated filler, not a real document.\n", k, k)
	}
	t.w("---\n\n%s\n\n%s\n\n", t.paragraph(5, cites, &next), t.paragraph(4, cites, nil))
	t.w("## Verdict\n\n%s\n\n%s\n\n", t.paragraph(4, cites, nil), t.paragraph(3, cites, nil))
	perm := t.rnd.Perm(len(sectionTitles))
	for _, s := range perm[:5+t.rnd.IntN(4)] {
		t.w("## %s\n\n", sectionTitles[s])
		for range 2 + t.rnd.IntN(2) {
			t.w("%s\n\n", t.paragraph(3+t.rnd.IntN(3), cites, nil))
		}
	}
	t.w("## FAQ\n\n")
	for q := range 4 + t.rnd.IntN(4) {
		t.w("### Synthetic question %d of the FAQ?\n\n%s\n\n", q+1, t.paragraph(2+t.rnd.IntN(3), cites, nil))
	}
	t.w("## Corrections\n\n")
	for c := range 2 + t.rnd.IntN(3) {
		t.w("### Synthetic correction %d\n\n%s\n\n", c+1, t.paragraph(3, cites, nil))
	}
	return []byte(t.b.String())
}
