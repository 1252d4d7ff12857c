package catalog

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/versus-dev/versus/internal/compare"
)

// edit changes one file of the fixture categories: replace old with new,
// or write the file whole when old is "" (new "" deletes it).
type edit struct {
	file, old, new string
}

// copyFixture copies testdata/category into a temporary folder and applies
// the edits, failing when an old text is not in its file (so a fixture
// change cannot leave a case testing nothing).
func copyFixture(t *testing.T, edits ...edit) string {
	t.Helper()
	dir := t.TempDir()
	src := os.DirFS("testdata/category")
	err := fs.WalkDir(src, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			return os.MkdirAll(filepath.Join(dir, p), 0o755)
		}
		b, err := fs.ReadFile(src, p)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(dir, p), b, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range edits {
		path := filepath.Join(dir, e.file)
		if e.old == "" {
			if e.new == "" {
				if err := os.Remove(path); err != nil {
					t.Fatal(err)
				}
				continue
			}
			if err := os.WriteFile(path, []byte(e.new), 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(string(b), e.old) {
			t.Fatalf("%s does not contain %q: the fixture changed, update this case", e.file, e.old)
		}
		if err := os.WriteFile(path, []byte(strings.Replace(string(b), e.old, e.new, 1)), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// TestCategoryProblems is one error case per file:line message of the
// category format: each broken fixture goes through the real parser,
// compare.Validate and the catalog, and every problem must be exactly the
// one the case names.
func TestCategoryProblems(t *testing.T) {
	const d = "drinks/"
	for _, tc := range []struct {
		name  string
		edits []edit
		want  []string
	}{
		// category.md on its own.
		{"category heading", []edit{{d + "category.md", "for the catalog's tests [@guide].\n", "for the catalog's tests [@guide].\n\n## More\n\nText.\n"}},
			[]string{`drinks/category.md:44: ## More: category.md has only its introduction (before any heading); write comparisons' prose in an article`}},
		{"category without intro", []edit{{d + "category.md", "\nA fixture category of four drinks, for the catalog's tests [@guide].\n", "\n"}},
			[]string{`drinks/category.md:41: missing introduction: write one or more paragraphs after the front matter`}},
		{"option leans on an unknown criterion", []edit{{d + "category.md", "criterion: caffeine", "criterion: cafeine"}},
			[]string{`drinks/category.md:27: option "yes" leans on criterion "cafeine", which is not in criteria: use one of caffeine, origin, sweetness`}},
		{"scale of one", []edit{{d + "category.md", "scale: [sweet, plain]", "scale: [sweet]"}},
			[]string{`drinks/category.md:22: a scale needs two or more values, best first; leave scale out for a criterion that is not ranked`}},
		{"criterion twice", []edit{{d + "category.md", "  - key: origin\n", "  - key: caffeine\n"}},
			[]string{`drinks/category.md:16: criterion key "caffeine" is already used on line 12: keys must be unique`}},
		{"scale value twice", []edit{{d + "category.md", "scale: [high, medium, low]", "scale: [high, medium, high]"}},
			[]string{`drinks/category.md:15: scale value "high" is listed twice`}},

		// A subject file on its own.
		{"subject section", []edit{{d + "tea.md", "## Cons", "## History\n\n- Old\n\n## Cons"}},
			[]string{`drinks/tea.md:33: ## History: a subject file has only ## Pros, ## Cons and ## When to choose; write comparisons' prose in an article`}},
		{"subject section twice", []edit{{d + "tea.md", "## Cons", "## Pros\n\n- Again\n\n## Cons"}},
			[]string{`drinks/tea.md:33: ## Pros is already on line 29`}},
		{"subject section not a list", []edit{{d + "tea.md", "- Warm", "Warm, in a paragraph."}},
			[]string{`drinks/tea.md:29: ## Pros is empty: write a list under it`, `drinks/tea.md:31: ## Pros holds a list only: start each item with ` + "`- `"}},
		{"fit out of range", []edit{{d + "tea.md", "{fit: 2, why: \"Tea has", "{fit: 4, why: \"Tea has"}},
			[]string{`drinks/tea.md:20: fit "4" is not allowed: use a whole number from 0 to 3, or none for no bearing`}},
		{"fit without why", []edit{{d + "tea.md", `{fit: 2, why: "Tea has medium caffeine.", cites: [guide]}`, `{fit: 2, cites: [guide]}`}},
			[]string{`drinks/tea.md:20: fit for wake.yes is missing required field "why"`}},
		{"latest without cites", []edit{{d + "tea.md", `latest: {version: "1.0", date: "2026-01-01", cites: [tea-notes]}`, `latest: {version: "1.0", date: "2026-01-01"}`}},
			[]string{`drinks/tea.md:9: latest is missing required field "cites"`}},
		{"latest bad date", []edit{{d + "tea.md", `date: "2026-01-01", cites: [tea-notes]`, `date: "2026-13", cites: [tea-notes]`}},
			[]string{`drinks/tea.md:9: latest date "2026-13" is not a date: write YYYY-MM-DD, YYYY-MM or YYYY`}},
		{"value with a block", []edit{{d + "tea.md", `origin: {text: "China", cites: [guide]}`, "origin:\n    text: |\n      - China\n    cites: [guide]"}},
			[]string{`drinks/tea.md:17: a value is one line of text: no lists, headings or blocks`}},

		// An article on its own.
		{"article with a table section", []edit{{d + "coffee-vs-tea.md", "## Brewing", "## At a glance\n\n| a | b |\n| - | - |\n| 1 | 2 |\n\n## Brewing"}},
			[]string{`drinks/coffee-vs-tea.md:17: ## At a glance comes from the subject files in a category: remove the section and write the facts in each subject's file`}},
		{"article without verdict", []edit{{d + "coffee-vs-tea.md", "## Verdict\n\nCoffee wakes you more; tea is gentler [@guide].\n\n", ""}},
			[]string{`drinks/coffee-vs-tea.md:13: missing ## Verdict: add the section with your conclusion (it is shown first)`}},
		{"article of one subject", []edit{{d + "coffee-vs-tea.md", "subjects: [tea, coffee]", "subjects: [tea]"}},
			[]string{`drinks/coffee-vs-tea.md:5: a comparison has two to four subjects, found 1`}},
		{"article subject twice", []edit{{d + "coffee-vs-tea.md", "subjects: [tea, coffee]", "subjects: [tea, coffee, tea]"}},
			[]string{`drinks/coffee-vs-tea.md:5: subject "tea" is listed twice`}},

		// Across files: compare.Validate.
		{"unknown source", []edit{{d + "tea.md", "sweetness: {text: \"plain\", rank: plain, cites: [tea-notes]}", "sweetness: {text: \"plain\", rank: plain, cites: [tea-note]}"}},
			[]string{`drinks/tea.md:17: unknown source key "tea-note": declare it under sources in this file or in drinks/category.md`}},
		{"source declared twice", []edit{{d + "tea.md", "  - key: tea-notes\n    title: Tea notes\n", "  - key: tea-notes\n    title: Tea notes\n  - key: guide\n    title: Another guide\n"}},
			[]string{`drinks/tea.md:14: source key "guide" is already declared at drinks/category.md:7: a source is declared once per category (cite it from any file)`}},
		{"source never cited", []edit{{d + "tea.md", "  - key: tea-notes\n    title: Tea notes\n", "  - key: tea-notes\n    title: Tea notes\n  - key: tea-unused\n    title: Unused\n"}},
			[]string{`drinks/tea.md:14: source "tea-unused" is declared but never cited: cite it where it backs a fact, or remove it`}},
		{"criterion without a value", []edit{{d + "tea.md", "  origin: {text: \"China\", cites: [guide]}\n", ""}},
			[]string{`drinks/tea.md:14: Tea has no value for criterion "origin" (Origin): add ` + "`origin: {text: ..., cites: [...]}`" + ` under values`}},
		{"value without rank", []edit{{d + "tea.md", `caffeine: {text: "medium [@tea-notes]", rank: medium, cites: [guide]}`, `caffeine: {text: "medium [@tea-notes]", cites: [guide]}`}},
			[]string{`drinks/tea.md:15: the value for "caffeine" needs a rank on its scale: add ` + "`rank:`" + ` with one of high, medium, low`}},
		{"rank off the scale", []edit{{d + "tea.md", "rank: medium", "rank: mild"}},
			[]string{`drinks/tea.md:15: rank "mild" is not on the scale of "caffeine": use one of high, medium, low`}},
		{"rank on an unranked criterion", []edit{{d + "tea.md", `origin: {text: "China", cites: [guide]}`, `origin: {text: "China", rank: asia, cites: [guide]}`}},
			[]string{`drinks/tea.md:16: criterion "origin" is not ranked, so its value takes no rank: remove ` + "`rank: asia`" + ` (or give the criterion a scale in drinks/category.md)`}},
		{"value for an unknown criterion", []edit{{d + "tea.md", "  origin: {text: \"China\", cites: [guide]}\n", "  origin: {text: \"China\", cites: [guide]}\n  colour: {text: \"brown\", cites: [guide]}\n"}},
			[]string{`drinks/tea.md:17: criterion "colour" is not in drinks/category.md: use one of caffeine, origin, sweetness`}},
		{"answer without a fit", []edit{{d + "tea.md", "    \"no\": {fit: none}\n", ""}},
			[]string{`drinks/tea.md:18: Tea has no fit for answer wake=no ("No"): add it under fits.wake with a fit from 0 to 3 and a why, or ` + "`fit: none`" + ` when it has no bearing`}},
		{"fit for an unknown question", []edit{{d + "tea.md", "  taste:\n", "  milk:\n    \"yes\": {fit: 1, why: \"Tea takes milk.\", cites: [guide]}\n  taste:\n"}},
			[]string{`drinks/tea.md:23: question "milk" is not in the questionnaire of drinks/category.md: use one of wake, taste`}},
		{"fit for an unknown option", []edit{{d + "tea.md", "    \"no\": {fit: none}\n", "    \"no\": {fit: none}\n    maybe: {fit: 1, why: \"Tea suits a maybe.\", cites: [guide]}\n"}},
			[]string{`drinks/tea.md:22: question "wake" has no option "maybe": use one of yes, no`}},
		{"subject without pros", []edit{{d + "tea.md", "## Pros\n\n- Warm\n\n", ""}},
			[]string{`drinks/tea.md: Tea has no ## Pros: add the section with a list`}},
		{"question that cannot change a result", []edit{
			{d + "coffee.md", "sweet: {fit: 0,", "sweet: {fit: none,"}, {d + "coffee.md", "plain: {fit: 2,", "plain: {fit: 0,"},
			{d + "tea.md", "sweet: {fit: 0,", "sweet: {fit: none,"}, {d + "tea.md", "plain: {fit: 2,", "plain: {fit: 0,"},
			{d + "mate.md", "sweet: {fit: 0,", "sweet: {fit: none,"}, {d + "mate.md", "plain: {fit: 1,", "plain: {fit: 0,"},
			{d + "cocoa.md", "sweet: {fit: 3,", "sweet: {fit: 0,"}},
			[]string{`drinks/category.md:32: no answer to question "taste" fits any subject above 0, so it cannot change a result: give some subject a fit above 0 in its file`}},
		{"article subject from another category", []edit{{d + "coffee-vs-tea.md", "subjects: [tea, coffee]", "subjects: [tea, apple]"}},
			[]string{`drinks/coffee-vs-tea.md:5: subject "apple" is not in category "drinks": use the keys of its subject files (cocoa, coffee, mate, tea)`}},
		{"article not named for its set", []edit{{d + "coffee-vs-tea.md", "subjects: [tea, coffee]", "subjects: [tea, mate]"}},
			[]string{`drinks/coffee-vs-tea.md: an article is named for its subjects in alphabetical order: rename the file to mate-vs-tea.md`}},

		// Across categories: the catalog.
		{"subject key in two categories", []edit{{"fruit/tea.md", "", strings.Replace(mustRead(t, "testdata/category/fruit/pear.md"), "Pear", "Tea", -1)}},
			[]string{`fruit/tea.md:1: subject key "tea" is already used by drinks/tea.md: subject keys are unique across the site (rename this file)`}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Load(os.DirFS(copyFixture(t, tc.edits...)))
			var ps compare.Problems
			if !errors.As(err, &ps) {
				t.Fatalf("Load = %v, want problems", err)
			}
			var got []string
			for _, p := range ps {
				got = append(got, p.Error())
			}
			if !slices.Equal(got, tc.want) {
				t.Errorf("problems:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(tc.want, "\n"))
			}
		})
	}
}

func mustRead(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
