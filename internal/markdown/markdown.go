// Package markdown turns one article file into a compare.Comparison: it
// splits the YAML front matter, parses the body with goldmark and walks the
// AST into typed values. Every problem it finds carries file:line.
package markdown

import (
	"bufio"
	"bytes"
	"cmp"
	"fmt"
	"sort"
	"strings"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	extast "github.com/yuin/goldmark/extension/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
	"go.yaml.in/yaml/v4"

	"github.com/versus-dev/versus/internal/compare"
)

// md is configured once: goldmark's parser and renderer are safe for
// concurrent use. Raw HTML is refused by the walk, and html.WithUnsafe is
// deliberately absent so the renderer would drop it anyway.
var md = goldmark.New(
	goldmark.WithExtensions(extension.Table, Citations),
	goldmark.WithParserOptions(parser.WithAttribute()),
)

// recognised maps a lower-case h2 title to its fixed anchor.
var recognised = map[string]string{
	"at a glance":    compare.AnchorGlance,
	"pros and cons":  compare.AnchorProsCons,
	"when to choose": compare.AnchorChoose,
	"verdict":        compare.AnchorVerdict,
	"faq":            compare.AnchorFAQ,
	"corrections":    compare.AnchorCorrections,
}

// article is the state of one parse: the comparison being built and every
// problem found so far.
type article struct {
	noHTML bool // Check: find the problems, render nothing
	file   string
	src    []byte // the whole file, front matter blanked, so offsets are file offsets
	lines  []int  // byte offset of the start of each line
	c      *compare.Comparison
	probs  compare.Problems

	fmLine           int
	quizNode         *yaml.Node
	sectionRefs      []lineStr
	subjectCiteLines map[string][]int
	anchors          map[string]int  // every id on the page → the line that makes it
	used             map[string]bool // source keys something cites

	// In a category's files citations are resolved across files later:
	// deferCites records them in cited and renders placeholders.
	deferCites bool
	cited      []compare.Cite
	inCategory bool // category.md: options carry no favors or why

	todoLines map[int]bool // lines already warned about as unfinished
	noTodo    bool         // inline: the field holding the text has warned

	out bytes.Buffer  // render's output, reused
	bw  *bufio.Writer // render's writer into out, reused
}

func (a *article) errorf(line int, format string, args ...any) {
	a.probs = append(a.probs, compare.Problem{File: a.file, Line: line, Msg: fmt.Sprintf(format, args...)})
}

// warnf reports something unfinished: a warning, which does not stop the
// article loading.
func (a *article) warnf(line int, hint, format string, args ...any) {
	a.probs = append(a.probs, compare.Problem{File: a.file, Line: line, Msg: fmt.Sprintf(format, args...), Hint: hint, Severity: compare.SeverityWarning})
}

// todo warns once per line that the text there still holds the
// compare.Unfinished marker that `versus new` writes.
func (a *article) todo(line int, what string) {
	if a.noTodo {
		return
	}
	if a.todoLines == nil {
		a.todoLines = map[int]bool{}
	}
	if a.todoLines[line] {
		return
	}
	a.todoLines[line] = true
	a.warnf(line, "replace the "+compare.Unfinished+" with the real text (see content/README.md)", "%s is unfinished: it still says %s", what, compare.Unfinished)
}

// hintf reports a problem whose fix is worth showing apart from it.
func (a *article) hintf(line int, hint, format string, args ...any) {
	a.probs = append(a.probs, compare.Problem{File: a.file, Line: line, Msg: fmt.Sprintf(format, args...), Hint: hint})
}

// Parse reads one article. name is the file's path as it should appear in
// messages. It returns every error found (as compare.Problems), not just
// the first, and warnings with them; the comparison is nil when there are
// any errors. Warnings alone are dropped: ParseReport returns them.
func Parse(name string, src []byte) (*compare.Comparison, error) {
	c, ps := ParseReport(name, src)
	if ps.HasErrors() {
		return nil, ps
	}
	return c, nil
}

// ParseReport is Parse that also returns the warnings of an article that
// has no errors (c is nil when ps has an error), for `versus check`.
func ParseReport(name string, src []byte) (c *compare.Comparison, ps compare.Problems) {
	return parseReport(name, src, false)
}

