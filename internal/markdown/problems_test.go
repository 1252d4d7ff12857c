package markdown

import (
	"slices"
	"strings"
	"testing"

	"github.com/versus-dev/versus/internal/compare"
)

// base is a small valid article; each case below breaks it in one place.
// Line numbers in the expected messages refer to this text.
const base = `---
title: Test A vs B
description: Test article.
reviewed: 2026-01-01
subjects:
  - key: a
    name: Alpha
    summary: Test subject a.
    choose_if: the test wants a.
  - key: b
    name: Beta
    summary: Test subject b.
    choose_if: the test wants b.
sources:
  - key: s1
    title: Test source one
quiz:
  - key: q1
    ask: Test question?
    options:
      - key: o1
        label: Test option one
        favors: {a: 2}
        why: Test reason one.
        section: verdict
      - key: o2
        label: Test option two
        favors: {b: 1}
        why: Test reason two.
        cites: [s1]
---
Test intro [@s1].

## At a glance

| Criterion | Alpha | Beta | Edge | Sources |
| --- | --- | --- | --- | --- |
| Test row | a cell | b cell | a | s1 |

## Test section

Test text.

## Pros and cons

### Alpha

#### Pros

- a pro

#### Cons

- a con

## When to choose

### Beta

- b choice

## Verdict

Test verdict.

## FAQ

### Test question?

Test answer.

## Corrections

### Test correction

Test correction text.
`

func TestBaseIsValid(t *testing.T) {
	c, err := Parse("t.md", []byte(base))
	if err != nil {
		t.Fatalf("the base article must be valid: %v", err)
	}
	if c.Slug != "t" || len(c.Quiz.Questions) != 1 || len(c.Glance.Rows) != 1 {
		t.Errorf("base parsed wrongly: slug %q, %d questions, %d rows", c.Slug, len(c.Quiz.Questions), len(c.Glance.Rows))
	}
}

