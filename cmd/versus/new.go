package main

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/versus-dev/versus/internal/compare"
	"github.com/versus-dev/versus/internal/markdown"
)

// TODO is the marker every placeholder carries (compare.Unfinished), so
// `versus check` lists what is left to write as warnings.
const todo = compare.Unfinished

// newFile writes the skeleton of a content file that passes `versus check`
// with a warning for each unfinished part:
//
//	versus new category KEY
//	versus new subject CATEGORY KEY
//	versus new compare A B [C [D]]
//
// It derives what it can from the files already there (a subject's
// criteria and questions from its category.md, an article's names and
// category from its subjects' files) and never overwrites a file.
func newFile(args []string, stdout, stderr io.Writer) error {
	fl := flag.NewFlagSet("new", flag.ContinueOnError)
	fl.SetOutput(stderr)
	dir := fl.String("content", "content", "the content folder to write into")
	fl.Usage = func() {
		fmt.Fprint(stderr, "usage:\n  versus new [-content DIR] category KEY\n  versus new [-content DIR] subject CATEGORY KEY\n  versus new [-content DIR] compare A B [C [D]]\n")
		fl.PrintDefaults()
	}
	if err := fl.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return &exitError{code: 2, err: err, reported: true}
	}
	rest := fl.Args()
	if len(rest) == 0 {
		return usageErrorf("new needs a kind of file: category, subject or compare")
	}
	kind, rest := rest[0], rest[1:]
	for _, k := range rest {
		if !validKey(k) {
			return usageErrorf("new %s: %q is not a key: use lower-case letters, digits and '-'", kind, k)
		}
	}
	today := time.Now().Format(time.DateOnly)
	var (
		file string
		body []byte
		err  error
	)
	switch kind {
	case "category":
		if len(rest) != 1 {
			return usageErrorf("new category takes one key (the folder's name), got %d arguments", len(rest))
		}
		file, body = filepath.Join(*dir, rest[0], markdown.CategoryFile), categorySkeleton(today)
	case "subject":
		if len(rest) != 2 {
			return usageErrorf("new subject takes a category and a key, got %d arguments", len(rest))
		}
		file, body, err = subjectSkeleton(*dir, rest[0], rest[1], today)
	case "compare":
		if len(rest) < compare.MinSet || len(rest) > compare.MaxSet {
			return usageErrorf("new compare takes %d to %d subject keys, got %d", compare.MinSet, compare.MaxSet, len(rest))
		}
		file, body, err = compareSkeleton(*dir, rest, today)
	default:
		return usageErrorf("new %q: want category, subject or compare", kind)
	}
	if err != nil {
		return err
	}
	if err := writeNew(file, body); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "wrote %s: fill in each %s, then run versus check %s\n", file, todo, *dir)
	return nil
}

func validKey(s string) bool {
	if s == "" || s[0] == '-' || s[len(s)-1] == '-' {
		return false
	}
	for _, r := range s {
		if (r < 'a' || r > 'z') && (r < '0' || r > '9') && r != '-' {
			return false
		}
	}
	return true
}

