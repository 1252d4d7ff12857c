package synth

import (
	"bytes"
	"errors"
	"io/fs"
	"maps"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/versus-dev/versus/content"
	"github.com/versus-dev/versus/internal/catalog"
	"github.com/versus-dev/versus/internal/compare"
)

// realCategory is the embedded python-web-frameworks category, the shape
// the synthetic ones copy.
func realCategory(t *testing.T) *compare.Group {
	t.Helper()
	cat, err := catalog.Load(content.FS)
	if err != nil {
		t.Fatal(err)
	}
	g, ok := cat.Category("python-web-frameworks")
	if !ok {
		t.Fatal("content has no python-web-frameworks category")
	}
	return g
}

func loadCatalog(t *testing.T, fsys fs.FS) *catalog.Catalog {
	t.Helper()
	cat, err := catalog.Load(fsys)
	if err != nil {
		t.Fatalf("catalog.Load of a synthetic catalog:\n%v", err)
	}
	if w := cat.Warnings(); len(w) > 0 {
		t.Errorf("catalog.Load warns about a synthetic catalog:\n%v", w)
	}
	return cat
}

// TestCatalogLoads runs generated categories through the real catalog and
// checks the shape the package promises against the real category: 18 to
// 22 criteria, ranked and not; the real questionnaire's keys; every subject
// with a value for every criterion and a fit for every option; subject
// files about as large as the real ones; a few hand-written articles.
func TestCatalogLoads(t *testing.T) {
	real := realCategory(t)
	var realSizes []int
	for _, sf := range real.Subjects {
		b, err := fs.ReadFile(content.FS, sf.File)
		if err != nil {
			t.Fatal(err)
		}
		realSizes = append(realSizes, len(b))
	}
	realMin, realMax := slices.Min(realSizes), slices.Max(realSizes)

	fsys := CatalogFS(4, 7)
	cat := loadCatalog(t, fsys)
	if n := len(cat.Categories()); n != 4 {
		t.Fatalf("%d categories, want 4", n)
	}
	for c := range 4 {
		g, ok := cat.Category(CategoryKey(c))
		if !ok {
			t.Fatalf("no category %s", CategoryKey(c))
		}
		ranked := 0
		for _, cr := range g.Category.Criteria {
			if cr.Ranked() {
				ranked++
			}
		}
		if n := len(g.Category.Criteria); n < 18 || n > 22 || ranked == 0 || ranked == n {
			t.Errorf("%s: %d criteria, %d ranked: want 18 to 22, some ranked and some not", g.Category.Key, n, ranked)
		}
		if got, want := quizKeys(g), quizKeys(real); got != want {
			t.Errorf("%s: questionnaire keys\n%s\nwant those of %s\n%s", g.Category.Key, got, real.Category.File, want)
		}
		if n := len(g.Subjects); n != 7 {
			t.Errorf("%s: %d subjects, want 7", g.Category.Key, n)
		}
		for _, sf := range g.Subjects {
			for _, cr := range g.Category.Criteria {
				v, ok := sf.Values[cr.Key]
				if !ok || len(v.Cites) == 0 || !strings.Contains(string(v.Text), "[") {
					t.Errorf("%s: criterion %s: value %+v, want one cited in its text and in cites", sf.File, cr.Key, v)
				}
			}
			for _, q := range g.Category.Quiz.Questions {
				for _, o := range q.Options {
					if f, ok := sf.Fits[q.Key][o.Key]; !ok || (!f.None && f.Why == "") {
						t.Errorf("%s: %s=%s: fit %+v, want one with a why, or no bearing", sf.File, q.Key, o.Key, f)
					}
				}
			}
			if len(sf.Pros) == 0 || len(sf.Cons) == 0 || len(sf.Choose) == 0 {
				t.Errorf("%s: %d pros, %d cons, %d when-to-choose: want some of each", sf.File, len(sf.Pros), len(sf.Cons), len(sf.Choose))
			}
			size := len(fsys[sf.File].Data)
			if size < realMin*4/5 || size > realMax*5/4 {
				t.Errorf("%s: %d bytes, want near the real subject files (%d to %d)", sf.File, size, realMin, realMax)
			}
		}
		if n := len(g.Articles); n != 3 {
			t.Errorf("%s: %d hand-written articles, want 3 (a pair, a three-way, a four-way)", g.Category.Key, n)
		}
		for _, a := range g.Articles {
			x, canonical, err := cat.Lookup(a.Slug)
			if err != nil || canonical != a.Slug {
				t.Errorf("%s: Lookup(%q) = canonical %q, err %v; want the article", a.File, a.Slug, canonical, err)
				continue
			}
			if x.Generated || x.Verdict == "" || len(x.FAQ) == 0 || len(x.Subjects) != len(a.Subjects) {
				t.Errorf("%s: Lookup(%q) = generated %v, verdict %d bytes, %d FAQ, %d subjects; want the hand-written article with its prose",
					a.File, a.Slug, x.Generated, len(x.Verdict), len(x.FAQ), len(x.Subjects))
			}
		}
	}
}