// TestProblems breaks the base article in one way per case and expects the
// exact file:line messages, all of them, sorted by line.
func TestProblems(t *testing.T) {
	tests := []struct {
		name       string
		file       string // "t.md" when empty
		old, new   string // replace old (which must occur once) with new
		old2, new2 string // then old2 with new2, when one edit is not enough
		src        string // instead of editing base
		want       []string
	}{
		// Front matter.
		{name: "no front matter", src: "Just text.\n",
			want: []string{"t.md:1: missing front matter: start the file with a line `---`, the YAML fields (title, description, reviewed, subjects, sources), then another `---`"}},
		{name: "front matter not closed", src: "---\ntitle: x\n",
			want: []string{"t.md:1: front matter is not closed: add a line `---` after the last YAML field"}},
		{name: "front matter not closed before the body", old: "        cites: [s1]\n---\n", new: "        cites: [s1]\n",
			// The first line that cannot be YAML is where the --- goes.
			want: []string{"t.md:31: front matter is not closed: add a line `---` above this line, after the last YAML field"}},
		{name: "invalid yaml", old: "description: Test article.", new: "description: Test: article.",
			// Now with the column of the ": " and a hint that quotes this very value.
			want: []string{`t.md:3: front matter is not valid YAML at column 18: ": " inside a value: put the value in quotes, like description: "Test: article."`}},
		{name: "missing title", old: "title: Test A vs B\n", new: "",
			want: []string{`t.md:2: front matter is missing required field "title"`}},
		{name: "unknown field", old: "title: Test A vs B", new: "titel: Test A vs B",
			want: []string{
				`t.md:2: unknown field "titel" in front matter: allowed fields are title, slug, description, reviewed, draft, tags, subjects, sources, quiz`,
				`t.md:2: front matter is missing required field "title"`,
			}},
		{name: "field twice", old: "description: Test article.", new: "description: Test article.\ntitle: Again",
			want: []string{`t.md:4: field "title" is given twice in front matter`}},
		{name: "empty value", old: "description: Test article.", new: "description:",
			want: []string{`t.md:3: description is empty: give it a value or remove the line`}},
		{name: "bad reviewed date", old: "reviewed: 2026-01-01", new: "reviewed: 01/02/2026",
			want: []string{`t.md:4: reviewed "01/02/2026" is not a date: write YYYY-MM-DD`}},
		{name: "bad slug", old: "reviewed: 2026-01-01", new: "reviewed: 2026-01-01\nslug: Test_Slug",
			want: []string{`t.md:5: slug "Test_Slug" is not valid: use lower-case letters, digits and '-'`}},
		{name: "bad slug from file name", file: "Test_File.md", src: base,
			want: []string{`Test_File.md:1: slug "Test_File" taken from the file name is not valid: rename the file to lower-case letters, digits and '-', or set slug in the front matter`}},
		{name: "draft not a bool", old: "reviewed: 2026-01-01", new: "reviewed: 2026-01-01\ndraft: maybe",
			want: []string{`t.md:5: draft must be true or false`}},
		{name: "bad tag", old: "reviewed: 2026-01-01", new: "reviewed: 2026-01-01\ntags: [Python]",
			want: []string{`t.md:5: tag "Python" is not valid: use lower-case letters, digits and '-'`}},
		{name: "tags as a map", old: "reviewed: 2026-01-01", new: "reviewed: 2026-01-01\ntags: {python: 1}",
			want: []string{`t.md:5: tags must be a list, like [a, b]`}},
		{name: "tag twice", old: "reviewed: 2026-01-01", new: "reviewed: 2026-01-01\ntags: [web, web]",
			want: []string{`t.md:5: tag "web" is listed twice`}},
		{name: "one subject", old: "  - key: b\n    name: Beta\n    summary: Test subject b.\n    choose_if: the test wants b.\n", new: "",
			want: []string{
				`t.md:2: a comparison needs two or more subjects, found 1`,
				`t.md:24: unknown subject key "b" in favors: use one of a`,
				`t.md:32: column "Beta" of the At a glance table is not a subject (a), Edge or Sources`,
				`t.md:54: ### Beta in ## When to choose is not a subject: use a subject's name or key (a)`,
			}},
		{name: "subject keys unique", old: "  - key: b\n", new: "  - key: a\n",
			// The second subject is dropped, so every use of "b" is reported too.
			want: []string{
				`t.md:10: subject key "a" is already used on line 6: keys must be unique`,
				`t.md:28: unknown subject key "b" in favors: use one of a`,
				`t.md:36: column "Beta" of the At a glance table is not a subject (a), Edge or Sources`,
				`t.md:58: ### Beta in ## When to choose is not a subject: use a subject's name or key (a)`,
			}},
		{name: "subject key case", old: "  - key: b\n", new: "  - key: B\n",
			want: []string{
				`t.md:10: subject key "B" is not valid: use lower-case letters, digits and '-'`,
				`t.md:28: unknown subject key "b" in favors: use one of a`,
				`t.md:36: column "Beta" of the At a glance table is not a subject (a), Edge or Sources`,
				`t.md:58: ### Beta in ## When to choose is not a subject: use a subject's name or key (a)`,
			}},
		{name: "subject missing name", old: "    name: Beta\n", new: "",
			// Without its name, "Beta" in the body no longer matches the subject.
			want: []string{
				`t.md:10: subject is missing required field "name"`,
				`t.md:35: column "Beta" of the At a glance table is not a subject (a, b), Edge or Sources`,
				`t.md:35: subject "b" has no column in the At a glance table: add a column headed "b"`,
				`t.md:57: ### Beta in ## When to choose is not a subject: use a subject's name or key (a, b)`,
			}},
		{name: "unknown subject field", old: "    name: Beta\n", new: "    name: Beta\n    homepage: https://b.example\n",
			want: []string{`t.md:12: unknown field "homepage" in subject: allowed fields are key, name, summary, choose_if, website, maintainer, first_release, latest, license, cites`}},
		{name: "subject website not http", old: "    name: Beta\n", new: "    name: Beta\n    website: ftp://b.example\n",
			want: []string{`t.md:12: website "ftp://b.example" must be an http(s) address`}},
		{name: "subject first release", old: "    name: Beta\n", new: "    name: Beta\n    first_release: May 2010\n",
			want: []string{`t.md:12: first_release "May 2010" is not a date: write YYYY-MM-DD or YYYY`}},
		{name: "subject cites unknown source", old: "    name: Beta\n", new: "    name: Beta\n    cites: [s1, nope]\n",
			want: []string{`t.md:12: unknown source key "nope" in subject b cites: declare it under sources in the front matter (known: s1)`}},
		{name: "no sources", old: "sources:\n  - key: s1\n    title: Test source one\n", new: "sources: []\n",
			want: []string{
				`t.md:2: sources is empty: list every document the article cites`,
				`t.md:28: unknown source key "s1" in option cites: declare it under sources in the front matter (known: none)`,
				`t.md:30: unknown source key "s1" in citation [@s1]: declare it under sources in the front matter (known: none)`,
				`t.md:36: unknown source key "s1" in the Sources column: declare it under sources in the front matter (known: none)`,
			}},
		{name: "source keys unique", old: "    title: Test source one\n", new: "    title: Test source one\n  - key: s1\n    title: Again\n",
			want: []string{`t.md:17: source key "s1" is already used on line 15: keys must be unique`}},
		{name: "source date", old: "    title: Test source one\n", new: "    title: Test source one\n    date: 2024-13\n",
			want: []string{`t.md:17: date "2024-13" is not a date: write YYYY-MM-DD, YYYY-MM or YYYY`}},
		{name: "yaml alias", old: "    title: Test source one\n", new: "    title: &t Test source one\n    note: *t\n",
			want: []string{`t.md:17: YAML aliases (*name) are not supported: write the value out`}},

		// Quiz.
		{name: "favors unknown subject", old: "favors: {a: 2}", new: "favors: {c: 2}",
			want: []string{`t.md:23: unknown subject key "c" in favors: use one of a, b`}},
		{name: "weight above 3", old: "favors: {a: 2}", new: "favors: {a: 4}",
			want: []string{`t.md:23: weight "4" for a is not allowed: use a whole number from 0 to 3`}},
		{name: "weight negative", old: "favors: {a: 2}", new: "favors: {a: -1}",
			want: []string{`t.md:23: weight "-1" for a is not allowed: use a whole number from 0 to 3`}},
		{name: "weight not a number", old: "favors: {a: 2}", new: "favors: {a: lots}",
			want: []string{`t.md:23: weight "lots" for a is not allowed: use a whole number from 0 to 3`}},
		{name: "question keys unique", old: "        cites: [s1]\n", new: "        cites: [s1]\n  - key: q1\n    ask: Again?\n    options:\n      - {key: x, label: X, favors: {a: 1}, why: W.}\n      - {key: y, label: Y, favors: {b: 1}, why: W.}\n",
			want: []string{`t.md:31: question key "q1" is already used on line 18: keys must be unique`}},
		{name: "option keys unique", old: "      - key: o2\n", new: "      - key: o1\n",
			want: []string{`t.md:26: option key "o1" is already used on line 21 in this question: keys must be unique within a question`}},
		{name: "one option", old: "      - key: o2\n        label: Test option two\n        favors: {b: 1}\n        why: Test reason two.\n        cites: [s1]\n", new: "",
			want: []string{`t.md:18: question "q1" has 1 option(s): give it two or more`}},
		{name: "option without why", old: "        why: Test reason one.\n", new: "",
			want: []string{`t.md:21: option is missing required field "why"`}},
		{name: "no option favours anything", old: "favors: {a: 2}", new: "favors: {a: 0}", old2: "favors: {b: 1}", new2: "favors: {b: 0}",
			want: []string{`t.md:18: no option of question "q1" favours any subject, so it cannot change the result: give at least one option a weight above 0`}},
		{name: "option cites unknown", old: "cites: [s1]\n---", new: "cites: [s2]\n---",
			want: []string{`t.md:30: unknown source key "s2" in option cites: declare it under sources in the front matter (known: s1)`}},
		{name: "option section unknown", old: "section: verdict", new: "section: nowhere",
			want: []string{`t.md:25: section "nowhere" is not an anchor on this page: use at-a-glance, pros-and-cons, when-to-choose, verdict, faq, corrections, sources, test-section`}},
		{name: "option section absent part", old: "## FAQ\n\n### Test question?\n\nTest answer.\n\n", new: "", old2: "section: verdict", new2: "section: faq",
			want: []string{`t.md:25: section "faq" is not an anchor on this page: use at-a-glance, pros-and-cons, when-to-choose, verdict, corrections, sources, test-section`}},

		// Body.
		{name: "missing intro", old: "Test intro [@s1].\n", new: "",
			want: []string{`t.md:33: missing intro: write one or more paragraphs before the first ## heading`}},
		{name: "h1 in body", old: "Test intro [@s1].", new: "# Test title\n\nTest intro [@s1].",
			want: []string{`t.md:32: a # heading is not allowed in the body: the title comes from the front matter; use ## for sections`}},
		{name: "setext h1 in body", old: "Test text.", new: "Test text.\n===",
			want: []string{`t.md:42: a # heading is not allowed in the body: the title comes from the front matter; use ## for sections`}},
		{name: "raw html block", old: "Test text.", new: "<div>Test</div>",
			want: []string{`t.md:42: raw HTML is not allowed: write it in Markdown instead`}},
		{name: "raw html inline", old: "Test text.", new: "Test <b>bold</b> text.",
			want: []string{
				`t.md:42: raw HTML is not allowed: write it in Markdown instead`,
				`t.md:42: raw HTML is not allowed: write it in Markdown instead`,
			}},
		{name: "javascript link", old: "Test text.", new: "A [test](javascript:alert(1)) link.",
			want: []string{`t.md:42: link to "javascript:alert(1)" is not allowed: use an http(s), mailto, relative or #fragment address`}},
		{name: "javascript link with tab", old: "Test text.", new: "A [test](<java\tscript:alert(1)>) link.",
			want: []string{"t.md:42: link to \"java\\tscript:alert(1)\" is not allowed: use an http(s), mailto, relative or #fragment address"}},
		{name: "data image", old: "Test text.", new: "![test](data:image/png;base64,AAAA)",
			want: []string{`t.md:42: link to "data:image/png;base64,AAAA" is not allowed: use an http(s), mailto, relative or #fragment address`}},
		{name: "missing verdict", old: "## Verdict\n\nTest verdict.\n\n", new: "",
			want: []string{
				`t.md:25: section "verdict" is not an anchor on this page: use at-a-glance, pros-and-cons, when-to-choose, faq, corrections, sources, test-section`,
				// Where the section goes (above ## FAQ), not the file's last line.
				`t.md:62: missing ## Verdict: add the section with your conclusion above ## FAQ`,
			}},
		{name: "missing verdict at the end", old: "## Verdict\n\nTest verdict.\n\n## FAQ\n\n### Test question?\n\nTest answer.\n\n## Corrections\n\n### Test correction\n\nTest correction text.\n", new: "", old2: "section: verdict", new2: "section: faq",
			want: []string{
				`t.md:25: section "faq" is not an anchor on this page: use at-a-glance, pros-and-cons, when-to-choose, sources, test-section`,
				`t.md:61: missing ## Verdict: add the section with your conclusion at the end of the file`,
			}},
		{name: "missing at a glance", old: "## At a glance\n\n| Criterion | Alpha | Beta | Edge | Sources |\n| --- | --- | --- | --- | --- |\n| Test row | a cell | b cell | a | s1 |\n\n", new: "",
			// Right after the intro, where it goes, not the file's last line.
			want: []string{`t.md:34: missing ## At a glance: add the section with its table above ## Test section (see content/README.md)`}},
		{name: "empty section", old: "Test text.\n", new: "",
			want: []string{`t.md:40: section "Test section" is empty: write its content or remove the heading`}},
		{name: "duplicate section anchor", old: "## Pros and cons", new: "## Test Section\n\nMore.\n\n## Pros and cons",
			want: []string{`t.md:44: section anchor #test-section is already used on line 40: rename the heading or set a different {#anchor}`}},
		{name: "section clashes with recognised anchor", old: "## Test section", new: "## Test section {#verdict}",
			want: []string{`t.md:62: section anchor #verdict is already used on line 40: rename the heading or set a different {#anchor}`}},
		{name: "section takes an id of the page layout", old: "## Test section", new: "## Sources",
			want: []string{`t.md:40: section anchor #sources is used by the page itself: rename the heading or set a different {#anchor}`}},
		{name: "section takes the skip link's target", old: "## Test section", new: "## Test section {#main}",
			want: []string{`t.md:40: section anchor #main is used by the page itself: rename the heading or set a different {#anchor}`}},
		{name: "section takes another section's heading id", old: "## Pros and cons", new: "## Test section H\n\nMore.\n\n## Pros and cons",
			want: []string{`t.md:44: section anchor #test-section-h is already used on line 40: rename the heading or set a different {#anchor}`}},
		{name: "duplicate FAQ anchor", old: "Test answer.", new: "Test answer.\n\n### Test question\n\nAgain.",
			want: []string{`t.md:72: ### Test question anchor #test-question is already used on line 68: rename the heading or set a different {#anchor}`}},
		{name: "FAQ entry empty", old: "Test answer.\n", new: "",
			want: []string{`t.md:68: ### Test question? is empty: write the text under it or remove the heading`}},
		{name: "FAQ text before question", old: "## FAQ\n", new: "## FAQ\n\nStray text.\n",
			want: []string{`t.md:68: ## FAQ holds ### entries only: put this under a ### heading`}},
		{name: "heading attribute not id", old: "## Test section", new: "## Test section {onclick=x}",
			want: []string{`t.md:40: heading attribute "onclick" is not allowed: only {#anchor} is`}},
		{name: "recognised section with own anchor", old: "## Verdict", new: "## Verdict {#end}",
			want: []string{`t.md:62: ## Verdict always has the anchor #verdict: remove {#end}`}},

		// At a glance table.
		{name: "row with too few cells", old: "| Test row | a cell | b cell | a | s1 |", new: "| Test row | a cell | b cell |",
			want: []string{`t.md:38: this table row has 3 cells but the header has 5: add the missing cells (an empty cell is | |)`}},
		{name: "row missing its edge cell", old: "| Test row | a cell | b cell | a | s1 |", new: "| Test row | a cell | b cell | s1 |",
			// Only the count: "s1" under Edge is a symptom, not a second mistake.
			want: []string{`t.md:38: this table row has 4 cells but the header has 5: add the missing cells (an empty cell is | |)`}},
		{name: "row missing its edge cell, no closing pipe", old: "| Test row | a cell | b cell | a | s1 |", new: "| Test row | a cell | b cell | s1",
			want: []string{`t.md:38: this table row has 4 cells but the header has 5: add the missing cells (an empty cell is | |)`}},
		{name: "row with too many cells", old: "| Test row | a cell | b cell | a | s1 |", new: "| Test row | a cell | b cell | a | s1 | extra |",
			want: []string{`t.md:38: this table row has 6 cells but the header has 5: remove the extra cells, or add their columns to the header row`}},
		{name: "row with two extra cells, no closing pipe", old: "| Test row | a cell | b cell | a | s1 |", new: "| Test row | a cell | b cell | a | s1 | x | y",
			want: []string{`t.md:38: this table row has 7 cells but the header has 5: remove the extra cells, or add their columns to the header row`}},
		{name: "missing criterion column", old: "| Criterion | Alpha |", new: "| Feature | Alpha |",
			want: []string{`t.md:36: the first column of the At a glance table must be Criterion, not "Feature"`}},
		{name: "subject without a column", old: "| Criterion | Alpha | Beta | Edge | Sources |\n| --- | --- | --- | --- | --- |\n| Test row | a cell | b cell | a | s1 |", new: "| Criterion | Alpha | Edge | Sources |\n| --- | --- | --- | --- |\n| Test row | a cell | a | s1 |",
			want: []string{`t.md:36: subject "b" has no column in the At a glance table: add a column headed "Beta"`}},
		{name: "unknown glance column", old: "| Criterion | Alpha | Beta |", new: "| Criterion | Alpha | Gamma |",
			want: []string{
				`t.md:36: column "Gamma" of the At a glance table is not a subject (a, b), Edge or Sources`,
				`t.md:36: subject "b" has no column in the At a glance table: add a column headed "Beta"`,
			}},
		{name: "unknown edge", old: "| b cell | a | s1 |", new: "| b cell | c | s1 |",
			want: []string{`t.md:38: edge "c" is not a subject (a, b) or "even"`}},
		{name: "unknown edge among two", old: "| b cell | a | s1 |", new: "| b cell | Beta, c | s1 |",
			want: []string{`t.md:38: edge "c" is not a subject (a, b) or "even"`}},
		{name: "edge mixes even with subjects", old: "| b cell | a | s1 |", new: "| b cell | a, even | s1 |",
			want: []string{`t.md:38: edge "a, even" mixes "even" with subjects: write "even" alone, or only the subjects that have the edge`}},
		{name: "unknown sources cell key", old: "| b cell | a | s1 |", new: "| b cell | a | s1, s9 |",
			want: []string{`t.md:38: unknown source key "s9" in the Sources column: declare it under sources in the front matter (known: s1)`}},
		{name: "no table", old: "| Criterion | Alpha | Beta | Edge | Sources |\n| --- | --- | --- | --- | --- |\n| Test row | a cell | b cell | a | s1 |", new: "Not a table.",
			want: []string{
				"t.md:34: ## At a glance has no table: write a header row (Criterion, one column per subject, optional Edge and Sources), a `| --- |` row, then one row per criterion",
				`t.md:36: ## At a glance holds one table only: move this to a section of its own`,
			}},

		// Citations and subject headings.
		{name: "unknown citation", old: "Test intro [@s1].", new: "Test intro [@s1; @nope].",
			want: []string{`t.md:32: unknown source key "nope" in citation [@nope]: declare it under sources in the front matter (known: s1)`}},
		{name: "unknown citation in table cell", old: "| a cell |", new: "| a cell [@zz] |",
			want: []string{`t.md:38: unknown source key "zz" in citation [@zz]: declare it under sources in the front matter (known: s1)`}},
		{name: "citation inside link text", old: "Test text.", new: "[claim [@s1]](https://example.org/)",
			want: []string{`t.md:42: a citation cannot sit inside a link's text: put it after the link`}},
		{name: "pros and cons unknown subject", old: "### Alpha", new: "### Gamma",
			want: []string{`t.md:46: ### Gamma in ## Pros and cons is not a subject: use a subject's name or key (a, b)`}},
		{name: "when to choose unknown subject", old: "### Beta", new: "### Gamma",
			want: []string{`t.md:58: ### Gamma in ## When to choose is not a subject: use a subject's name or key (a, b)`}},
		{name: "pros missing", old: "#### Pros\n\n- a pro\n\n", new: "",
			want: []string{`t.md:46: ### Alpha in ## Pros and cons has no pros: add #### Pros and a list`}},
		{name: "pros and cons stray paragraph", old: "- a pro\n", new: "A pro as prose.\n",
			want: []string{
				`t.md:46: ### Alpha in ## Pros and cons has no pros: add #### Pros and a list`,
				`t.md:50: under ### Alpha write #### Pros and #### Cons, each followed by a list`,
			}},

		// Everything at once: all problems, sorted by line.
		{name: "many problems", old: "Test intro [@s1].", new: "# Title\n\nTest intro [@nope] <i>x</i>.",
			want: []string{
				`t.md:32: a # heading is not allowed in the body: the title comes from the front matter; use ## for sections`,
				`t.md:34: raw HTML is not allowed: write it in Markdown instead`,
				`t.md:34: raw HTML is not allowed: write it in Markdown instead`,
				`t.md:34: unknown source key "nope" in citation [@nope]: declare it under sources in the front matter (known: s1)`,
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := tt.src
			if src == "" {
				src = mustReplace(t, base, tt.old, tt.new)
				if tt.old2 != "" {
					src = mustReplace(t, src, tt.old2, tt.new2)
				}
			}
			file := tt.file
			if file == "" {
				file = "t.md"
			}
			got := problemsOf(t, file, []byte(src))
			if !slices.Equal(got, tt.want) {
				t.Errorf("problems:\n got: %s\nwant: %s", strings.Join(got, "\n      "), strings.Join(tt.want, "\n      "))
			}
		})
	}
}