// writeNew creates file with its folder, refusing to replace one that
// exists (O_EXCL: also when it appears between a check and the write).
func writeNew(file string, body []byte) error {
	if err := os.MkdirAll(filepath.Dir(file), 0o755); err != nil {
		return err
	}
	f, err := os.OpenFile(file, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if errors.Is(err, fs.ErrExist) {
		return fmt.Errorf("%s already exists: versus new never overwrites a file (remove it first, or edit it)", file)
	}
	if err != nil {
		return err
	}
	if _, err := f.Write(body); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

func categorySkeleton(today string) []byte {
	return fmt.Appendf(nil, `---
title: "%[1]s: the category's name"
description: "%[1]s: one line about what it compares"
reviewed: %[2]s
criteria:
  - key: criterion-one
    name: "%[1]s: the first criterion's name"
    measures: "%[1]s: what it measures, in one line"
    scale: [better, worse]
  - key: criterion-two
    name: "%[1]s: the second criterion's name"
    measures: "%[1]s: what it measures (not ranked: no scale)"
quiz:
  - key: question-one
    ask: "%[1]s: the question to ask?"
    options:
      - key: option-one
        label: "%[1]s: an answer that leans on criterion-one"
        criterion: criterion-one
      - key: option-two
        label: "%[1]s: another answer"
---

%[1]s: one or more paragraphs that say what the category compares and for whom.
`, todo, today)
}

// category reads a category's category.md, which must parse (warnings
// are fine: it may be a skeleton itself).
func readCategory(dir, category string) (*compare.Category, error) {
	file := filepath.Join(dir, category, markdown.CategoryFile)
	src, err := os.ReadFile(file)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("no category %q: %s does not exist (start one with versus new category %s)", category, file, category)
	}
	if err != nil {
		return nil, err
	}
	cat, err := markdown.ParseCategory(filepath.ToSlash(file), src)
	if cat == nil {
		return nil, fmt.Errorf("%s has problems; fix them first:\n%w", file, err)
	}
	return cat, nil
}

func subjectSkeleton(dir, category, key, today string) (string, []byte, error) {
	if key == strings.TrimSuffix(markdown.CategoryFile, ".md") || strings.Contains(key, "-vs-") {
		return "", nil, usageErrorf("new subject: %q cannot be a subject key (it would be read as a category or an article)", key)
	}
	cat, err := readCategory(dir, category)
	if err != nil {
		return "", nil, err
	}
	if other, ok := findSubject(dir, key); ok {
		return "", nil, fmt.Errorf("subject %q already exists at %s: subject keys are unique across the site", key, other)
	}
	src := key + "-source"
	var b bytes.Buffer
	fmt.Fprintf(&b, `---
name: "%s"
summary: "%[2]s: what it is, in one line"
choose_if: "%[2]s: finish the sentence 'Choose %[1]s if ...'"
website: https://%[3]s.example
maintainer: "%[2]s: who maintains it"
license: "%[2]s: its licence"
first_release: {date: "%[4]s", cites: [%[5]s]}
latest: {version: "%[2]s", date: "%[6]s", cites: [%[5]s]}
reviewed: %[6]s
sources:
  - key: %[5]s
    title: "%[2]s: a source for these facts (add its url, author, date)"
values:
`, yamlText(titleCase(key)), todo, key, today[:4], src, today)
	for _, cr := range cat.Criteria {
		rank := ""
		if cr.Ranked() {
			rank = " rank: " + cr.Scale[0] + ","
		}
		fmt.Fprintf(&b, "  %s: {text: \"%s: what %s is like on %s, with its source\",%s cites: [%s]}\n", cr.Key, todo, yamlText(titleCase(key)), cr.Key, rank, src)
	}
	b.WriteString("fits:\n")
	for _, q := range cat.Quiz.Questions {
		fmt.Fprintf(&b, "  %s:\n", q.Key)
		for _, o := range q.Options {
			fmt.Fprintf(&b, "    %s: {fit: 1, why: \"%s: one sentence on how well %s suits the answer %s.%s (fit 0 to 3)\", cites: [%s]}\n", o.Key, todo, yamlText(titleCase(key)), q.Key, o.Key, src)
		}
	}
	fmt.Fprintf(&b, `---

## Pros

- %[1]s: a strength, with its source [@%[2]s].

## Cons

- %[1]s: a weakness.

## When to choose

- %[1]s: a project it suits.
`, todo, src)
	return filepath.Join(dir, category, key+".md"), b.Bytes(), nil
}

// yamlText makes text safe inside a double-quoted YAML string.
func yamlText(s string) string {
	return strings.NewReplacer(`\`, `\\`, `"`, `'`).Replace(s)
}

func titleCase(key string) string {
	words := strings.Split(key, "-")
	for i, w := range words {
		if w != "" {
			words[i] = strings.ToUpper(w[:1]) + w[1:]
		}
	}
	return strings.Join(words, " ")
}

// findSubject looks for KEY.md in every category folder of dir.
func findSubject(dir, key string) (string, bool) {
	matches, _ := filepath.Glob(filepath.Join(dir, "*", key+".md"))
	for _, m := range matches {
		if _, err := os.Stat(filepath.Join(filepath.Dir(m), markdown.CategoryFile)); err == nil {
			return m, true
		}
	}
	return "", false
}

func compareSkeleton(dir string, keys []string, today string) (string, []byte, error) {
	var names []string
	category, first := "", ""
	for i, k := range keys {
		if slices.Contains(keys[:i], k) {
			return "", nil, usageErrorf("new compare: subject %q is named twice", k)
		}
		file, ok := findSubject(dir, k)
		if !ok {
			return "", nil, fmt.Errorf("no subject %q: no category folder of %s has %s.md (start one with versus new subject CATEGORY %s)", k, dir, k, k)
		}
		cat := filepath.Base(filepath.Dir(file))
		if category == "" {
			category, first = cat, k
		} else if cat != category {
			return "", nil, fmt.Errorf("%s is in category %q but %s is in %q: a comparison's subjects are of one category", first, category, k, cat)
		}
		src, err := os.ReadFile(file)
		if err != nil {
			return "", nil, err
		}
		sf, err := markdown.ParseSubject(filepath.ToSlash(file), src)
		if sf == nil {
			return "", nil, fmt.Errorf("%s has problems; fix them first:\n%w", file, err)
		}
		names = append(names, sf.Subject.Name)
	}
	body := fmt.Appendf(nil, `---
title: "%s"
description: "%[2]s: one line for search results and cards"
reviewed: %[3]s
subjects: [%[4]s]
---

%[2]s: one or more paragraphs that say what is compared and for whom.

## Verdict

%[2]s: your conclusion, shown first.
`, yamlText(strings.Join(names, " vs ")), todo, today, strings.Join(keys, ", "))
	return filepath.Join(dir, category, compare.SetSlug(keys)+".md"), body, nil
}
