// Package catalog loads every article of a content folder into an immutable,
// indexed set of comparisons. A catalog is built and checked as a whole and
// never changed afterwards; a reload builds a new one, so a broken edit can
// never replace good content.
//
// Only an index stays in memory for self-contained articles: each one's
// summary (what listings, related links, the sitemap and the feed show) and
// a hash of its file; the categories' subject files, which comparisons are
// composed from, stay parsed. Article parses a self-contained article
// again when a page needs it whole. A parsed article takes about 76 KiB of
// heap (1.3 times its 58 KiB source, measured on 200 synthetic articles on
// 2026-12-02), so 100,000 of them would need 7 GiB; the summaries need
// about 2 KiB each, and the server keeps the articles it parsed again in its page
// cache, under the same byte budget as the pages.
package catalog

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"hash/maphash"
	"io/fs"
	"runtime"
	"slices"
	"strings"
	"sync"

	"golang.org/x/sync/errgroup"

	"github.com/maypok86/otter/v2"

	"github.com/versus-dev/versus/internal/compare"
	"github.com/versus-dev/versus/internal/markdown"
)

// Catalog is the published set of comparisons. It is safe for concurrent
// use because nothing mutates it after Load returns.
type Catalog struct {
	fsys  fs.FS
	seed  maphash.Seed
	limit int64
	files map[*compare.Comparison]file // each summary's file, as validated

	all    []*compare.Comparison // published (non-draft), sorted by title
	bySlug map[string]*compare.Comparison
	tags   []Tag
	byTag  map[string][]*compare.Comparison

	// For Related: positions in all, by tag and by subject key. The parser
	// refuses a repeated tag or subject key, so each article is listed at
	// most once per tag and per subject.
	// Categories: their subjects can be compared in any set of 2-4.
	groups       []*compare.Group
	groupByKey   map[string]*compare.Group
	subjectGroup map[string]*compare.Group
	composed     *otter.Cache[string, *compare.Comparison]

	warnings compare.Problems // what Load found unfinished, sorted

	pos         map[*compare.Comparison]int32
	tagPos      map[string][]int32
	subjectPos  map[string][]int32
	scratchPool sync.Pool // *relatedScratch
}

// relatedScratch is one Related call's score per position, all zero
// between calls, and the positions it touched.
type relatedScratch struct {
	score   []int32
	touched []int32
}

// Tag is a tag and how many published comparisons carry it.
type Tag struct {
	Name  string
	Count int
}

// Options are the limits of one load.
type Options struct {
	// MaxArticleBytes is the largest article read; 0 means
	// DefaultMaxArticleBytes. A larger file is a problem, not a read.
	MaxArticleBytes int64
	// KeepArticles keeps every parsed article in memory, so Article never
	// reads a file again: for watch mode, where the last good catalog
	// must keep serving while the files on disk hold an author's broken
	// edit, and where catalogs are an author's few articles.
	KeepArticles bool
}

// Warnings is every warning Load found: unfinished parts that did not stop
// the content loading (`versus check` lists them; -strict fails on them).
func (c *Catalog) Warnings() compare.Problems { return c.warnings }

// Load is LoadContext without a deadline and with the default limits.
func Load(fsys fs.FS) (*Catalog, error) {
	return LoadContext(context.Background(), fsys, Options{})
}