// Check is ParseReport without the HTML: it finds the same problems, and
// returns a comparison whose rendered fields (intro, sections, cells,
// lists, answers) are empty, for a caller that keeps only the identity,
// the dates, the tags and the subjects (the catalog at start-up, which
// parses an article again when a page of it is asked for). Rendering was
// a tenth of a parse.
//
// Check takes src over: it works in place (blanking the front matter for
// goldmark) instead of copying the file, so the caller must not use src
// again.
func Check(name string, src []byte) (c *compare.Comparison, ps compare.Problems) {
	return parseReport(name, src, true)
}

func parseReport(name string, src []byte, noHTML bool) (c *compare.Comparison, ps compare.Problems) {
	a := &article{
		noHTML:           noHTML,
		file:             name,
		c:                &compare.Comparison{File: name},
		subjectCiteLines: map[string][]int{},
		anchors:          map[string]int{},
		used:             map[string]bool{},
	}
	src = bytes.TrimPrefix(src, []byte("\xef\xbb\xbf"))
	if noHTML {
		a.src = src // Check owns src
	} else {
		a.src = bytes.Clone(src)
	}
	a.lines = lineStarts(a.src)

	fm, fmLine, bodyStart, closed, ok := splitFrontMatter(a.src)
	switch {
	case !ok:
		a.errorf(1, "missing front matter: start the file with a line `---`, the YAML fields (title, description, reviewed, subjects, sources), then another `---`")
	case !closed:
		a.notClosed(fm, fmLine)
	default:
		if !a.frontMatter(fm, fmLine) {
			break // every body check depends on the keys declared up there
		}
		// Blank the front matter so goldmark sees the body at its real offsets.
		for i := range bodyStart {
			if a.src[i] != '\n' {
				a.src[i] = ' '
			}
		}
		a.body()
		a.uncited()
	}
	a.probs.Sort()
	if a.probs.HasErrors() {
		return nil, a.probs
	}
	return a.c, a.probs
}

// uncited warns about each source that nothing on the page cites: it is
// listed and numbered for the reader, but backs no claim.
func (a *article) uncited() {
	for _, s := range a.c.Sources {
		if !a.used[s.Key] {
			a.warnf(s.Line, fmt.Sprintf("cite it where it backs a claim ([@%s], or in a cites list or the Sources column), or remove it", s.Key), "source %q is never cited", s.Key)
		}
	}
}

func lineStarts(src []byte) []int {
	starts := make([]int, 1, bytes.Count(src, []byte("\n"))+1)
	for off := 0; ; {
		i := bytes.IndexByte(src[off:], '\n')
		if i < 0 {
			return starts
		}
		off += i + 1
		starts = append(starts, off)
	}
}

// lineAt converts a byte offset to a 1-based line.
func (a *article) lineAt(off int) int {
	return sort.Search(len(a.lines), func(i int) bool { return a.lines[i] > off })
}

// lastLine is the file's last line that has text, where a missing section
// would go.
func (a *article) lastLine() int {
	n := len(a.lines)
	if n > 1 && a.lines[n-1] == len(a.src) {
		n-- // the file ends with a newline: no line after it
	}
	return n
}

// lineOf finds the line a node starts on: its own position when goldmark
// recorded one, else its first line segment, else its first child's.
func (a *article) lineOf(n ast.Node) int {
	for c := n; c != nil; c = c.FirstChild() {
		if p := c.Pos(); p >= 0 {
			return a.lineAt(p)
		}
		if t, ok := c.(*ast.Text); ok {
			return a.lineAt(t.Segment.Start)
		}
		if c.Type() == ast.TypeBlock && c.Lines().Len() > 0 {
			return a.lineAt(c.Lines().At(0).Start)
		}
	}
	return 1
}

// part is one h2 and the blocks under it.
type part struct {
	h      *ast.Heading
	title  string
	id     string // explicit {#id}, or ""
	blocks []ast.Node
}

