package markdown

import (
	"bytes"
	"fmt"
	"path"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/text"
	"go.yaml.in/yaml/v4"

	"github.com/versus-dev/versus/internal/compare"
)

// A category folder holds three kinds of file (content/README.md): the
// category itself (category.md), one file per subject, and hand-written
// comparison articles. Each is parsed on its own; what crosses files (a
// criterion every subject must describe, a source declared in another file)
// is checked by compare.Validate once the whole folder is read.
//
// Citations in these files are not numbered at parse time: a source's
// number is its place in the whole category, known only once every file is
// read. The parser writes placeholders (CiteNumber, CiteTitle) that the
// catalog replaces, and records every key with its line in Cited.

// CategoryFile is the name of a category's own file inside its folder.
const CategoryFile = "category.md"

// Placeholders for a deferred citation's number and title. NUL cannot occur
// in rendered Markdown (goldmark replaces it with U+FFFD), so a placeholder
// can never be confused with an author's text.
func CiteNumber(key string) string { return "\x00n:" + key + "\x00" }
func CiteTitle(key string) string  { return "\x00t:" + key + "\x00" }

// run is the skeleton every kind of file shares: split the front matter,
// read it with fm, then walk the body with body, and report every problem.
func (a *article) run(src []byte, fm func(doc *yaml.Node) bool, body func()) error {
	src = bytes.TrimPrefix(src, []byte("\xef\xbb\xbf"))
	a.src = bytes.Clone(src)
	a.lines = lineStarts(a.src)
	fmSrc, fmLine, bodyStart, closed, ok := splitFrontMatter(a.src)
	switch {
	case !ok:
		a.errorf(1, "missing front matter: start the file with a line `---`, the YAML fields, then another `---` (see content/README.md)")
	case !closed:
		a.notClosed(fmSrc, fmLine)
	default:
		a.fmLine = fmLine
		var root yaml.Node
		release, err := safeYAML(fmSrc, &root)
		defer release()
		if err != nil {
			a.yamlError(explainYAML(err, fmSrc))
			break
		}
		if root.Kind == 0 || len(root.Content) == 0 {
			a.errorf(fmLine-1, "front matter is empty: add its fields (see content/README.md)")
			break
		}
		if !fm(root.Content[0]) {
			break
		}
		for i := range bodyStart {
			if a.src[i] != '\n' {
				a.src[i] = ' '
			}
		}
		body()
	}
	if len(a.probs) > 0 {
		a.probs.Sort()
		return a.probs
	}
	return nil
}

func newDeferred(name string) *article {
	return &article{
		file:             name,
		c:                &compare.Comparison{File: name},
		subjectCiteLines: map[string][]int{},
		anchors:          map[string]int{},
		deferCites:       true,
	}
}

// reviewed reads a YYYY-MM-DD date.
func (a *article) date(v *yaml.Node, field string) time.Time {
	s := a.str(v, field)
	if s == "" {
		return time.Time{}
	}
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		a.errorf(a.line(v), "%s %q is not a date: write YYYY-MM-DD", field, s)
	}
	return t
}

func (a *article) tags(v *yaml.Node) []string {
	var out []string
	for _, t := range a.strList(v, "tags") {
		if !validKey(t.val) {
			a.errorf(t.line, "tag %q is not valid: use lower-case letters, digits and '-'", t.val)
		} else if slices.Contains(out, t.val) {
			a.errorf(t.line, "tag %q is listed twice", t.val)
		} else {
			out = append(out, t.val)
		}
	}
	return out
}

// cites reads a list of source keys, recording each with its line for the
// category-wide check.
func (a *article) cites(v *yaml.Node) []string {
	var out []string
	for _, c := range a.strList(v, "cites") {
		out = append(out, c.val)
		a.cited = append(a.cited, compare.Cite{Key: c.val, Line: c.line})
	}
	return out
}

