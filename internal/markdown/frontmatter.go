package markdown

import (
	"bytes"
	"fmt"
	"path"
	"slices"
	"strconv"
	"strings"
	"time"

	"go.yaml.in/yaml/v4"

	"github.com/versus-dev/versus/internal/compare"
)

// splitFrontMatter finds the YAML between a first line `---` and the next
// `---` line. It returns the YAML, the file line its first line is on, and
// the byte offset where the body starts; ok is false when the file does not
// open with front matter or never closes it.
func splitFrontMatter(src []byte) (fm []byte, fmLine, bodyStart int, closed, ok bool) {
	first, rest, found := bytes.Cut(src, []byte("\n"))
	if !found || !isFence(first) {
		return nil, 0, 0, false, false
	}
	off := len(first) + 1
	start := off
	for len(rest) > 0 {
		line, next, _ := bytes.Cut(rest, []byte("\n"))
		if isFence(line) {
			end := off + len(line)
			if end < len(src) {
				end++ // the newline
			}
			return src[start:off], 2, end, true, true
		}
		off += len(line) + 1
		rest = next
	}
	return src[start:], 2, len(src), false, true
}

// markdownStart finds, in front matter that is never closed, the first line
// that cannot be YAML at the top level (a paragraph, a ## heading, a table
// row): that is where the closing `---` was meant to be. It returns the
// 1-based line within fm, or 0 when every line could be YAML.
func markdownStart(fm []byte) int {
	for n, line := range bytes.Split(fm, []byte("\n")) {
		line = bytes.TrimRight(line, " \t\r")
		switch {
		case len(line) == 0 || line[0] == ' ' || line[0] == '\t':
			continue // blank, or inside a field's value
		case bytes.HasPrefix(line, []byte("##")) || line[0] == '|':
			return n + 1
		case line[0] == '#' || line[0] == '-':
			continue // a YAML comment or list item
		case bytes.Contains(line, []byte(": ")) || line[len(line)-1] == ':':
			continue // a field
		}
		return n + 1
	}
	return 0
}

// notClosed reports front matter without its closing `---`, at the line
// where the `---` goes when that can be told.
func (a *article) notClosed(fm []byte, fmLine int) {
	if n := markdownStart(fm); n > 0 {
		a.errorf(fmLine+n-1, "front matter is not closed: add a line `---` above this line, after the last YAML field")
		return
	}
	a.errorf(1, "front matter is not closed: add a line `---` after the last YAML field")
}

func isFence(line []byte) bool {
	return string(bytes.TrimRight(line, " \t\r")) == "---"
}

