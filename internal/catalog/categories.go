package catalog

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"slices"
	"strings"

	"github.com/maypok86/otter/v2"

	"github.com/versus-dev/versus/internal/compare"
	"github.com/versus-dev/versus/internal/markdown"
)

// A category is a folder at the top of the content FS that holds a
// category.md; its other *.md files are subjects (SUBJECT.md) and
// hand-written articles (A-vs-B.md). See content/README.md.

// categoryDirs lists the top-level folders that hold a category.md.
func categoryDirs(fsys fs.FS) ([]string, error) {
	entries, err := fs.ReadDir(fsys, ".")
	if err != nil {
		return nil, fmt.Errorf("list categories: %w", err)
	}
	var dirs []string
	for _, e := range entries {
		if !e.IsDir() || strings.HasPrefix(e.Name(), ".") {
			continue
		}
		if _, err := fs.Stat(fsys, path.Join(e.Name(), markdown.CategoryFile)); err == nil {
			dirs = append(dirs, e.Name())
		}
	}
	return dirs, nil
}

// loadCategory reads and checks one category folder.
func loadCategory(ctx context.Context, fsys fs.FS, dir string, limit int64) (*compare.Group, compare.Problems) {
	names, err := fs.Glob(fsys, path.Join(dir, "*.md"))
	if err != nil {
		return nil, compare.Problems{{File: dir, Msg: fmt.Sprintf("cannot list the folder: %v", err)}}
	}
	var (
		ps       compare.Problems
		cat      *compare.Category
		subjects []*compare.SubjectFile
		articles []*compare.Article
	)
	collect := func(err error) {
		var list compare.Problems
		if errors.As(err, &list) {
			ps = append(ps, list...)
		} else if err != nil {
			ps = append(ps, compare.Problem{Msg: err.Error()})
		}
	}
	for _, name := range names {
		base := path.Base(name)
		if strings.EqualFold(base, "README.md") {
			continue
		}
		src, err := ReadFile(ctx, fsys, name, limit)
		if err != nil {
			ps = append(ps, compare.Problem{File: name, Msg: err.Error()})
			continue
		}
		switch {
		case base == markdown.CategoryFile:
			c, err := markdown.ParseCategory(name, src)
			collect(err)
			cat = c
		case strings.Contains(base, "-vs-"):
			a, err := markdown.ParseArticle(name, src)
			collect(err)
			if a != nil {
				articles = append(articles, a)
			}
		default:
			s, err := markdown.ParseSubject(name, src)
			collect(err)
			if s != nil {
				subjects = append(subjects, s)
			}
		}
	}
	if cat == nil || ps.HasErrors() {
		return nil, ps
	}
	g := compare.NewGroup(cat, subjects, articles)
	ps = append(ps, g.Validate()...)
	if ps.HasErrors() || len(g.Subjects) < compare.MinSet {
		return nil, ps // too few subjects is a warning: unfinished, not served
	}
	return g, ps // warnings only, or none
}

// loadCategories reads every category folder and checks what crosses
// categories: subject keys are unique site-wide, since /subjects/{key}
// names one.
func loadCategories(ctx context.Context, fsys fs.FS, limit int64) ([]*compare.Group, compare.Problems) {
	dirs, err := categoryDirs(fsys)
	if err != nil {
		return nil, compare.Problems{{File: ".", Msg: err.Error()}}
	}
	var (
		groups []*compare.Group
		ps     compare.Problems
	)
	for _, dir := range dirs {
		if ctx.Err() != nil {
			return nil, nil // LoadContext reports ctx's error
		}
		g, p := loadCategory(ctx, fsys, dir, limit)
		ps = append(ps, p...)
		if g != nil {
			groups = append(groups, g)
		}
	}
	owner := map[string]*compare.SubjectFile{}
	for _, g := range groups {
		for _, sf := range g.Subjects {
			if prev, dup := owner[sf.Subject.Key]; dup {
				ps = append(ps, compare.Problem{File: sf.File, Line: 1, Msg: fmt.Sprintf("subject key %q is already used by %s: subject keys are unique across the site (rename this file)", sf.Subject.Key, prev.File)})
				continue
			}
			owner[sf.Subject.Key] = sf
		}
	}
	slices.SortFunc(groups, func(a, b *compare.Group) int {
		return cmp.Or(strings.Compare(strings.ToLower(a.Category.Title), strings.ToLower(b.Category.Title)), strings.Compare(a.Category.Key, b.Category.Key))
	})
	return groups, ps
}

// Categories returns every category, sorted by title.
func (c *Catalog) Categories() []*compare.Group { return c.groups }

// Category returns the category with the given key.
func (c *Catalog) Category(key string) (*compare.Group, bool) {
	g, ok := c.groupByKey[key]
	return g, ok
}

// Subject returns a subject's file and its category.
func (c *Catalog) Subject(key string) (*compare.SubjectFile, *compare.Group, bool) {
	g, ok := c.subjectGroup[key]
	if !ok {
		return nil, nil, false
	}
	sf, _ := g.Subject(key)
	return sf, g, true
}