// ParseCategory reads a category's category.md.
func ParseCategory(name string, src []byte) (*compare.Category, error) {
	a := newDeferred(name)
	a.inCategory = true
	cat := &compare.Category{File: name, Key: path.Base(path.Dir(name)), Line: 1}
	err := a.run(src, func(doc *yaml.Node) bool {
		allowed := []string{"title", "description", "reviewed", "tags", "sources", "criteria", "quiz"}
		seen := a.fields(doc, "front matter", allowed, func(key string, v *yaml.Node) {
			switch key {
			case "title":
				cat.Title = a.str(v, key)
			case "description":
				cat.Description = a.str(v, key)
			case "reviewed":
				cat.Reviewed = a.date(v, key)
			case "tags":
				cat.Tags = a.tags(v)
			case "sources":
				a.sources(v)
			case "criteria":
				a.criteria(v, cat)
			case "quiz":
				a.quizNode = v
			}
		})
		if seen == nil {
			return false
		}
		a.require(doc, "front matter", seen, "title", "description", "reviewed", "criteria", "quiz")
		if cat.Key == "." || !validKey(cat.Key) {
			a.errorf(1, "category folder name %q is not valid: use lower-case letters, digits and '-'", cat.Key)
		}
		if a.quizNode != nil {
			a.quiz(a.quizNode)
		}
		return true
	}, func() {
		intro, parts := a.split()
		for _, p := range parts {
			a.errorf(a.lineOf(p.h), "## %s: category.md has only its introduction (before any heading); write comparisons' prose in an article", p.title)
		}
		if len(intro) == 0 {
			a.errorf(a.lastLine(), "missing introduction: write one or more paragraphs after the front matter")
		}
		cat.Intro = a.render(intro)
	})
	if a.probs.HasErrors() {
		return nil, err
	}
	cat.Quiz = a.c.Quiz
	cat.Sources = a.c.Sources
	cat.Cited = a.cited
	for _, q := range cat.Quiz.Questions {
		for _, o := range q.Options {
			if o.Criterion != "" {
				if _, ok := cat.Criterion(o.Criterion); !ok {
					a.errorf(o.Line, "option %q leans on criterion %q, which is not in criteria: use one of %s", o.Key, o.Criterion, criterionKeys(cat))
				}
			}
		}
	}
	a.probs.Sort()
	if a.probs.HasErrors() {
		return nil, a.probs
	}
	return cat, a.probs.Err()
}

func criterionKeys(cat *compare.Category) string {
	keys := make([]string, len(cat.Criteria))
	for i, c := range cat.Criteria {
		keys[i] = c.Key
	}
	return strings.Join(keys, ", ")
}

func (a *article) criteria(v *yaml.Node, cat *compare.Category) {
	a.list(v, "criteria", func(item *yaml.Node) {
		c := compare.Criterion{Line: a.line(item)}
		seen := a.fields(item, "criterion", []string{"key", "name", "measures", "scale"}, func(key string, v *yaml.Node) {
			switch key {
			case "key":
				c.Key = a.key(v, "criterion key")
			case "name":
				c.Name = a.str(v, key)
			case "measures":
				c.Measures = a.str(v, key)
			case "scale":
				for _, s := range a.strList(v, key) {
					if !validKey(s.val) {
						a.errorf(s.line, "scale value %q is not valid: use lower-case letters, digits and '-'", s.val)
					} else if slices.Contains(c.Scale, s.val) {
						a.errorf(s.line, "scale value %q is listed twice", s.val)
					} else {
						c.Scale = append(c.Scale, s.val)
					}
				}
				if len(v.Content) == 1 {
					a.errorf(a.line(v), "a scale needs two or more values, best first; leave scale out for a criterion that is not ranked")
				}
			}
		})
		if seen == nil {
			return
		}
		a.require(item, "criterion", seen, "key", "name", "measures")
		if c.Key == "" {
			return
		}
		if prev, ok := cat.Criterion(c.Key); ok {
			a.errorf(c.Line, "criterion key %q is already used on line %d: keys must be unique", c.Key, prev.Line)
			return
		}
		cat.Criteria = append(cat.Criteria, c)
	})
}