func (a *article) body() {
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
	if len(intro) == 0 {
		line := 1
		if len(parts) > 0 {
			line = a.lineOf(parts[0].h)
		}
		a.errorf(line, "missing intro: write one or more paragraphs before the first ## heading")
	}
	a.c.Intro = a.render(intro)
	for _, s := range a.c.Sources {
		a.anchors["source-"+s.Key] = s.Line
	}

	found := map[string]bool{}
	for _, p := range parts {
		line := a.lineOf(p.h)
		if p.title == "" {
			a.errorf(line, "empty ## heading: give the section a title")
			continue
		}
		anchor, known := recognised[strings.ToLower(p.title)]
		if known && p.id != "" && p.id != anchor {
			a.errorf(line, "## %s always has the anchor #%s: remove {#%s}", p.title, anchor, p.id)
		}
		if !known {
			anchor = p.id
			if anchor == "" {
				anchor = slugify(p.title)
			}
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
		found[anchor] = true
		switch anchor {
		case compare.AnchorGlance:
			a.glance(p, line)
		case compare.AnchorProsCons:
			a.prosCons(p, line)
		case compare.AnchorChoose:
			a.choose(p, line)
		case compare.AnchorVerdict:
			a.c.Verdict = a.render(p.blocks)
		case compare.AnchorFAQ:
			for _, it := range a.items(p, line) {
				a.c.FAQ = append(a.c.FAQ, compare.FAQ{ID: it.id, Question: it.title, Answer: a.render(it.blocks), AnswerText: a.plainBlocks(it.blocks), Line: it.line})
			}
		case compare.AnchorCorrections:
			for _, it := range a.items(p, line) {
				a.c.Corrections = append(a.c.Corrections, compare.Correction{ID: it.id, Title: it.title, Body: a.render(it.blocks), Line: it.line})
			}
		default:
			a.c.Sections = append(a.c.Sections, compare.Section{ID: anchor, Title: p.title, Body: a.render(p.blocks), Line: line})
		}
	}
	// A missing section is reported where it belongs, so an editor that
	// jumps to the line lands where the author types it: At a glance right
	// after the intro, the Verdict above FAQ and Corrections (which follow
	// it on the page), else at the end.
	if !found[compare.AnchorGlance] && a.anchors[compare.AnchorGlance] == 0 {
		line, where := a.before(parts, func(*part) bool { return true })
		a.hintf(line, "add the section with its table "+where+" (see content/README.md)", "missing ## At a glance")
	}
	if !found[compare.AnchorVerdict] && a.anchors[compare.AnchorVerdict] == 0 {
		line, where := a.before(parts, func(p *part) bool {
			anchor := recognised[strings.ToLower(p.title)]
			return anchor == compare.AnchorFAQ || anchor == compare.AnchorCorrections
		})
		a.hintf(line, "add the section with your conclusion "+where, "missing ## Verdict")
	}
	if len(a.c.Sources) > 0 {
		found[compare.AnchorSources] = true
	}
	for _, ref := range a.sectionRefs {
		if ref.val == "" {
			continue
		}
		if found[ref.val] {
			continue
		}
		a.errorf(ref.line, "section %q is not an anchor on this page: use %s", ref.val, a.knownSections(found))
	}
}

// before finds where a missing section goes: above the first part that
// matches, else at the end of the file. It returns the line and the words
// that say where.
func (a *article) before(parts []*part, match func(*part) bool) (int, string) {
	for _, p := range parts {
		if match(p) {
			return a.lineOf(p.h), "above ## " + p.title
		}
	}
	return a.lastLine(), "at the end of the file"
}

// knownSections lists the anchors a quiz option may point to.
func (a *article) knownSections(found map[string]bool) string {
	var ids []string
	for _, id := range []string{compare.AnchorGlance, compare.AnchorProsCons, compare.AnchorChoose, compare.AnchorVerdict, compare.AnchorFAQ, compare.AnchorCorrections, compare.AnchorSources} {
		if found[id] {
			ids = append(ids, id)
		}
	}
	for _, s := range a.c.Sections {
		ids = append(ids, s.ID)
	}
	return strings.Join(ids, ", ")
}

// claim records an anchor, reporting a duplicate or an id the page's own
// markup uses.
func (a *article) claim(id string, line int, what string) bool {
	if compare.LayoutID(id) {
		a.errorf(line, "%s anchor #%s is used by the page itself: rename the heading or set a different {#anchor}", what, id)
		return false
	}
	if prev, ok := a.anchors[id]; ok {
		a.errorf(line, "%s anchor #%s is already used on line %d: rename the heading or set a different {#anchor}", what, id, prev)
		return false
	}
	a.anchors[id] = line
	return true
}

// headingID returns the explicit {#id} of a heading, reporting other
// attributes (which would reach the page unchecked) and invalid ids.
func (a *article) headingID(h *ast.Heading) string {
	var id string
	for _, attr := range h.Attributes() {
		name := string(attr.Name)
		v, _ := attr.Value.([]byte)
		if name != "id" {
			a.errorf(a.lineOf(h), "heading attribute %q is not allowed: only {#anchor} is", name)
			continue
		}
		id = string(v)
		if !validKey(id) {
			a.errorf(a.lineOf(h), "anchor %q is not valid: use lower-case letters, digits and '-'", id)
			return ""
		}
	}
	return id
}

// item is one ### entry of FAQ or Corrections.
type item struct {
	id, title string
	line      int
	blocks    []ast.Node
}

// items splits a part into ### entries, each with a unique anchor and a
// body that is not empty.
func (a *article) items(p *part, line int) []item {
	var out []item
	for _, n := range p.blocks {
		if h, ok := n.(*ast.Heading); ok && h.Level == 3 {
			out = append(out, item{id: a.headingID(h), title: a.plain(h), line: a.lineOf(h)})
			continue
		}
		if len(out) == 0 {
			a.errorf(a.lineOf(n), "## %s holds ### entries only: put this under a ### heading", p.title)
			continue
		}
		out[len(out)-1].blocks = append(out[len(out)-1].blocks, n)
	}
	valid := out[:0]
	for _, it := range out {
		if it.title == "" {
			a.errorf(it.line, "empty ### heading in ## %s", p.title)
			continue
		}
		if it.id == "" {
			it.id = slugify(it.title)
		}
		if it.id == "" {
			a.errorf(it.line, "cannot make an anchor from %q: add one with {#anchor} after the title", it.title)
			continue
		}
		if len(it.blocks) == 0 {
			a.errorf(it.line, "### %s is empty: write the text under it or remove the heading", it.title)
			continue
		}
		if !a.claim(it.id, it.line, "### "+it.title) {
			continue
		}
		valid = append(valid, it)
	}
	if len(out) == 0 {
		a.errorf(line, "## %s has no ### entries", p.title)
	}
	return valid
}

// subjectFor matches a heading or table header to a subject by name or key,
// ignoring case.
func (a *article) subjectFor(label string) (string, bool) {
	for _, s := range a.c.Subjects {
		if strings.EqualFold(label, s.Key) || strings.EqualFold(label, s.Name) {
			return s.Key, true
		}
	}
	return "", false
}

func (a *article) subjectIndex(key string) int {
	for i, s := range a.c.Subjects {
		if s.Key == key {
			return i
		}
	}
	return -1
}

func (a *article) glance(p *part, line int) {
	var table *extast.Table
	for _, n := range p.blocks {
		if t, ok := n.(*extast.Table); ok && table == nil {
			table = t
			continue
		}
		a.errorf(a.lineOf(n), "## At a glance holds one table only: move this to a section of its own")
	}
	if table == nil {
		a.errorf(line, "## At a glance has no table: write a header row (Criterion, one column per subject, optional Edge and Sources), a `| --- |` row, then one row per criterion")
		return
	}
	header, _ := table.FirstChild().(*extast.TableHeader)
	if header == nil {
		return
	}
	hline := a.lineOf(header)
	const (
		colCriterion = -1
		colEdge      = -2
		colSources   = -3
	)
	var cols []int // subject index, or one of the col* values
	seenSubject := map[int]bool{}
	for i, c := 0, header.FirstChild(); c != nil; i, c = i+1, c.NextSibling() {
		label := a.plain(c)
		switch {
		case i == 0:
			if !strings.EqualFold(label, "criterion") {
				a.errorf(hline, "the first column of the At a glance table must be Criterion, not %q", label)
			}
			cols = append(cols, colCriterion)
		case strings.EqualFold(label, "edge"):
			cols = append(cols, colEdge)
		case strings.EqualFold(label, "sources"):
			cols = append(cols, colSources)
		default:
			key, ok := a.subjectFor(label)
			if !ok {
				a.errorf(hline, "column %q of the At a glance table is not a subject (%s), Edge or Sources", label, a.subjectKeys())
				cols = append(cols, colCriterion)
				continue
			}
			idx := a.subjectIndex(key)
			if seenSubject[idx] {
				a.errorf(hline, "subject %q has two columns in the At a glance table", key)
			}
			seenSubject[idx] = true
			cols = append(cols, idx)
		}
	}
	for i, s := range a.c.Subjects {
		if !seenSubject[i] {
			a.errorf(hline, "subject %q has no column in the At a glance table: add a column headed %q", s.Key, cmp.Or(s.Name, s.Key))
		}
	}
	for r := header.NextSibling(); r != nil; r = r.NextSibling() {
		row, ok := r.(*extast.TableRow)
		if !ok {
			continue
		}
		rline := a.lineOf(row)
		// Counted before any cell is read: in a short row the cells sit
		// under the wrong columns, so what they say would only mislead.
		if n := a.writtenCells(row); n != len(cols) {
			hint := "add the missing cells (an empty cell is | |)"
			if n > len(cols) {
				hint = "remove the extra cells, or add their columns to the header row"
			}
			a.hintf(rline, hint, "this table row has %d cells but the header has %d", n, len(cols))
			continue
		}
		g := compare.GlanceRow{Cells: make([]compare.HTML, len(a.c.Subjects)), Line: rline}
		for i, c := 0, row.FirstChild(); c != nil && i < len(cols); i, c = i+1, c.NextSibling() {
			switch col := cols[i]; col {
			case colCriterion:
				if i == 0 {
					g.Criterion = a.plain(c)
				}
			case colEdge:
				if e := a.plain(c); e != "" {
					a.edges(rline, e, &g)
				}
			case colSources:
				if s := a.plain(c); s != "" {
					for k := range strings.SplitSeq(s, ",") {
						k = strings.TrimSpace(k)
						if a.checkSourceKey(rline, k, "the Sources column") {
							g.Sources = append(g.Sources, k)
						}
					}
				}
			default:
				g.Cells[col] = a.renderInline(c)
			}
		}
		if g.Criterion == "" {
			a.errorf(rline, "this table row has no criterion: fill in the first cell")
		}
		a.c.Glance.Rows = append(a.c.Glance.Rows, g)
	}
	if len(a.c.Glance.Rows) == 0 && table.ChildCount() == 1 {
		a.errorf(hline, "the At a glance table has no rows: add one row per criterion")
	}
}

// writtenCells counts the cells of a table row as the author wrote them.
// goldmark pads a short row with cells that have no text and drops the
// cells past the header's count, so those are counted from what follows
// the last cell it kept on the row's own line.
func (a *article) writtenCells(row *extast.TableRow) int {
	n := 0
	var last ast.Node
	for c := row.FirstChild(); c != nil && c.Lines().Len() > 0; c = c.NextSibling() {
		n++
		last = c
	}
	if last == nil {
		return 0
	}
	stop := last.Lines().At(0).Stop
	end := bytes.IndexByte(a.src[stop:], '\n')
	if end < 0 {
		end = len(a.src) - stop
	}
	rest := bytes.TrimSpace(a.src[stop : stop+end])
	rest = bytes.TrimSpace(bytes.TrimPrefix(rest, []byte("|")))
	if len(rest) == 0 {
		return n
	}
	extra := bytes.Split(rest, []byte("|"))
	if len(bytes.TrimSpace(extra[len(extra)-1])) == 0 {
		extra = extra[:len(extra)-1] // the closing pipe
	}
	return n + len(extra)
}

// subjectParts splits a part into ### subject entries.
func (a *article) subjectParts(p *part, line int, each func(key string, line int, blocks []ast.Node)) {
	type entry struct {
		key    string
		line   int
		ok     bool
		blocks []ast.Node
	}
	var entries []*entry
	seen := map[string]int{}
	for _, n := range p.blocks {
		if h, ok := n.(*ast.Heading); ok && h.Level == 3 {
			l := a.lineOf(h)
			label := a.plain(h)
			key, ok := a.subjectFor(label)
			if !ok {
				a.errorf(l, "### %s in ## %s is not a subject: use a subject's name or key (%s)", label, p.title, a.subjectKeys())
			} else if prev, dup := seen[key]; dup {
				a.errorf(l, "subject %q already has a ### in ## %s on line %d", key, p.title, prev)
				ok = false
			} else {
				seen[key] = l
			}
			entries = append(entries, &entry{key: key, line: l, ok: ok})
			continue
		}
		if len(entries) == 0 {
			a.errorf(a.lineOf(n), "## %s holds one ### per subject: put this under a ### heading", p.title)
			continue
		}
		entries[len(entries)-1].blocks = append(entries[len(entries)-1].blocks, n)
	}
	if len(entries) == 0 {
		a.errorf(line, "## %s has no ### subject headings", p.title)
	}
	// Keep subject order so every part of the page lists subjects alike.
	sort.SliceStable(entries, func(i, j int) bool { return a.subjectIndex(entries[i].key) < a.subjectIndex(entries[j].key) })
	for _, e := range entries {
		if !e.ok {
			continue
		}
		if len(e.blocks) == 0 {
			s, _ := a.c.Subject(e.key)
			a.errorf(e.line, "### %s in ## %s is empty: write a list under it or remove the heading", cmp.Or(s.Name, e.key), p.title)
			continue
		}
		each(e.key, e.line, e.blocks)
	}
}

func (a *article) prosCons(p *part, line int) {
	a.subjectParts(p, line, func(key string, l int, blocks []ast.Node) {
		pc := compare.ProsCons{Subject: key, Line: l}
		s, _ := a.c.Subject(key)
		name := cmp.Or(s.Name, key)
		var which *[]compare.HTML
		var got = map[string]bool{}
		for _, n := range blocks {
			if h, ok := n.(*ast.Heading); ok && h.Level == 4 {
				t := strings.ToLower(a.plain(h))
				switch t {
				case "pros":
					which = &pc.Pros
				case "cons":
					which = &pc.Cons
				default:
					a.errorf(a.lineOf(h), "#### %s under ### %s: use #### Pros or #### Cons", a.plain(h), name)
					which = nil
					continue
				}
				if got[t] {
					a.errorf(a.lineOf(h), "#### %s appears twice under ### %s", a.plain(h), name)
				}
				got[t] = true
				continue
			}
			list, ok := n.(*ast.List)
			if which == nil || !ok {
				a.errorf(a.lineOf(n), "under ### %s write #### Pros and #### Cons, each followed by a list", name)
				continue
			}
			*which = append(*which, a.listItems(list)...)
		}
		if len(pc.Pros) == 0 {
			a.errorf(l, "### %s in ## Pros and cons has no pros: add #### Pros and a list", name)
		}
		if len(pc.Cons) == 0 {
			a.errorf(l, "### %s in ## Pros and cons has no cons: add #### Cons and a list", name)
		}
		a.c.ProsCons = append(a.c.ProsCons, pc)
	})
}

func (a *article) choose(p *part, line int) {
	a.subjectParts(p, line, func(key string, l int, blocks []ast.Node) {
		ch := compare.Choice{Subject: key, Line: l}
		for _, n := range blocks {
			list, ok := n.(*ast.List)
			if !ok {
				s, _ := a.c.Subject(key)
				a.errorf(a.lineOf(n), "under ### %s in ## When to choose write a list", cmp.Or(s.Name, key))
				continue
			}
			ch.Items = append(ch.Items, a.listItems(list)...)
		}
		a.c.Choose = append(a.c.Choose, ch)
	})
}

func (a *article) listItems(list *ast.List) []compare.HTML {
	var out []compare.HTML
	for it := list.FirstChild(); it != nil; it = it.NextSibling() {
		var kids []ast.Node
		for c := it.FirstChild(); c != nil; c = c.NextSibling() {
			kids = append(kids, c)
		}
		if len(kids) == 0 {
			a.errorf(a.lineOf(list), "empty list item: write its text or remove it")
			continue
		}
		out = append(out, a.render(kids))
	}
	return out
}

// render turns a run of sibling nodes into one HTML fragment with goldmark's
// own renderer, so the fragment is exactly what the whole document would
// have produced for those nodes.
func (a *article) render(nodes []ast.Node) compare.HTML {
	if a.noHTML {
		return "" // Check: goldmark's renderer reports no problems
	}
	// One buffered writer per article: given a plain io.Writer, goldmark
	// allocates a 4 KiB bufio.Writer on every call, which was most of the
	// memory a parse churned through.
	if a.bw == nil {
		a.bw = bufio.NewWriter(&a.out)
	}
	a.out.Reset()
	for _, n := range nodes {
		if err := md.Renderer().Render(a.bw, a.src, n); err != nil {
			a.errorf(a.lineOf(n), "cannot render: %v", err)
		}
	}
	a.bw.Flush() // writes to a bytes.Buffer cannot fail
	return compare.HTML(strings.TrimSpace(a.out.String()))
}

// renderInline renders a container's inline children (a table cell).
func (a *article) renderInline(n ast.Node) compare.HTML {
	var kids []ast.Node
	for c := n.FirstChild(); c != nil; c = c.NextSibling() {
		kids = append(kids, c)
	}
	return a.render(kids)
}

// checkNodes reports what an article may not contain, wherever it is: an h1,
// raw HTML, and links with a scheme other than http(s) or mailto.
func (a *article) checkNodes(doc ast.Node) {
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch n := n.(type) {
		case *ast.Heading:
			if n.Level == 1 {
				a.errorf(a.lineOf(n), "a # heading is not allowed in the body: the title comes from the front matter; use ## for sections")
			}
		case *ast.HTMLBlock, *ast.RawHTML:
			a.errorf(a.lineOf(n), "raw HTML is not allowed: write it in Markdown instead")
			return ast.WalkSkipChildren, nil
		case *ast.Link:
			a.checkURL(n, string(n.Destination))
		case *ast.Image:
			a.checkURL(n, string(n.Destination))
		case *ast.AutoLink:
			if n.AutoLinkType == ast.AutoLinkURL {
				a.checkURL(n, string(n.URL(a.src)))
			}
		case *ast.Text:
			if bytes.Contains(n.Segment.Value(a.src), []byte(compare.Unfinished)) {
				a.todo(a.lineAt(n.Segment.Start), "the text")
			}
		}
		return ast.WalkContinue, nil
	})
}