// LoadContext parses every *.md file at the top of fsys except README.md,
// and every category folder, and checks the set as a whole. On any error
// it returns nil and every problem found in every file (a
// compare.Problems, warnings included), sorted by file and line; warnings
// alone do not stop it (see Warnings). Every file is read with ReadFile, so only regular files within
// opts' size limit are parsed. When ctx is done it returns ctx.Err()
// at once, without waiting for a read in progress.
func LoadContext(ctx context.Context, fsys fs.FS, opts Options) (*Catalog, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	names, err := fs.Glob(fsys, "*.md")
	if err != nil {
		return nil, fmt.Errorf("list articles: %w", err)
	}
	var articles []string
	for _, name := range names {
		if !strings.EqualFold(name, "README.md") {
			articles = append(articles, name)
		}
	}
	seed := maphash.MakeSeed()
	results, err := parseAll(ctx, fsys, seed, articles, opts, runtime.GOMAXPROCS(0))
	if err != nil {
		return nil, err
	}
	var (
		problems compare.Problems
		parsed   []*compare.Comparison
		files    = make(map[*compare.Comparison]file, len(results))
	)
	for _, r := range results { // in name order, whichever worker parsed them
		problems = append(problems, r.problems...)
		if r.c != nil {
			parsed = append(parsed, r.c)
			files[r.c] = r.file
		}
	}
	groups, ps := loadCategories(ctx, fsys, opts.MaxArticleBytes)
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	problems = append(problems, ps...)
	for _, g := range groups {
		// A hand-written article is listed like a self-contained one.
		for _, a := range g.Articles {
			if !a.Draft {
				full := g.Compose(a.Subjects)
				parsed = append(parsed, full)
				files[full] = file{full: full} // composed from resident subject files
			}
		}
	}
	if len(parsed) == 0 && len(groups) == 0 && len(problems) == 0 {
		problems = append(problems, compare.Problem{File: ".", Msg: "no articles: add a category folder or at least one SLUG.md (see content/README.md)"})
	}
	problems = append(problems, checkSlugs(parsed)...)
	problems.Sort()
	if problems.HasErrors() {
		return nil, problems // with the warnings, so a check lists everything
	}
	cat := build(parsed)
	cat.warnings = problems
	cat.fsys, cat.seed, cat.files, cat.limit = fsys, seed, files, opts.MaxArticleBytes
	cat.groups = groups
	cat.groupByKey, cat.subjectGroup = map[string]*compare.Group{}, map[string]*compare.Group{}
	cat.composed = otter.Must(&otter.Options[string, *compare.Comparison]{MaximumSize: composedMax})
	for _, g := range groups {
		cat.groupByKey[g.Category.Key] = g
		for _, sf := range g.Subjects {
			cat.subjectGroup[sf.Subject.Key] = g
		}
	}
	return cat, nil
}

// parseResult is what reading and parsing one file gave: a comparison (nil
// when a problem is an error) and its problems.
type parseResult struct {
	c        *compare.Comparison // the summary
	file     file
	problems compare.Problems
}

// file is what the catalog remembers of an article's file: enough to tell
// that it is still the one that was checked, and how large it is.
type file struct {
	sum  uint64 // maphash of the bytes
	size int
	full *compare.Comparison // the parsed article, with KeepArticles
}

