package content_test

import (
	"testing"

	"github.com/versus-dev/versus/content"
	"github.com/versus-dev/versus/internal/catalog"
	"github.com/versus-dev/versus/internal/compare"
)

// TestContentLoads proves the embedded content passes every check of
// `versus check`: each file on its own, and what crosses files (every
// criterion valued on its scale, every option fitted, every cited source
// declared and every declared source cited).
func TestContentLoads(t *testing.T) {
	if _, err := catalog.Load(content.FS); err != nil {
		t.Fatalf("the embedded content has problems:\n%v", err)
	}
}

// TestFitsFollowCriteria checks the consistency rule of the questionnaire:
// an option that leans on a criterion favours the top of its scale, so a
// subject ranked better on that criterion never fits the option worse than
// a subject ranked below it. (No bearing counts as 0.)
func TestFitsFollowCriteria(t *testing.T) {
	cat, err := catalog.Load(content.FS)
	if err != nil {
		t.Fatal(err)
	}
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
						ra, rb := cr.Rank(a.Values[cr.Key].Rank), cr.Rank(b.Values[cr.Key].Rank)
						fa, fb := points(a.Fits[q.Key][o.Key]), points(b.Fits[q.Key][o.Key])
						checked++
						if ra < rb && fa < fb {
							t.Errorf("%s=%s leans on %s: %s (%s) ranks above %s (%s) but fits %d < %d; raise %s's fit in %s or lower %s's in %s",
								q.Key, o.Key, cr.Key, a.Subject.Name, a.Values[cr.Key].Rank, b.Subject.Name, b.Values[cr.Key].Rank, fa, fb,
								a.Subject.Name, a.File, b.Subject.Name, b.File)
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

func points(f compare.Fit) int {
	if f.None {
		return 0
	}
	return f.Points
}