// split walks the body into its intro and its ## parts.
func (a *article) split() ([]ast.Node, []*part) {
	doc := md.Parser().Parse(text.NewReader(a.src))
	a.checkNodes(doc)
	a.resolveCitations(doc)
	var intro []ast.Node
	var parts []*part
	for n := doc.FirstChild(); n != nil; n = n.NextSibling() {
		if h, ok := n.(*ast.Heading); ok && h.Level == 2 {
			parts = append(parts, &part{h: h, title: a.plain(h), id: a.headingID(h)})
			continue
		}
		if len(parts) == 0 {
			intro = append(intro, n)
		} else {
			parts[len(parts)-1].blocks = append(parts[len(parts)-1].blocks, n)
		}
	}
	return intro, parts
}

// ParseSubject reads one subject's file. Its key is the file name.
func ParseSubject(name string, src []byte) (*compare.SubjectFile, error) {
	a := newDeferred(name)
	sf := &compare.SubjectFile{
		File:     name,
		Category: path.Base(path.Dir(name)),
		Values:   map[string]compare.Value{},
		Fits:     map[string]map[string]compare.Fit{},
	}
	s := &sf.Subject
	s.Key = strings.TrimSuffix(path.Base(name), ".md")
	s.Line = 1
	err := a.run(src, func(doc *yaml.Node) bool {
		allowed := []string{"name", "summary", "choose_if", "website", "maintainer", "license", "first_release", "latest", "supported", "python", "reviewed", "sources", "values", "fits"}
		seen := a.fields(doc, "front matter", allowed, func(key string, v *yaml.Node) {
			switch key {
			case "name":
				s.Name = a.str(v, key)
			case "summary":
				s.Summary = a.str(v, key)
			case "choose_if":
				s.ChooseIf = a.str(v, key)
			case "website":
				s.Website = a.webURL(v, key)
			case "maintainer":
				s.Maintainer = a.str(v, key)
			case "license":
				s.License = a.str(v, key)
			case "first_release":
				s.Released = a.dated(v, key, "date", false)
				s.FirstRelease = s.Released.Date
			case "latest":
				s.Newest = a.dated(v, key, "version", true)
				s.Latest = s.Newest.Value
			case "python":
				s.Python = a.dated(v, key, "minimum", false)
			case "supported":
				a.list(v, key, func(item *yaml.Node) {
					if sup, ok := a.support(item); ok {
						s.Support = append(s.Support, sup)
					}
				})
			case "reviewed":
				sf.Reviewed = a.date(v, key)
			case "sources":
				a.sources(v)
			case "values":
				sf.ValuesLine = a.keyLine(v)
				a.values(v, sf)
			case "fits":
				sf.FitsLine = a.keyLine(v)
				a.fits(v, sf)
			}
		})
		if seen == nil {
			return false
		}
		a.require(doc, "front matter", seen, "name", "summary", "choose_if", "website", "maintainer", "license", "first_release", "latest", "reviewed", "values", "fits")
		if !validKey(s.Key) {
			a.errorf(1, "subject key %q taken from the file name is not valid: rename the file to lower-case letters, digits and '-'", s.Key)
		}
		return true
	}, func() {
		intro, parts := a.split()
		sf.Intro = a.render(intro)
		s.Intro = sf.Intro
		for _, p := range parts {
			line := a.lineOf(p.h)
			var dst *[]compare.HTML
			var at *int
			switch strings.ToLower(p.title) {
			case "pros":
				dst, at = &sf.Pros, &sf.ProsLine
			case "cons":
				dst, at = &sf.Cons, &sf.ConsLine
			case "when to choose":
				dst, at = &sf.Choose, &sf.ChooseLine
			default:
				a.errorf(line, "## %s: a subject file has only ## Pros, ## Cons and ## When to choose; write comparisons' prose in an article", p.title)
				continue
			}
			if *at != 0 {
				a.errorf(line, "## %s is already on line %d", p.title, *at)
				continue
			}
			*at = line
			for _, n := range p.blocks {
				list, ok := n.(*ast.List)
				if !ok {
					a.errorf(a.lineOf(n), "## %s holds a list only: start each item with `- `", p.title)
					continue
				}
				*dst = append(*dst, a.listItems(list)...)
			}
			if len(*dst) == 0 {
				a.errorf(line, "## %s is empty: write a list under it", p.title)
			}
		}
	})
	if a.probs.HasErrors() {
		return nil, err
	}
	sf.Sources = a.c.Sources
	sf.Cited = a.cited
	return sf, err // warnings only, or nil
}