// parseAll reads and parses every named file, at most workers at a time
// (errgroup.SetLimit). Files are independent, so start-up with many
// articles scales with the cores; results come back in the order of names,
// so the catalog and its problem list do not depend on scheduling. Each
// comparison is cut down to its summary as soon as it is checked, so the
// full articles never pile up. When ctx is done it returns ctx.Err()
// without waiting: no new file is started, and one stuck in a read is
// left to finish on its own.
func parseAll(ctx context.Context, fsys fs.FS, seed maphash.Seed, names []string, opts Options, workers int) ([]parseResult, error) {
	results := make([]parseResult, len(names))
	pk := &packer{results: results}
	done := make(chan struct{})
	go func() {
		defer close(done)
		var g errgroup.Group
		g.SetLimit(max(1, workers))
		for i, name := range names {
			if ctx.Err() != nil {
				break
			}
			g.Go(func() error {
				if ctx.Err() == nil {
					results[i] = parseFile(ctx, fsys, seed, name, opts)
					pk.add(i)
				}
				return nil
			})
		}
		g.Wait() // parseFile reports problems in its result, never as an error
		pk.flush()
	}()
	select {
	case <-done:
	case <-ctx.Done():
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return results, nil
}

// readBufs are parseFile's read buffers. Nothing parsed keeps a part of
// one: Check and ParseReport copy every string they keep (ParseReport
// copies the whole file), and the packer copies the summaries again.
var readBufs = sync.Pool{New: func() any { return new([]byte) }}

func parseFile(ctx context.Context, fsys fs.FS, seed maphash.Seed, name string, opts Options) parseResult {
	bp := readBufs.Get().(*[]byte)
	defer readBufs.Put(bp)
	src, err := readFileInto(ctx, fsys, name, opts.MaxArticleBytes, *bp)
	if cap(src) > cap(*bp) {
		*bp = src[:0]
	}
	if err != nil {
		return parseResult{problems: compare.Problems{{File: name, Msg: err.Error()}}}
	}
	// The hash comes first: Check works in src. Only the summary stays,
	// so Check renders no HTML; a page that needs it parses the file again.
	f := file{sum: maphash.Bytes(seed, src), size: len(src)}
	parse := markdown.Check
	if opts.KeepArticles {
		parse = markdown.ParseReport
	}
	c, ps := parse(name, src)
	if c == nil {
		return parseResult{problems: ps}
	}
	if opts.KeepArticles {
		f.full = c
	}
	return parseResult{c: summary(c), file: f, problems: ps}
}

// summary keeps what listings, related links, the sitemap and the feed
// read: the identity, the title and description, the dates, the tags and
// the subjects' names. Its strings are still the parse's; the packer
// copies them next to the other summaries' (pack.go), so the summary ends
// up holding no part of a larger allocation of the parse.
func summary(c *compare.Comparison) *compare.Comparison {
	s := &compare.Comparison{
		File:        c.File,
		Slug:        c.Slug,
		Title:       c.Title,
		Description: c.Description,
		Reviewed:    c.Reviewed,
		Draft:       c.Draft,
		Tags:        c.Tags,
		Subjects:    make([]compare.Subject, len(c.Subjects)),
	}
	for i, sub := range c.Subjects {
		s.Subjects[i] = compare.Subject{Key: sub.Key, Name: sub.Name, Line: sub.Line}
	}
	return s
}

// ErrChanged says an article's file is no longer the one the catalog
// checked: it changed on disk after Load, and only a new Load (a reload)
// may serve it.
var ErrChanged = errors.New("the file changed after the content was loaded; reload the content to serve it")

// Article returns the whole comparison that s (one of All, Get, Lookup,
// Tagged or Related) stands for: for the summary of a self-contained
// article, parsed again from its file (one read and parse, about 1.5 ms
// for a 55 KB article; callers keep what it returns as long as they need
// it); a composed comparison is whole already and is returned as is. When
// the file changed since Load, it returns an error wrapping ErrChanged
// instead of content nobody checked.
func (c *Catalog) Article(s *compare.Comparison) (*compare.Comparison, error) {
	f, ok := c.files[s]
	if !ok {
		// Not the summary of a self-contained article: a comparison
		// composed from a category's subject files (Lookup,
		// CategoryComparison, SubjectComparison), which is whole.
		return s, nil
	}
	if f.full != nil {
		return f.full, nil
	}
	src, err := ReadFile(context.Background(), c.fsys, s.File, c.limit)
	if err != nil {
		return nil, fmt.Errorf("article %s: %w", s.File, err)
	}
	if maphash.Bytes(c.seed, src) != f.sum {
		return nil, fmt.Errorf("article %s: %w", s.File, ErrChanged)
	}
	full, err := markdown.Parse(s.File, src)
	if err != nil { // the same bytes parsed before: only a bug gets here
		return nil, fmt.Errorf("article %s: %w", s.File, err)
	}
	return full, nil
}

// ArticleSize is what the article of summary s costs the process once
// parsed and kept in a cache that counts bytes: 4.5 times the bytes of its
// file. A parsed article's live heap is about 1.3 times its file (see the
// package doc), but an article is thousands of small objects, and a cache
// that keeps some and evicts others leaves holes among them that the heap
// keeps: with 2.25 times the file, the heap spans behind the page cache
// were 1.64 times its budget after a random-page load, and the process
// ended 38 MiB over budget + index + 128 MiB (`loadtest -scale-child`,
// 20,000 articles, 5,000 requests: 466 MiB against 428). At 4.5 times the
// spans were 1.13 times the budget and the process settled at 351 MiB.
func (c *Catalog) ArticleSize(s *compare.Comparison) int {
	return c.files[s].size * 9 / 2
}

// checkSlugs reports every article whose slug another article already uses.
func checkSlugs(cs []*compare.Comparison) compare.Problems {
	var ps compare.Problems
	first := map[string]*compare.Comparison{}
	for _, c := range cs {
		if prev, ok := first[c.Slug]; ok {
			ps = append(ps, compare.Problem{File: c.File, Line: 1, Msg: fmt.Sprintf(
				"slug %q is already used by %s: set a different slug in the front matter or rename the file", c.Slug, prev.File)})
			continue
		}
		first[c.Slug] = c
	}
	return ps
}

func build(cs []*compare.Comparison) *Catalog {
	cat := &Catalog{bySlug: map[string]*compare.Comparison{}, byTag: map[string][]*compare.Comparison{}}
	for _, c := range cs {
		if c.Draft {
			continue
		}
		cat.all = append(cat.all, c)
	}
	slices.SortFunc(cat.all, func(a, b *compare.Comparison) int {
		return cmp.Or(strings.Compare(strings.ToLower(a.Title), strings.ToLower(b.Title)), strings.Compare(a.Slug, b.Slug))
	})
	cat.pos = make(map[*compare.Comparison]int32, len(cat.all))
	cat.tagPos, cat.subjectPos = map[string][]int32{}, map[string][]int32{}
	for i, c := range cat.all {
		cat.bySlug[c.Slug] = c
		cat.pos[c] = int32(i)
		for _, t := range c.Tags {
			cat.byTag[t] = append(cat.byTag[t], c)
			cat.tagPos[t] = append(cat.tagPos[t], int32(i))
		}
		for _, sub := range c.Subjects {
			cat.subjectPos[sub.Key] = append(cat.subjectPos[sub.Key], int32(i))
		}
	}
	for name, list := range cat.byTag {
		cat.tags = append(cat.tags, Tag{Name: name, Count: len(list)})
	}
	slices.SortFunc(cat.tags, func(a, b Tag) int { return strings.Compare(a.Name, b.Name) })
	return cat
}

// All returns the published comparisons sorted by title. The slice is shared:
// do not modify it.
func (c *Catalog) All() []*compare.Comparison { return c.all }

// Len is the number of published comparisons.
func (c *Catalog) Len() int { return len(c.all) }

// Tags returns every tag in use, sorted by name.
func (c *Catalog) Tags() []Tag { return c.tags }

// Tagged returns the comparisons carrying tag, sorted by title.
func (c *Catalog) Tagged(tag string) []*compare.Comparison { return c.byTag[tag] }

// Related returns up to max other comparisons that share a tag or a subject
// with slug, those sharing the most first (a shared subject counts two, a
// shared tag one), ties in title order.
//
// Every comparison page asks for it at start-up, so it only visits the
// comparisons that share something, through the tag and subject indexes,
// and keeps the best max as it goes instead of sorting them all: scanning
// and sorting the whole catalog for each page made start-up grow with the
// square of the article count.
func (c *Catalog) Related(slug string, max int) []*compare.Comparison {
	self, ok := c.bySlug[slug]
	if !ok {
		return nil
	}
	sc, _ := c.scratchPool.Get().(*relatedScratch)
	if sc == nil {
		sc = &relatedScratch{score: make([]int32, len(c.all))}
	}
	add := func(list []int32, points int32) {
		for _, p := range list {
			if sc.score[p] == 0 {
				sc.touched = append(sc.touched, p)
			}
			sc.score[p] += points
		}
	}
	for _, t := range self.Tags {
		add(c.tagPos[t], 1)
	}
	for _, sub := range self.Subjects {
		add(c.subjectPos[sub.Key], 2)
	}
	type scored struct{ pos, n int32 }
	// better orders by score, then by title (position in all).
	better := func(a, b scored) bool { return a.n > b.n || a.n == b.n && a.pos < b.pos }
	selfPos := c.pos[self]
	best := make([]scored, 0, max) // sorted, best first
	for _, p := range sc.touched {
		cand := scored{p, sc.score[p]}
		sc.score[p] = 0
		if p == selfPos || max == 0 || len(best) == max && !better(cand, best[max-1]) {
			continue
		}
		at := len(best)
		for at > 0 && better(cand, best[at-1]) {
			at--
		}
		if len(best) < max {
			best = append(best, scored{})
		}
		copy(best[at+1:], best[at:len(best)-1])
		best[at] = cand
	}
	sc.touched = sc.touched[:0]
	c.scratchPool.Put(sc)
	res := make([]*compare.Comparison, len(best))
	for i, b := range best {
		res[i] = c.all[b.pos]
	}
	return res
}