// frontMatter decodes the YAML into a and a.c, recording every problem.
// It walks yaml.Node rather than decoding into structs so that every
// message, including for unknown fields, names the line.
//
// It returns false when the YAML itself cannot be read.
func (a *article) frontMatter(fm []byte, fmLine int) bool {
	a.fmLine = fmLine
	var root yaml.Node
	release, err := safeYAML(fm, &root)
	defer release()
	if err != nil {
		a.yamlError(explainYAML(err, fm))
		return false
	}
	if root.Kind == 0 || len(root.Content) == 0 {
		a.errorf(fmLine-1, "front matter is empty: add title, description, reviewed, subjects and sources (see content/README.md)")
		return false
	}
	doc := root.Content[0]
	seen := a.fields(doc, "front matter", []string{"title", "slug", "description", "reviewed", "draft", "tags", "subjects", "sources", "quiz"},
		func(key string, v *yaml.Node) {
			c := a.c
			switch key {
			case "title":
				c.Title = a.str(v, key)
			case "slug":
				c.Slug = a.str(v, key)
				if c.Slug != "" && !validKey(c.Slug) {
					a.nodef(v, "slug %q is not valid: use lower-case letters, digits and '-'", c.Slug)
				}
			case "description":
				c.Description = a.str(v, key)
			case "reviewed":
				s := a.str(v, key)
				if s == "" {
					return
				}
				t, err := time.Parse(time.DateOnly, s)
				if err != nil {
					a.nodef(v, "reviewed %q is not a date: write YYYY-MM-DD", s)
					return
				}
				c.Reviewed = t
			case "draft":
				if v.Kind != yaml.ScalarNode || v.Tag != "!!bool" {
					a.nodef(v, "draft must be true or false")
					return
				}
				c.Draft, _ = strconv.ParseBool(v.Value)
			case "tags":
				for _, t := range a.strList(v, key) {
					if !validKey(t.val) {
						a.errorf(t.line, "tag %q is not valid: use lower-case letters, digits and '-'", t.val)
					} else if slices.Contains(c.Tags, t.val) {
						a.errorf(t.line, "tag %q is listed twice", t.val)
					} else {
						c.Tags = append(c.Tags, t.val)
					}
				}
			case "subjects":
				a.subjects(v)
			case "sources":
				a.sources(v)
			case "quiz":
				a.quizNode = v
			}
		})
	if seen == nil {
		return false
	}
	a.require(doc, "front matter", seen, "title", "description", "reviewed", "subjects", "sources")
	if a.c.Slug == "" {
		a.c.Slug = strings.TrimSuffix(path.Base(a.file), ".md")
		if !validKey(a.c.Slug) {
			a.errorf(1, "slug %q taken from the file name is not valid: rename the file to lower-case letters, digits and '-', or set slug in the front matter", a.c.Slug)
		}
	}
	if n := a.written(doc, "subjects"); seen["subjects"] && n < 2 {
		a.errorf(a.line(doc), "a comparison needs two or more subjects, found %d", n)
	}
	if seen["sources"] && a.written(doc, "sources") == 0 {
		a.errorf(a.line(doc), "sources is empty: list every document the article cites")
	}
	// Subjects may cite sources declared after them.
	for _, s := range a.c.Subjects {
		for i, k := range s.Cites {
			a.checkSourceKey(a.subjectCiteLines[s.Key][i], k, "subject "+s.Key+" cites")
		}
	}
	if a.quizNode != nil {
		a.quiz(a.quizNode)
	}
	return true
}

// safeYAML parses YAML into a node and turns a panic inside the YAML
// library into an error: Parse must never panic, whatever the input. The
// plain shape most front matter has is read by fastYAML; anything else,
// and every error, by the library.
//
// The caller calls release once it is done with the tree.
func safeYAML(b []byte, n *yaml.Node) (release func(), err error) {
	if root, release, ok := fastYAML(b); ok {
		*n = *root
		return release, nil
	}
	release = func() {}
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("yaml: %v", r)
		}
	}()
	return release, yaml.Unmarshal(b, n)
}

// yamlError reports a YAML syntax error at its file line and column.
func (a *article) yamlError(y yamlProblem) {
	p := compare.Problem{File: a.file, Line: a.fmLine - 1, Msg: "front matter is not valid YAML: " + y.what, Hint: y.hint}
	if y.line > 0 {
		p.Line = a.fmLine + y.line - 1
	}
	if y.col > 0 {
		p.Column = y.col
		p.Msg = fmt.Sprintf("front matter is not valid YAML at column %d: %s", y.col, y.what)
	}
	a.probs = append(a.probs, p)
}

// nodef reports a problem at a YAML node: its file line and its column,
// which editors and GitHub annotations point at.
func (a *article) nodef(n *yaml.Node, format string, args ...any) {
	a.probs = append(a.probs, compare.Problem{File: a.file, Line: a.line(n), Column: n.Column, Msg: fmt.Sprintf(format, args...)})
}

// line converts a YAML node's line to a file line.
func (a *article) line(n *yaml.Node) int { return a.fmLine + n.Line - 1 }