// keyLine is the line of the `field:` a block value belongs to: YAML
// gives the line of the value's first entry.
func (a *article) keyLine(v *yaml.Node) int {
	if (v.Kind == yaml.MappingNode || v.Kind == yaml.SequenceNode) && v.Style&yaml.FlowStyle == 0 && len(v.Content) > 0 {
		return a.line(v) - 1
	}
	return a.line(v)
}

// dated reads {valueField: ..., date: ..., cites: [...]}.
func (a *article) dated(v *yaml.Node, what, valueField string, needDate bool) compare.Dated {
	d := compare.Dated{Line: a.line(v)}
	allowed := []string{valueField, "cites"}
	if valueField != "date" {
		allowed = append(allowed, "date")
	}
	seen := a.fields(v, what, allowed, func(key string, v *yaml.Node) {
		switch key {
		case valueField:
			if key == "date" {
				d.Date = a.partialDate(v, what+" date")
			} else {
				d.Value = a.str(v, key)
			}
		case "date":
			d.Date = a.partialDate(v, what+" date")
		case "cites":
			d.Cites = a.cites(v)
		}
	})
	if seen == nil {
		return d
	}
	req := []string{valueField, "cites"}
	if needDate && valueField != "date" {
		req = append(req, "date")
	}
	a.require(v, what, seen, req...)
	return d
}

// partialDate reads YYYY-MM-DD, YYYY-MM or YYYY.
func (a *article) partialDate(v *yaml.Node, field string) string {
	s := a.str(v, field)
	if s == "" {
		return ""
	}
	for _, layout := range []string{time.DateOnly, "2006-01", "2006"} {
		if _, err := time.Parse(layout, s); err == nil && len(s) == len(layout) {
			return s
		}
	}
	a.errorf(a.line(v), "%s %q is not a date: write YYYY-MM-DD, YYYY-MM or YYYY", field, s)
	return ""
}

func (a *article) support(item *yaml.Node) (compare.Support, bool) {
	sup := compare.Support{Line: a.line(item)}
	seen := a.fields(item, "supported release", []string{"version", "lts", "until", "note", "cites"}, func(key string, v *yaml.Node) {
		switch key {
		case "version":
			sup.Version = a.str(v, key)
		case "lts":
			if v.Kind != yaml.ScalarNode || v.Tag != "!!bool" {
				a.errorf(a.line(v), "lts must be true or false")
				return
			}
			sup.LTS, _ = strconv.ParseBool(v.Value)
		case "until":
			sup.Until = a.partialDate(v, key)
		case "note":
			sup.Note = a.str(v, key)
		case "cites":
			sup.Cites = a.cites(v)
		}
	})
	if seen == nil {
		return sup, false
	}
	a.require(item, "supported release", seen, "version", "cites")
	return sup, sup.Version != ""
}

func (a *article) values(v *yaml.Node, sf *compare.SubjectFile) {
	if v.Kind != yaml.MappingNode {
		a.errorf(a.line(v), "values must map each criterion key to {text, rank, cites}")
		return
	}
	for i := 0; i+1 < len(v.Content); i += 2 {
		k, item := v.Content[i], v.Content[i+1]
		if !validKey(k.Value) {
			a.errorf(a.line(k), "criterion key %q is not valid: use lower-case letters, digits and '-'", k.Value)
			continue
		}
		if prev, dup := sf.Values[k.Value]; dup {
			a.errorf(a.line(k), "criterion %q already has a value on line %d", k.Value, prev.Line)
			continue
		}
		val := compare.Value{Line: a.line(k)}
		seen := a.fields(item, "value of "+k.Value, []string{"text", "rank", "cites"}, func(key string, v *yaml.Node) {
			switch key {
			case "text":
				if s := a.str(v, key); s != "" {
					val.Text = a.inline(s, a.line(v))
				}
			case "rank":
				val.Rank = a.str(v, key)
			case "cites":
				val.Cites = a.cites(v)
			}
		})
		if seen == nil {
			continue
		}
		a.require(item, "value of "+k.Value, seen, "text", "cites")
		sf.Values[k.Value] = val
	}
}

