package e2e

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net/url"
	"os"
	"path/filepath"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/versus-dev/versus/internal/catalog"
	"github.com/versus-dev/versus/internal/compare"
	"github.com/versus-dev/versus/internal/recommend"
)

// fixtureContent copies the test fixtures with three and four subjects
// into one content folder: a self-contained three-way and four-way
// article, and the four-drink category, whose any 2-4 are comparisons.
func fixtureContent(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	copies := map[string]string{
		"../server/testdata/content/alpha-vs-beta-vs-gamma.md":         "alpha-vs-beta-vs-gamma.md",
		"../server/testdata/four/alder-vs-birch-vs-cedar-vs-damson.md": "alder-vs-birch-vs-cedar-vs-damson.md",
	}
	for from, to := range copies {
		b, err := os.ReadFile(from)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, to), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.CopyFS(filepath.Join(dir, "drinks"), os.DirFS("../catalog/testdata/category/drinks")); err != nil {
		t.Fatal(err)
	}
	return dir
}

// answerSets is every way to answer c's questionnaire (each question
// answered with any option or skipped) when there are at most limit of
// them, else limit of them drawn at random with a fixed seed.
func answerSets(c *compare.Comparison, limit int) []recommend.Answers {
	qs := c.Quiz.Questions
	n := 1
	for _, q := range qs {
		if n > limit {
			break
		}
		n *= len(q.Options) + 1
	}
	var out []recommend.Answers
	if n <= limit {
		for i := range n {
			a, rest := recommend.Answers{}, i
			for _, q := range qs {
				k := rest % (len(q.Options) + 1)
				rest /= len(q.Options) + 1
				if k > 0 {
					a[q.Key] = q.Options[k-1].Key
				}
			}
			out = append(out, a)
		}
		return out
	}
	r := rand.New(rand.NewPCG(9, 9))
	for range limit {
		a := recommend.Answers{}
		for _, q := range qs {
			if k := r.IntN(len(q.Options) + 1); k > 0 {
				a[q.Key] = q.Options[k-1].Key
			}
		}
		out = append(out, a)
	}
	return out
}

// meterRun sets the radios for each answer set in turn, lets quiz.js
// react to the change, and reads the meter's words.
const meterRun = `((sets) => {
	const form = document.querySelector('form[data-quiz]');
	return sets.map((set) => {
		form.querySelectorAll('fieldset[data-question]').forEach((fs) => {
			const v = set[fs.dataset.question] || '';
			fs.querySelector('input[type=radio][value="' + v + '"]').checked = true;
		});
		form.dispatchEvent(new Event('change', { bubbles: true }));
		return {
			text: form.querySelector('[data-quiz-leaning]').textContent,
			kind: form.querySelector('[data-quiz-status]').dataset.kind,
			progress: form.querySelector('[data-quiz-progress]').textContent,
		};
	});
})(%s)`

// TestMeterSaysWhatTheServerSays drives the live meter of 2-, 3- and
// 4-subject questionnaires through many answer sets and holds its words
// to recommend.Describe's headline for the same answers: the same
// thresholds, the same close calls and ties, the same percentages.
func TestMeterSaysWhatTheServerSays(t *testing.T) {
	dir := fixtureContent(t)
	cat, err := catalog.Load(os.DirFS(dir))
	if err != nil {
		t.Fatalf("load fixtures: %v", err)
	}
	s, err := StartFS(os.DirFS(dir))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	ctx := tab(t)
	for _, slug := range []string{"alpha-vs-beta-vs-gamma", "alder-vs-birch-vs-cedar-vs-damson", "cocoa-vs-tea", "cocoa-vs-coffee-vs-mate", "cocoa-vs-coffee-vs-mate-vs-tea"} {
		t.Run(slug, func(t *testing.T) {
			summary, ok := cat.Get(slug)
			if !ok {
				t.Fatalf("no comparison %s", slug)
			}
			// A self-contained article is kept as a summary; its quiz is in the file.
			c, err := cat.Article(summary)
			if err != nil {
				t.Fatalf("read %s: %v", slug, err)
			}
			names := map[string]string{}
			for _, sub := range c.Subjects {
				names[sub.Key] = sub.Name
			}
			sets := answerSets(c, 400)
			// Prefilled, so that composed comparisons' quiz pages are
			// rendered on request.
			first := c.Quiz.Questions[0]
			open := s.URL + "/compare/" + slug + "/quiz?" + url.Values{first.Key: {first.Options[0].Key}}.Encode()
			do(t, ctx, "open "+open, chromedp.Navigate(open))
			js, err := json.Marshal(sets)
			if err != nil {
				t.Fatal(err)
			}
			type shown struct{ Text, Kind, Progress string }
			got := eval[[]shown](t, ctx, fmt.Sprintf(meterRun, js))
			if len(got) != len(sets) {
				t.Fatalf("meter read %d times for %d answer sets", len(got), len(sets))
			}
			kinds := map[recommend.Kind]int{}
			bad := 0
			for i, a := range sets {
				res := recommend.Recommend(c, a)
				want := recommend.Describe(res, names)
				kinds[want.Kind]++
				wantProgress := fmt.Sprintf("%d of %d answered", res.Answered, res.Questions)
				if got[i].Text != want.Headline || got[i].Progress != wantProgress || !kindMatches(got[i].Kind, want.Kind) {
					if bad++; bad <= 10 {
						t.Errorf("answers %v: meter %q (%s, %q), server %q (%s, %q)", a, got[i].Text, got[i].Kind, got[i].Progress, want.Headline, want.Kind, wantProgress)
					}
				}
			}
			t.Logf("%d answer sets: %v", len(sets), kinds)
		})
	}
}

// kindMatches compares the meter's data-kind with Describe's Kind.
func kindMatches(meter string, k recommend.Kind) bool { return meter == string(k) }