// fields walks a mapping, reporting non-mappings, unknown and repeated
// fields, and calls each for every known field. It returns the fields seen,
// or nil when n is not a mapping.
func (a *article) fields(n *yaml.Node, what string, allowed []string, each func(key string, v *yaml.Node)) map[string]bool {
	if n.Kind != yaml.MappingNode {
		a.nodef(n, "%s must be a set of `field: value` lines (allowed fields: %s)", what, strings.Join(allowed, ", "))
		return nil
	}
	seen := map[string]bool{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if v.Kind == yaml.AliasNode || k.Kind == yaml.AliasNode {
			a.nodef(k, "YAML aliases (*name) are not supported: write the value out")
			continue
		}
		if !slices.Contains(allowed, k.Value) {
			a.nodef(k, "unknown field %q in %s: allowed fields are %s", k.Value, what, strings.Join(allowed, ", "))
			continue
		}
		if seen[k.Value] {
			a.nodef(k, "field %q is given twice in %s", k.Value, what)
			continue
		}
		seen[k.Value] = true
		each(k.Value, v)
	}
	return seen
}

// require reports each required field missing from a mapping.
func (a *article) require(n *yaml.Node, what string, seen map[string]bool, names ...string) {
	for _, name := range names {
		if !seen[name] {
			a.nodef(n, "%s is missing required field %q", what, name)
		}
	}
}

// str returns a scalar's text. Any scalar is accepted so `latest: 5.10`
// keeps its trailing zero; an empty value or a list is reported.
func (a *article) str(v *yaml.Node, field string) string {
	if v.Kind != yaml.ScalarNode {
		a.nodef(v, "%s must be a single value, not a list or mapping", field)
		return ""
	}
	s := strings.TrimSpace(v.Value)
	if v.Tag == "!!null" || s == "" {
		a.nodef(v, "%s is empty: give it a value or remove the line", field)
		return ""
	}
	if strings.Contains(s, compare.Unfinished) {
		a.todo(a.line(v), field)
	}
	return s
}

type lineStr struct {
	val  string
	line int
}

// strList reads a list of scalars, such as tags or cites.
func (a *article) strList(v *yaml.Node, field string) []lineStr {
	if v.Kind != yaml.SequenceNode {
		a.nodef(v, "%s must be a list, like [a, b]", field)
		return nil
	}
	out := make([]lineStr, 0, len(v.Content))
	for _, item := range v.Content {
		if s := a.str(item, field+" item"); s != "" {
			out = append(out, lineStr{s, a.line(item)})
		}
	}
	return out
}

// list checks that v is a list of mappings and calls each for every item.
func (a *article) list(v *yaml.Node, field string, each func(item *yaml.Node)) {
	if v.Kind != yaml.SequenceNode {
		a.nodef(v, "%s must be a list of items, each starting with `- `", field)
		return
	}
	for _, item := range v.Content {
		each(item)
	}
}

// webURL checks an address given in the front matter: http(s) only.
func (a *article) webURL(v *yaml.Node, field string) string {
	s := a.str(v, field)
	if s != "" && !strings.HasPrefix(s, "https://") && !strings.HasPrefix(s, "http://") {
		a.nodef(v, "%s %q must be an http(s) address", field, s)
		return ""
	}
	return s
}

func (a *article) subjects(v *yaml.Node) {
	allowed := []string{"key", "name", "summary", "choose_if", "website", "maintainer", "first_release", "latest", "license", "cites"}
	a.list(v, "subjects", func(item *yaml.Node) {
		var s compare.Subject
		s.Line = a.line(item)
		var citeLines []int
		seen := a.fields(item, "subject", allowed, func(key string, v *yaml.Node) {
			switch key {
			case "key":
				s.Key = a.key(v, "subject key")
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
			case "first_release":
				s.FirstRelease = a.str(v, key)
				if s.FirstRelease != "" && !validDateOrYear(s.FirstRelease) {
					a.nodef(v, "first_release %q is not a date: write YYYY-MM-DD or YYYY", s.FirstRelease)
				}
			case "latest":
				s.Latest = a.str(v, key)
			case "license":
				s.License = a.str(v, key)
			case "cites":
				for _, c := range a.strList(v, key) {
					s.Cites = append(s.Cites, c.val)
					citeLines = append(citeLines, c.line)
				}
			}
		})
		if seen == nil {
			return
		}
		a.require(item, "subject", seen, "key", "name", "summary", "choose_if")
		if s.Key == "" {
			return
		}
		if prev, ok := a.c.Subject(s.Key); ok {
			a.errorf(s.Line, "subject key %q is already used on line %d: keys must be unique", s.Key, prev.Line)
			return
		}
		a.subjectCiteLines[s.Key] = citeLines
		a.c.Subjects = append(a.c.Subjects, s)
	})
}