// ErrNotFound is Lookup's answer for a slug that names no article and is
// not a set of subjects.
var ErrNotFound = errors.New("no comparison with that name")

// SetError says why a /compare/{set} names no comparison, in words a reader
// can act on.
type SetError struct {
	Msg string
}

func (e *SetError) Error() string { return e.Msg }

// Lookup finds the comparison a /compare/{slug} names: a self-contained
// article by its slug, or any 2-4 subjects of one category joined by
// "-vs-", composed from their files (with the hand-written article for the
// set if there is one). canonical is the slug to redirect to when the keys
// were not in alphabetical order. A slug that names no comparison returns
// a *SetError saying why, or nil and false for a plain unknown slug.
func (c *Catalog) Lookup(slug string) (cmpn *compare.Comparison, canonical string, err error) {
	if x, ok := c.bySlug[slug]; ok {
		return x, slug, nil
	}
	keys := strings.Split(slug, "-vs-")
	if len(keys) < 2 {
		return nil, "", ErrNotFound
	}
	var unknown []string
	var g *compare.Group
	cats := map[string]bool{}
	seen := map[string]bool{}
	for _, k := range keys {
		if seen[k] {
			return nil, "", &SetError{Msg: fmt.Sprintf("%s is named twice: a comparison names each subject once.", quoteAll([]string{k}))}
		}
		seen[k] = true
		sg, ok := c.subjectGroup[k]
		if !ok {
			unknown = append(unknown, k)
			continue
		}
		g = sg
		cats[sg.Category.Key] = true
	}
	switch {
	case len(unknown) > 0:
		if len(unknown) == len(keys) {
			return nil, "", ErrNotFound // no subject at all: not an attempt at a set
		}
		return nil, "", &SetError{Msg: fmt.Sprintf("No subject is called %s.", quoteAll(unknown))}
	case len(cats) > 1:
		return nil, "", &SetError{Msg: "Those subjects are in different categories, and only subjects of one category can be compared."}
	case len(keys) > compare.MaxSet:
		return nil, "", &SetError{Msg: fmt.Sprintf("A comparison holds %d to %d subjects; this names %d.", compare.MinSet, compare.MaxSet, len(keys))}
	}
	canonical = compare.SetSlug(keys)
	if x, ok := c.bySlug[canonical]; ok {
		return x, canonical, nil
	}
	return c.compose(canonical, func() *compare.Comparison { return g.Compose(keys) }), canonical, nil
}

// composedMax bounds the composed comparisons kept: a category of 20
// subjects has 6,175 sets of two to four, so they cannot all be kept, and
// composing one again costs well under a millisecond. Keeping the recent
// ones gives a comparison one identity while readers use it, so what is
// prepared for it (a scorer) is prepared once.
const composedMax = 2048

// compose returns the composed comparison for key, composing it on a miss.
func (c *Catalog) compose(key string, make func() *compare.Comparison) *compare.Comparison {
	x, _ := c.composed.Get(context.Background(), key, otter.LoaderFunc[string, *compare.Comparison](func(context.Context, string) (*compare.Comparison, error) {
		return make(), nil
	}))
	return x
}

// CategoryComparison is the comparison of every subject of a category, for
// its matrix and for the questionnaire that ranks them all: it has no set
// slug (its pages live under /categories/{key}) and the category's title.
func (c *Catalog) CategoryComparison(key string) (*compare.Comparison, bool) {
	g, ok := c.groupByKey[key]
	if !ok {
		return nil, false
	}
	return c.compose("category:"+key, func() *compare.Comparison {
		keys := make([]string, len(g.Subjects))
		for i, sf := range g.Subjects {
			keys[i] = sf.Subject.Key
		}
		all := g.Compose(keys)
		all.Slug, all.Title, all.Description = "", g.Category.Title, g.Category.Description
		return all
	}), true
}

// SubjectComparison is one subject composed on its own: its values as a
// one-column table with their sources, for the subject's page.
func (c *Catalog) SubjectComparison(key string) (*compare.Comparison, bool) {
	g, ok := c.subjectGroup[key]
	if !ok {
		return nil, false
	}
	return c.compose("subject:"+key, func() *compare.Comparison { return g.Compose([]string{key}) }), true
}

// Get returns the published comparison with the given canonical slug: a
// self-contained article, a hand-written one, or one composed for any set
// of a category's subjects.
func (c *Catalog) Get(slug string) (*compare.Comparison, bool) {
	x, canonical, err := c.Lookup(slug)
	if err != nil || canonical != slug {
		return nil, false
	}
	return x, true
}

func quoteAll(keys []string) string {
	q := make([]string, len(keys))
	for i, k := range keys {
		if r := []rune(k); len(r) > 40 {
			k = string(r[:40]) + "…" // a name is repeated, never a whole hostile URL
		}
		q[i] = fmt.Sprintf("%q", k)
	}
	if len(q) == 1 {
		return q[0]
	}
	return strings.Join(q[:len(q)-1], ", ") + " or " + q[len(q)-1]
}