func (a *article) fits(v *yaml.Node, sf *compare.SubjectFile) {
	if v.Kind != yaml.MappingNode {
		a.errorf(a.line(v), "fits must map each question key to its options' fits")
		return
	}
	for i := 0; i+1 < len(v.Content); i += 2 {
		qk, opts := v.Content[i], v.Content[i+1]
		if _, dup := sf.Fits[qk.Value]; dup {
			a.errorf(a.line(qk), "question %q is given twice in fits", qk.Value)
			continue
		}
		if opts.Kind != yaml.MappingNode {
			a.errorf(a.line(opts), "fits for question %q must map each option key to {fit, why, cites}", qk.Value)
			continue
		}
		m := map[string]compare.Fit{}
		sf.Fits[qk.Value] = m
		for j := 0; j+1 < len(opts.Content); j += 2 {
			ok, item := opts.Content[j], opts.Content[j+1]
			if _, dup := m[ok.Value]; dup {
				a.errorf(a.line(ok), "option %q of question %q is given twice in fits", ok.Value, qk.Value)
				continue
			}
			f := compare.Fit{Line: a.line(ok)}
			seen := a.fields(item, "fit for "+qk.Value+"."+ok.Value, []string{"fit", "why", "cites"}, func(key string, v *yaml.Node) {
				switch key {
				case "fit":
					if v.Kind == yaml.ScalarNode && v.Value == "none" {
						f.None = true
						return
					}
					n, err := strconv.Atoi(v.Value)
					if v.Kind != yaml.ScalarNode || v.Tag != "!!int" || err != nil || n < 0 || n > 3 {
						a.errorf(a.line(v), "fit %q is not allowed: use a whole number from 0 to 3, or none for no bearing", v.Value)
						return
					}
					f.Points = n
				case "why":
					f.Why = a.str(v, key)
				case "cites":
					f.Cites = a.cites(v)
				}
			})
			if seen == nil {
				continue
			}
			a.require(item, "fit for "+qk.Value+"."+ok.Value, seen, "fit")
			if seen["fit"] && !f.None {
				a.require(item, "fit for "+qk.Value+"."+ok.Value, seen, "why", "cites")
			}
			m[ok.Value] = f
		}
	}
}

// inline renders one line of Markdown written in a YAML value (a criterion
// value), with the same checks as the body; its problems are reported at
// the YAML line.
func (a *article) inline(s string, line int) compare.HTML {
	sub := newDeferred(a.file)
	sub.noTodo = true
	sub.src = []byte(s)
	sub.lines = lineStarts(sub.src)
	doc := md.Parser().Parse(text.NewReader(sub.src))
	sub.checkNodes(doc)
	sub.resolveCitations(doc)
	var nodes []ast.Node
	for n := doc.FirstChild(); n != nil; n = n.NextSibling() {
		if _, ok := n.(*ast.Paragraph); !ok {
			sub.errorf(sub.lineOf(n), "a value is one line of text: no lists, headings or blocks")
			continue
		}
		for c := n.FirstChild(); c != nil; c = c.NextSibling() {
			nodes = append(nodes, c)
		}
	}
	h := sub.render(nodes)
	for _, p := range sub.probs {
		p.Line = line + p.Line - 1
		a.probs = append(a.probs, p)
	}
	for _, c := range sub.cited {
		c.Line = line + c.Line - 1
		a.cited = append(a.cited, c)
	}
	return h
}