func (a *article) sources(v *yaml.Node) {
	allowed := []string{"key", "title", "author", "publisher", "date", "url", "note"}
	a.list(v, "sources", func(item *yaml.Node) {
		var s compare.Source
		s.Line = a.line(item)
		seen := a.fields(item, "source", allowed, func(key string, v *yaml.Node) {
			switch key {
			case "key":
				s.Key = a.key(v, "source key")
			case "title":
				s.Title = a.str(v, key)
			case "author":
				s.Author = a.str(v, key)
			case "publisher":
				s.Publisher = a.str(v, key)
			case "date":
				s.Date = a.partialDate(v, key)
			case "url":
				s.URL = a.webURL(v, key)
			case "note":
				s.Note = a.str(v, key)
			}
		})
		if seen == nil {
			return
		}
		a.require(item, "source", seen, "key", "title")
		if s.Key == "" {
			return
		}
		if prev, ok := a.c.Source(s.Key); ok {
			a.errorf(s.Line, "source key %q is already used on line %d: keys must be unique", s.Key, prev.Line)
			return
		}
		s.N = len(a.c.Sources) + 1
		a.c.Sources = append(a.c.Sources, s)
	})
}

// key reads a key: lower-case letters, digits and '-', because keys end up
// in URLs, anchors and result links.
func (a *article) key(v *yaml.Node, what string) string {
	s := a.str(v, what)
	if s != "" && !validKey(s) {
		a.nodef(v, "%s %q is not valid: use lower-case letters, digits and '-'", what, s)
		return ""
	}
	return s
}

func (a *article) checkSourceKey(line int, key, where string) bool {
	if _, ok := a.c.Source(key); ok {
		if a.used != nil {
			a.used[key] = true
		}
		return true
	}
	a.errorf(line, "unknown source key %q in %s: declare it under sources in the front matter (known: %s)", key, where, a.sourceKeys())
	return false
}

func (a *article) sourceKeys() string {
	keys := make([]string, len(a.c.Sources))
	for i, s := range a.c.Sources {
		keys[i] = s.Key
	}
	if len(keys) == 0 {
		return "none"
	}
	return strings.Join(keys, ", ")
}

func (a *article) subjectKeys() string {
	keys := make([]string, len(a.c.Subjects))
	for i, s := range a.c.Subjects {
		keys[i] = s.Key
	}
	if len(keys) == 0 {
		return "none"
	}
	return strings.Join(keys, ", ")
}

// quiz reads the questionnaire. Options' section anchors are only recorded
// here (sectionRefs): body checks them once it knows which anchors exist.
func (a *article) quiz(v *yaml.Node) {
	a.list(v, "quiz", func(item *yaml.Node) {
		var q compare.Question
		q.Line = a.line(item)
		before := len(a.probs)
		seen := a.fields(item, "question", []string{"key", "ask", "help", "options"}, func(key string, v *yaml.Node) {
			switch key {
			case "key":
				q.Key = a.key(v, "question key")
			case "ask":
				q.Ask = a.str(v, key)
			case "help":
				q.Help = a.str(v, key)
			case "options":
				a.list(v, "options", func(item *yaml.Node) {
					if o, ok := a.option(item); ok {
						if prev, dup := q.Option(o.Key); dup {
							a.errorf(o.Line, "option key %q is already used on line %d in this question: keys must be unique within a question", o.Key, prev.Line)
							return
						}
						q.Options = append(q.Options, o)
					}
				})
			}
		})
		if seen == nil {
			return
		}
		a.require(item, "question", seen, "key", "ask", "options")
		if n := a.written(item, "options"); seen["options"] && n < 2 {
			a.errorf(q.Line, "question %q has %d option(s): give it two or more", q.Key, n)
		}
		favoring := 0
		for _, o := range q.Options {
			for _, w := range o.Favors {
				if w > 0 {
					favoring++
					break
				}
			}
		}
		// Only when the options are otherwise right: a typo in favors would
		// make this message misleading.
		if len(q.Options) >= 2 && favoring == 0 && len(a.probs) == before && !a.inCategory {
			a.errorf(q.Line, "no option of question %q favours any subject, so it cannot change the result: give at least one option a weight above 0", q.Key)
		}
		if q.Key == "" {
			return
		}
		if prev, ok := a.c.Quiz.Question(q.Key); ok {
			a.errorf(q.Line, "question key %q is already used on line %d: keys must be unique", q.Key, prev.Line)
			return
		}
		a.c.Quiz.Questions = append(a.c.Quiz.Questions, q)
	})
}