func mustReplace(t *testing.T, s, old, new string) string {
	t.Helper()
	if n := strings.Count(s, old); n != 1 {
		t.Fatalf("%q occurs %d times in the base article, want exactly once", old, n)
	}
	return strings.Replace(s, old, new, 1)
}

// TestWarnings checks that a source nothing cites is a warning: the
// article still parses (ParseReport returns it with the warning, Parse
// without), and next to an error both are reported.
func TestWarnings(t *testing.T) {
	src := mustReplace(t, base, "    title: Test source one\n", "    title: Test source one\n  - key: s2\n    title: Test source two\n")
	want := `t.md:17: warning: source "s2" is never cited: cite it where it backs a claim ([@s2], or in a cites list or the Sources column), or remove it`
	c, ps := ParseReport("t.md", []byte(src))
	if c == nil || len(ps) != 1 || ps[0].Error() != want || ps[0].Severity != compare.SeverityWarning || ps.HasErrors() {
		t.Fatalf("ParseReport = %v, %q; want the comparison and %q", c != nil, ps.Error(), want)
	}
	if c, err := Parse("t.md", []byte(src)); c == nil || err != nil {
		t.Errorf("Parse = %v, %v; want the comparison and no error", c != nil, err)
	}
	broken := mustReplace(t, src, "Test text.", "<b>x</b>")
	got := problemsOf(t, "t.md", []byte(broken))
	wantBoth := []string{want, `t.md:44: raw HTML is not allowed: write it in Markdown instead`, `t.md:44: raw HTML is not allowed: write it in Markdown instead`}
	if !slices.Equal(got, wantBoth) {
		t.Errorf("problems:\n got: %s\nwant: %s", strings.Join(got, "\n      "), strings.Join(wantBoth, "\n      "))
	}
}