// ParseArticle reads a hand-written comparison in a category folder: its
// prose only, since its subjects' facts come from their files.
func ParseArticle(name string, src []byte) (*compare.Article, error) {
	a := newDeferred(name)
	art := &compare.Article{File: name, Slug: strings.TrimSuffix(path.Base(name), ".md")}
	err := a.run(src, func(doc *yaml.Node) bool {
		allowed := []string{"title", "description", "reviewed", "draft", "tags", "subjects", "sources"}
		seen := a.fields(doc, "front matter", allowed, func(key string, v *yaml.Node) {
			switch key {
			case "title":
				art.Title = a.str(v, key)
			case "description":
				art.Description = a.str(v, key)
			case "reviewed":
				art.Reviewed = a.date(v, key)
			case "draft":
				if v.Kind != yaml.ScalarNode || v.Tag != "!!bool" {
					a.errorf(a.line(v), "draft must be true or false")
					return
				}
				art.Draft, _ = strconv.ParseBool(v.Value)
			case "tags":
				art.Tags = a.tags(v)
			case "subjects":
				art.SubjectLine = a.line(v)
				for _, s := range a.strList(v, key) {
					if !validKey(s.val) {
						a.errorf(s.line, "subject key %q is not valid: use lower-case letters, digits and '-'", s.val)
					} else if slices.Contains(art.Subjects, s.val) {
						a.errorf(s.line, "subject %q is listed twice", s.val)
					} else {
						art.Subjects = append(art.Subjects, s.val)
					}
				}
			case "sources":
				a.sources(v)
			}
		})
		if seen == nil {
			return false
		}
		a.require(doc, "front matter", seen, "title", "description", "reviewed", "subjects")
		if n := len(art.Subjects); seen["subjects"] && (n < 2 || n > 4) {
			a.errorf(art.SubjectLine, "a comparison has two to four subjects, found %d", n)
		}
		return true
	}, func() {
		a.articleBody(art)
	})
	if a.probs.HasErrors() {
		return nil, err
	}
	art.Sources = a.c.Sources
	art.Cited = a.cited
	return art, err // warnings only, or nil
}

// articleBody reads an article's intro and sections: the recognised ones
// that hold prose, and free sections.
func (a *article) articleBody(art *compare.Article) {
	intro, parts := a.split()
	if len(intro) == 0 {
		line := 1
		if len(parts) > 0 {
			line = a.lineOf(parts[0].h)
		}
		a.errorf(line, "missing intro: write one or more paragraphs before the first ## heading")
	}
	art.Intro = a.render(intro)
	verdict := false
	for _, p := range parts {
		line := a.lineOf(p.h)
		if p.title == "" {
			a.errorf(line, "empty ## heading: give the section a title")
			continue
		}
		anchor, known := recognised[strings.ToLower(p.title)]
		switch anchor {
		case compare.AnchorGlance, compare.AnchorProsCons, compare.AnchorChoose:
			a.errorf(line, "## %s comes from the subject files in a category: remove the section and write the facts in each subject's file", p.title)
			continue
		}
		if known && p.id != "" && p.id != anchor {
			a.errorf(line, "## %s always has the anchor #%s: remove {#%s}", p.title, anchor, p.id)
		}
		if !known {
			anchor = cmpOr(p.id, slugify(p.title))
			if anchor == "" {
				a.errorf(line, "cannot make an anchor from %q: add one with {#anchor} after the title", p.title)
				continue
			}
		}
		if !a.claim(anchor, line, "section") || !a.claim(compare.HeadingID(anchor), line, "section heading") {
			continue
		}
		if len(p.blocks) == 0 {
			a.errorf(line, "section %q is empty: write its content or remove the heading", p.title)
			continue
		}
		switch anchor {
		case compare.AnchorVerdict:
			verdict = true
			art.Verdict = a.render(p.blocks)
		case compare.AnchorFAQ:
			for _, it := range a.items(p, line) {
				art.FAQ = append(art.FAQ, compare.FAQ{ID: it.id, Question: it.title, Answer: a.render(it.blocks), AnswerText: a.plainBlocks(it.blocks), Line: it.line})
			}
		case compare.AnchorCorrections:
			for _, it := range a.items(p, line) {
				art.Corrections = append(art.Corrections, compare.Correction{ID: it.id, Title: it.title, Body: a.render(it.blocks), Line: it.line})
			}
		default:
			art.Sections = append(art.Sections, compare.Section{ID: anchor, Title: p.title, Body: a.render(p.blocks), Line: line})
		}
	}
	if !verdict {
		line := a.lastLine()
		if len(parts) > 0 {
			line = a.lineOf(parts[0].h) // the verdict leads, where a hurried reader looks
		}
		a.errorf(line, "missing ## Verdict: add the section with your conclusion (it is shown first)")
	}
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

var _ = fmt.Sprintf
