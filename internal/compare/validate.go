package compare

import (
	"fmt"
	"slices"
	"strings"
)

// Validate checks what crosses a category's files, the domain's rules that
// no single file can check: every subject describes every criterion on its
// scale and fits every questionnaire option; every citation names a source
// of the category and every source is cited; every article compares 2-4 of
// the category's subjects and is named for its set. Each problem names the
// file and line to change and says what to do. The parser has already
// checked each file on its own.
func (g *Group) Validate() Problems {
	var ps Problems
	cat := g.Category
	add := func(file string, line int, format string, args ...any) {
		ps = append(ps, Problem{File: file, Line: line, Msg: fmt.Sprintf(format, args...)})
	}

	// Sources: unique across the category, each cited somewhere.
	declared := map[string]string{} // key → file:line
	declare := func(file string, ss []Source) {
		for _, s := range ss {
			if prev, dup := declared[s.Key]; dup {
				add(file, s.Line, "source key %q is already declared at %s: a source is declared once per category (cite it from any file)", s.Key, prev)
				continue
			}
			declared[s.Key] = fmt.Sprintf("%s:%d", file, s.Line)
		}
	}
	declare(cat.File, cat.Sources)
	for _, sf := range g.Subjects {
		declare(sf.File, sf.Sources)
	}
	for _, a := range g.Articles {
		declare(a.File, a.Sources)
	}
	used := map[string]bool{}
	checkCites := func(file string, cs []Cite) {
		for _, c := range cs {
			used[c.Key] = true
			if _, ok := declared[c.Key]; !ok {
				add(file, c.Line, "unknown source key %q: declare it under sources in this file or in %s", c.Key, cat.File)
			}
		}
	}
	checkCites(cat.File, cat.Cited)
	for _, sf := range g.Subjects {
		checkCites(sf.File, sf.Cited)
	}
	for _, a := range g.Articles {
		checkCites(a.File, a.Cited)
	}
	unused := func(file string, ss []Source) {
		for _, s := range ss {
			if !used[s.Key] && declared[s.Key] == fmt.Sprintf("%s:%d", file, s.Line) {
				add(file, s.Line, "source %q is declared but never cited: cite it where it backs a fact, or remove it", s.Key)
			}
		}
	}
	unused(cat.File, cat.Sources)
	for _, sf := range g.Subjects {
		unused(sf.File, sf.Sources)
	}
	for _, a := range g.Articles {
		unused(a.File, a.Sources)
	}

	if len(g.Subjects) < MinSet {
		// Unfinished rather than wrong: the catalog leaves such a category
		// out of the site until it has enough subjects.
		ps = append(ps, Problem{File: cat.File, Line: cat.Line, Severity: SeverityWarning,
			Msg:  fmt.Sprintf("the category has %d subject file(s), so it is not on the site yet: add at least %d", len(g.Subjects), MinSet),
			Hint: fmt.Sprintf("one SUBJECT.md each; versus new subject %s KEY writes one", cat.Key)})
	}

	// Subjects: every criterion, on its scale; every option, with a fit.
	for _, sf := range g.Subjects {
		name := sf.Subject.Name
		for _, cr := range cat.Criteria {
			v, ok := sf.Values[cr.Key]
			if !ok {
				add(sf.File, sf.ValuesLine, "%s has no value for criterion %q (%s): add `%s: {text: ..., %scites: [...]}` under values", name, cr.Key, cr.Name, cr.Key, rankHint(&cr))
				continue
			}
			switch {
			case cr.Ranked() && v.Rank == "":
				add(sf.File, v.Line, "the value for %q needs a rank on its scale: add `rank:` with one of %s", cr.Key, strings.Join(cr.Scale, ", "))
			case cr.Ranked() && cr.Rank(v.Rank) < 0:
				add(sf.File, v.Line, "rank %q is not on the scale of %q: use one of %s", v.Rank, cr.Key, strings.Join(cr.Scale, ", "))
			case !cr.Ranked() && v.Rank != "":
				add(sf.File, v.Line, "criterion %q is not ranked, so its value takes no rank: remove `rank: %s` (or give the criterion a scale in %s)", cr.Key, v.Rank, cat.File)
			}
		}
		for key, v := range sf.Values {
			if _, ok := cat.Criterion(key); !ok {
				add(sf.File, v.Line, "criterion %q is not in %s: use one of %s", key, cat.File, criteriaKeys(cat))
			}
		}
		for _, q := range cat.Quiz.Questions {
			fits := sf.Fits[q.Key]
			for _, o := range q.Options {
				if _, ok := fits[o.Key]; !ok {
					add(sf.File, sf.FitsLine, "%s has no fit for answer %s=%s (%q): add it under fits.%s with a fit from 0 to 3 and a why, or `fit: none` when it has no bearing", name, q.Key, o.Key, o.Label, q.Key)
				}
			}
		}
		for qk, fits := range sf.Fits {
			q, ok := cat.Quiz.Question(qk)
			if !ok {
				line := sf.FitsLine
				for _, f := range fits {
					line = f.Line
					break
				}
				add(sf.File, line, "question %q is not in the questionnaire of %s: use one of %s", qk, cat.File, questionKeys(cat))
				continue
			}
			for ok, f := range fits {
				if _, found := q.Option(ok); !found {
					add(sf.File, f.Line, "question %q has no option %q: use one of %s", qk, ok, optionKeys(q))
				}
			}
		}
		for _, part := range []struct {
			name  string
			items []HTML
		}{{"Pros", sf.Pros}, {"Cons", sf.Cons}, {"When to choose", sf.Choose}} {
			if len(part.items) == 0 {
				add(sf.File, 0, "%s has no ## %s: add the section with a list", name, part.name)
			}
		}
	}

	// Every question can change the result.
	for _, q := range cat.Quiz.Questions {
		moves := false
		for _, o := range q.Options {
			for _, sf := range g.Subjects {
				if f := sf.Fits[q.Key][o.Key]; !f.None && f.Points > 0 {
					moves = true
				}
			}
		}
		if !moves && len(g.Subjects) > 0 {
			add(cat.File, q.Line, "no answer to question %q fits any subject above 0, so it cannot change a result: give some subject a fit above 0 in its file", q.Key)
		}
	}

	// Articles: 2-4 subjects of this category, named for their set.
	for _, a := range g.Articles {
		known := true
		for _, k := range a.Subjects {
			if _, ok := g.byKey[k]; !ok {
				known = false
				add(a.File, a.SubjectLine, "subject %q is not in category %q: use the keys of its subject files (%s)", k, cat.Key, subjectKeys(g))
			}
		}
		if known && len(a.Subjects) >= MinSet {
			if want := SetSlug(a.Subjects); a.Slug != want {
				add(a.File, 0, "an article is named for its subjects in alphabetical order: rename the file to %s.md", want)
			}
		}
	}
	ps.Sort()
	return ps
}

func rankHint(cr *Criterion) string {
	if cr.Ranked() {
		return "rank: " + cr.Scale[0] + ", "
	}
	return ""
}

func criteriaKeys(cat *Category) string {
	keys := make([]string, len(cat.Criteria))
	for i, c := range cat.Criteria {
		keys[i] = c.Key
	}
	return strings.Join(keys, ", ")
}

func questionKeys(cat *Category) string {
	keys := make([]string, len(cat.Quiz.Questions))
	for i, q := range cat.Quiz.Questions {
		keys[i] = q.Key
	}
	return strings.Join(keys, ", ")
}

func optionKeys(q *Question) string {
	keys := make([]string, len(q.Options))
	for i, o := range q.Options {
		keys[i] = o.Key
	}
	return strings.Join(keys, ", ")
}

func subjectKeys(g *Group) string {
	keys := make([]string, len(g.Subjects))
	for i, s := range g.Subjects {
		keys[i] = s.Subject.Key
	}
	slices.Sort(keys)
	return strings.Join(keys, ", ")
}