// checkURL allows http(s), mailto, relative and #fragment addresses only,
// the way a browser reads them (tabs and newlines removed first).
func (a *article) checkURL(n ast.Node, dest string) {
	clean := strings.Map(func(r rune) rune {
		if r == '\t' || r == '\n' || r == '\r' {
			return -1
		}
		return r
	}, dest)
	clean = strings.TrimLeft(clean, "\x00\x01\x02\x03\x04\x05\x06\x07\x08\x0b\x0c\x0e\x0f\x10\x11\x12\x13\x14\x15\x16\x17\x18\x19\x1a\x1b\x1c\x1d\x1e\x1f ")
	scheme, _, found := strings.Cut(clean, ":")
	if !found || strings.ContainsAny(scheme, "/?#") {
		return // relative, or a fragment
	}
	switch strings.ToLower(scheme) {
	case "http", "https", "mailto":
		return
	}
	a.errorf(a.lineOf(n), "link to %q is not allowed: use an http(s), mailto, relative or #fragment address", dest)
}

// resolveCitations numbers every citation by its source's place in the
// front matter and reports unknown keys.
func (a *article) resolveCitations(doc ast.Node) {
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		cite, ok := n.(*citation)
		if !ok || !entering {
			return ast.WalkContinue, nil
		}
		for p := cite.Parent(); p != nil; p = p.Parent() {
			if _, inLink := p.(*ast.Link); inLink {
				a.errorf(a.lineOf(cite), "a citation cannot sit inside a link's text: put it after the link")
				break
			}
		}
		for i := range cite.Refs {
			r := &cite.Refs[i]
			if a.deferCites {
				r.N = deferred
				a.cited = append(a.cited, compare.Cite{Key: r.Key, Line: a.lineOf(cite)})
				continue
			}
			for j, s := range a.c.Sources {
				if s.Key == r.Key {
					r.N, r.Title = j+1, s.Title
					if a.used != nil {
						a.used[s.Key] = true
					}
				}
			}
			if r.N == 0 {
				a.errorf(a.lineOf(cite), "unknown source key %q in citation [@%s]: declare it under sources in the front matter (known: %s)", r.Key, r.Key, a.sourceKeys())
			}
		}
		return ast.WalkSkipChildren, nil
	})
}

// edges reads an Edge cell: "even", or one or more subjects (names or
// keys) separated by commas, which share the edge; they are kept in
// subject order.
func (a *article) edges(line int, cell string, g *compare.GlanceRow) {
	if strings.EqualFold(cell, compare.EdgeEven) {
		g.Even = true
		return
	}
	has := map[string]bool{}
	for e := range strings.SplitSeq(cell, ",") {
		e = strings.TrimSpace(e)
		if strings.EqualFold(e, compare.EdgeEven) {
			a.errorf(line, "edge %q mixes %q with subjects: write %q alone, or only the subjects that have the edge", cell, compare.EdgeEven, compare.EdgeEven)
			return
		}
		if key, ok := a.subjectFor(e); ok {
			has[key] = true
		} else {
			a.errorf(line, "edge %q is not a subject (%s) or %q", e, a.subjectKeys(), compare.EdgeEven)
		}
	}
	for _, s := range a.c.Subjects {
		if has[s.Key] {
			g.Edges = append(g.Edges, s.Key)
		}
	}
}