func quizKeys(g *compare.Group) string {
	var b strings.Builder
	for _, q := range g.Category.Quiz.Questions {
		b.WriteString(q.Key + ":")
		for _, o := range q.Options {
			b.WriteString(" " + o.Key)
		}
		b.WriteString("\n")
	}
	return b.String()
}

// TestEverySetComposes looks up every set of 2 to 4 subjects of a
// category of 20, the size -scale measures, in alphabetical order (the
// comparison, composed or hand-written) and reversed (a redirect to it),
// and a pair across categories (refused, saying why).
func TestEverySetComposes(t *testing.T) {
	n := 20
	if testing.Short() {
		n = 8 // 154 sets instead of 6,175: composing one takes about a millisecond
	}
	cat := loadCatalog(t, CatalogFS(2, n))
	g, _ := cat.Category(CategoryKey(1))
	keys := make([]string, len(g.Subjects))
	for i, sf := range g.Subjects {
		keys[i] = sf.Subject.Key
	}
	slices.Sort(keys)
	sets, generated := 0, 0
	var walk func(from int, set []string)
	walk = func(from int, set []string) {
		if len(set) >= compare.MinSet {
			sets++
			slug := strings.Join(set, "-vs-")
			x, canonical, err := cat.Lookup(slug)
			if err != nil || canonical != slug || len(x.Subjects) != len(set) || len(x.Glance.Rows) != len(g.Category.Criteria) || len(x.Quiz.Questions) != 12 {
				t.Fatalf("Lookup(%q) = %v subjects, %v rows, canonical %q, err %v; want %d subjects, %d rows, 12 questions",
					slug, x != nil && len(x.Subjects) > 0, x != nil && len(x.Glance.Rows) > 0, canonical, err, len(set), len(g.Category.Criteria))
			}
			if x.Generated {
				generated++
			}
			rev := slices.Clone(set)
			slices.Reverse(rev)
			if _, canonical, err := cat.Lookup(strings.Join(rev, "-vs-")); err != nil || canonical != slug {
				t.Fatalf("Lookup of %v reversed: canonical %q, err %v; want %q", set, canonical, err, slug)
			}
		}
		if len(set) == compare.MaxSet {
			return
		}
		for i := from; i < len(keys); i++ {
			walk(i+1, append(set, keys[i]))
		}
	}
	walk(0, nil)
	if want := n*(n-1)/2 + n*(n-1)*(n-2)/6 + n*(n-1)*(n-2)*(n-3)/24; sets != want {
		t.Fatalf("walked %d sets, want %d", sets, want)
	}
	if hand := sets - generated; hand != len(g.Articles) {
		t.Errorf("%d sets served a hand-written article, want %d", hand, len(g.Articles))
	}
	other, _ := cat.Category(CategoryKey(0))
	_, _, err := cat.Lookup(compare.SetSlug([]string{keys[0], other.Subjects[0].Subject.Key}))
	var se *catalog.SetError
	if !errors.As(err, &se) || !strings.Contains(se.Msg, "different categories") {
		t.Errorf("a pair across categories: err %v, want a SetError about different categories", err)
	}
}