func (a *article) option(item *yaml.Node) (compare.Option, bool) {
	o := compare.Option{Line: a.line(item), Favors: map[string]int{}}
	allowed := []string{"key", "label", "favors", "why", "cites", "section"}
	if a.inCategory {
		// How an answer fits each subject is in the subject's file.
		allowed = []string{"key", "label", "criterion"}
	}
	seen := a.fields(item, "option", allowed, func(key string, v *yaml.Node) {
		switch key {
		case "criterion":
			o.Criterion = a.key(v, "criterion")
		case "key":
			o.Key = a.key(v, "option key")
		case "label":
			o.Label = a.str(v, key)
		case "why":
			o.Why = a.str(v, key)
		case "section":
			o.Section = a.str(v, key)
			a.sectionRefs = append(a.sectionRefs, lineStr{o.Section, a.line(v)})
		case "cites":
			for _, c := range a.strList(v, key) {
				if a.checkSourceKey(c.line, c.val, "option cites") {
					o.Cites = append(o.Cites, c.val)
				}
			}
		case "favors":
			if v.Kind != yaml.MappingNode {
				a.nodef(v, "favors must map subject keys to weights, like {%s: 2}", firstOr(a.c.Subjects, "alpha"))
				return
			}
			for i := 0; i+1 < len(v.Content); i += 2 {
				k, w := v.Content[i], v.Content[i+1]
				if _, ok := a.c.Subject(k.Value); !ok {
					a.nodef(k, "unknown subject key %q in favors: use one of %s", k.Value, a.subjectKeys())
					continue
				}
				if _, dup := o.Favors[k.Value]; dup {
					a.nodef(k, "subject %q is given twice in favors", k.Value)
					continue
				}
				n, err := strconv.Atoi(w.Value)
				if w.Kind != yaml.ScalarNode || w.Tag != "!!int" || err != nil || n < 0 || n > 3 {
					a.nodef(w, "weight %q for %s is not allowed: use a whole number from 0 to 3", w.Value, k.Value)
					continue
				}
				o.Favors[k.Value] = n
			}
		}
	})
	if seen == nil {
		return o, false
	}
	if a.inCategory {
		a.require(item, "option", seen, "key", "label")
	} else {
		a.require(item, "option", seen, "key", "label", "why")
	}
	return o, o.Key != ""
}

// written counts the items of a list field as the author wrote them, so a
// count in a message matches the file even when some items have problems.
func (a *article) written(m *yaml.Node, field string) int {
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == field && m.Content[i+1].Kind == yaml.SequenceNode {
			return len(m.Content[i+1].Content)
		}
	}
	return 0
}

func firstOr(ss []compare.Subject, def string) string {
	if len(ss) > 0 {
		return ss[0].Key
	}
	return def
}

// validKey reports whether s is lower-case letters, digits and inner '-'.
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

func validDateOrYear(s string) bool {
	if _, err := time.Parse(time.DateOnly, s); err == nil {
		return true
	}
	_, err := time.Parse("2006", s)
	return err == nil && len(s) == 4
}
