package catalog

import (
	"fmt"
	"slices"
	"testing"

	"github.com/versus-dev/versus/internal/compare"
	"github.com/versus-dev/versus/internal/synth"
)

// relatedBySort is the definition Related must keep to: score every other
// comparison, stable-sort by score, take the first max.
func relatedBySort(c *Catalog, slug string, max int) []*compare.Comparison {
	self, ok := c.bySlug[slug]
	if !ok {
		return nil
	}
	type scored struct {
		c *compare.Comparison
		n int
	}
	var out []scored
	for _, o := range c.all {
		if o == self {
			continue
		}
		n := 0
		for _, t := range o.Tags {
			if slices.Contains(self.Tags, t) {
				n++
			}
		}
		for _, s := range o.Subjects {
			if _, ok := self.Subject(s.Key); ok {
				n += 2
			}
		}
		if n > 0 {
			out = append(out, scored{o, n})
		}
	}
	slices.SortStableFunc(out, func(a, b scored) int { return b.n - a.n })
	res := []*compare.Comparison{}
	for i := 0; i < len(out) && i < max; i++ {
		res = append(res, out[i].c)
	}
	return res
}

// TestRelatedMatchesSort checks the indexed top-max Related against the full sort on
// synthetic articles, whose small tag and subject pools make many ties.
func TestRelatedMatchesSort(t *testing.T) {
	cat, err := Load(synth.FS(150))
	if err != nil {
		t.Fatal(err)
	}
	var several int
	for _, max := range []int{0, 1, 2, 4, 7, 200} {
		t.Run(fmt.Sprint("max=", max), func(t *testing.T) {
			for _, c := range cat.All() {
				got, want := slugs(cat.Related(c.Slug, max)), slugs(relatedBySort(cat, c.Slug, max))
				if !slices.Equal(got, want) {
					t.Fatalf("Related(%q, %d) = %v, want %v", c.Slug, max, got, want)
				}
				if max == 200 && len(want) > 1 {
					several++
				}
			}
		})
	}
	if several == 0 {
		t.Error("no article has two related ones: the comparison tests nothing")
	}
}