// TestSyntheticFitsFollowCriteria holds the generated fits to the rule the
// content tests hold real ones to: a subject ranked better on the
// criterion an option leans on never fits that option worse.
func TestSyntheticFitsFollowCriteria(t *testing.T) {
	cat := loadCatalog(t, CatalogFS(3, 8))
	checked := 0
	for _, g := range cat.Categories() {
		for _, q := range g.Category.Quiz.Questions {
			for _, o := range q.Options {
				if o.Criterion == "" {
					continue
				}
				cr, _ := g.Category.Criterion(o.Criterion)
				for _, a := range g.Subjects {
					for _, b := range g.Subjects {
						checked++
						ra, rb := cr.Rank(a.Values[cr.Key].Rank), cr.Rank(b.Values[cr.Key].Rank)
						fa, fb := a.Fits[q.Key][o.Key], b.Fits[q.Key][o.Key]
						if ra < rb && (fa.None || fb.None || fa.Points < fb.Points) {
							t.Errorf("%s=%s leans on %s: %s ranks above %s but fits %+v against %+v", q.Key, o.Key, cr.Key, a.File, b.File, fa, fb)
						}
					}
				}
			}
		}
	}
	if checked == 0 {
		t.Fatal("no option leans on a criterion: the rule checked nothing")
	}
}

func TestCategoryDeterministic(t *testing.T) {
	a, b := Category(3, 9), Category(3, 9)
	if !maps.EqualFunc(a, b, bytes.Equal) {
		t.Fatal("Category(3, 9) differs between calls")
	}
	// More subjects add files and keep the others' facts: subject j's file
	// does not depend on how many follow it.
	more := Category(3, 10)
	for name, src := range a {
		if base := path.Base(name); base != "category.md" && !strings.Contains(base, "-vs-") && !bytes.Equal(src, more[name]) {
			t.Errorf("%s differs between 9 and 10 subjects", name)
		}
	}
	if bytes.Equal(a[CategoryKey(3)+"/category.md"], Category(4, 9)[CategoryKey(4)+"/category.md"]) {
		t.Error("categories 3 and 4 have the same category.md")
	}
}

func TestWriteCatalog(t *testing.T) {
	t.Run("with articles, loadable", func(t *testing.T) {
		dir := t.TempDir()
		if err := WriteDir(dir, 3); err != nil {
			t.Fatal(err)
		}
		if err := WriteCatalog(dir, 2, 5); err != nil {
			t.Fatal(err)
		}
		// Again, with fewer subjects: the old files go.
		if err := WriteCatalog(dir, 2, 4); err != nil {
			t.Fatalf("second WriteCatalog: %v", err)
		}
		if err := WriteDir(dir, 3); err != nil {
			t.Fatalf("WriteDir into a folder with synthetic categories: %v", err)
		}
		cat := loadCatalog(t, os.DirFS(dir))
		if n := len(cat.Categories()); n != 2 {
			t.Errorf("%d categories, want 2", n)
		}
		for _, g := range cat.Categories() {
			if n := len(g.Subjects); n != 4 {
				t.Errorf("%s: %d subjects, want 4", g.Category.Key, n)
			}
		}
		// The 3 self-contained articles and 3 hand-written ones per category.
		if cat.Len() != 3+2*3 {
			t.Errorf("%d listed comparisons, want 9", cat.Len())
		}
	})
	t.Run("refuses a folder with other content", func(t *testing.T) {
		dir := t.TempDir()
		if err := os.Mkdir(filepath.Join(dir, "python-web-frameworks"), 0o755); err != nil {
			t.Fatal(err)
		}
		err := WriteCatalog(dir, 1, 2)
		if err == nil || !strings.Contains(err.Error(), "python-web-frameworks") {
			t.Fatalf("WriteCatalog into a folder with a real category: err = %v, want one naming it", err)
		}
	})
}
