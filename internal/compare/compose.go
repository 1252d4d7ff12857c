package compare

import (
	"fmt"
	"html"
	"slices"
	"strconv"
	"strings"
	"time"
)

// MinSet and MaxSet bound how many subjects one comparison holds.
const (
	MinSet = 2
	MaxSet = 4
)

// SetSlug is the canonical name of a set of subjects: their keys in
// alphabetical order joined by "-vs-", the {set} of /compare/{set}.
func SetSlug(keys []string) string {
	k := slices.Clone(keys)
	slices.Sort(k)
	return strings.Join(k, "-vs-")
}

// CiteLink is the markup of one citation: the number links to the source's
// entry, and the title is in the link's text, visually hidden, rather than
// in an aria-label (a name that does not contain the visible "[1]" fails
// WCAG 2.5.3, label in name, for speech-input users).
func CiteLink(key string, n int, title string) string {
	var b strings.Builder
	b.WriteString(`<a class="cite" href="#source-`)
	b.WriteString(html.EscapeString(key))
	b.WriteString(`">[`)
	b.WriteString(strconv.Itoa(n))
	b.WriteString(`]<span class="visually-hidden"> source: `)
	b.WriteString(html.EscapeString(title))
	b.WriteString(`</span></a>`)
	return b.String()
}

// Group is a validated category with its files, as the catalog keeps it:
// everything needed to compose a comparison of any of its subjects.
type Group struct {
	Category *Category
	Subjects []*SubjectFile // by key
	Articles []*Article     // by slug
	// Sources is every source declared in any file of the category, each
	// numbered (N) by its place here: category.md's first, then each
	// subject's in key order, then each article's.
	Sources []Source
	byKey   map[string]*SubjectFile
	srcIdx  map[string]int
	artIdx  map[string]*Article
}

// NewGroup indexes a category's files. It does not validate them: see
// Validate.
func NewGroup(cat *Category, subjects []*SubjectFile, articles []*Article) *Group {
	g := &Group{Category: cat, byKey: map[string]*SubjectFile{}, srcIdx: map[string]int{}, artIdx: map[string]*Article{}}
	g.Subjects = slices.Clone(subjects)
	slices.SortFunc(g.Subjects, func(a, b *SubjectFile) int { return strings.Compare(a.Subject.Key, b.Subject.Key) })
	g.Articles = slices.Clone(articles)
	slices.SortFunc(g.Articles, func(a, b *Article) int { return strings.Compare(a.Slug, b.Slug) })
	add := func(ss []Source) {
		for _, s := range ss {
			if _, dup := g.srcIdx[s.Key]; dup {
				continue // Validate reports it
			}
			s.N = len(g.Sources) + 1
			g.srcIdx[s.Key] = len(g.Sources)
			g.Sources = append(g.Sources, s)
		}
	}
	add(cat.Sources)
	for _, s := range g.Subjects {
		g.byKey[s.Subject.Key] = s
		add(s.Sources)
	}
	for _, a := range g.Articles {
		g.artIdx[a.Slug] = a
		add(a.Sources)
	}
	g.resolveAll()
	return g
}

// resolveAll numbers every citation of every file, once, before the group
// is shared.
func (g *Group) resolveAll() {
	r := g.Resolve
	all := func(hs []HTML) {
		for i := range hs {
			hs[i] = r(hs[i])
		}
	}
	g.Category.Intro = r(g.Category.Intro)
	for _, sf := range g.Subjects {
		sf.Intro = r(sf.Intro)
		sf.Subject.Intro = sf.Intro
		all(sf.Pros)
		all(sf.Cons)
		all(sf.Choose)
		for k, v := range sf.Values {
			v.Text = r(v.Text)
			sf.Values[k] = v
		}
	}
	for _, a := range g.Articles {
		a.Intro, a.Verdict = r(a.Intro), r(a.Verdict)
		for i := range a.Sections {
			a.Sections[i].Body = r(a.Sections[i].Body)
		}
		for i := range a.FAQ {
			a.FAQ[i].Answer = r(a.FAQ[i].Answer)
		}
		for i := range a.Corrections {
			a.Corrections[i].Body = r(a.Corrections[i].Body)
		}
	}
}

// Subject returns the subject file with the given key.
func (g *Group) Subject(key string) (*SubjectFile, bool) {
	s, ok := g.byKey[key]
	return s, ok
}

// Source returns the category's source with the given key.
func (g *Group) Source(key string) (Source, bool) {
	i, ok := g.srcIdx[key]
	if !ok {
		return Source{}, false
	}
	return g.Sources[i], true
}

// Article returns the hand-written article for a canonical set slug.
func (g *Group) Article(slug string) (*Article, bool) {
	a, ok := g.artIdx[slug]
	return a, ok && !a.Draft
}

// Resolve replaces the citation placeholders the parser wrote with each
// source's number and title. Unknown keys are left for Validate to report.
func (g *Group) Resolve(h HTML) HTML {
	s := string(h)
	if !strings.Contains(s, "\x00") {
		return h
	}
	var b strings.Builder
	for {
		i := strings.IndexByte(s, 0)
		if i < 0 {
			b.WriteString(s)
			break
		}
		b.WriteString(s[:i])
		rest := s[i+1:]
		j := strings.IndexByte(rest, 0)
		if j < 0 || len(rest) < 2 || rest[1] != ':' {
			b.WriteString(s[i:])
			break
		}
		kind, key := rest[0], rest[2:j]
		src, _ := g.Source(key)
		switch kind {
		case 'n':
			b.WriteString(strconv.Itoa(src.N))
		case 't':
			b.WriteString(html.EscapeString(src.Title))
		}
		s = rest[j+1:]
	}
	return HTML(b.String())
}

// Compose builds the comparison of a set of the category's subjects: its
// table from their values, its pros and cons and when-to-choose from their
// files, its questionnaire from the category with each subject's fits, and
// its prose from the hand-written article for the set if there is one, or
// a short summary that says only what the data says. keys must be 2-4
// distinct subjects of the group (see Set).
func (g *Group) Compose(keys []string) *Comparison {
	keys = slices.Clone(keys)
	slices.Sort(keys)
	slug := strings.Join(keys, "-vs-")
	subs := make([]*SubjectFile, len(keys))
	for i, k := range keys {
		subs[i] = g.byKey[k]
	}
	cat := g.Category
	c := &Comparison{
		File:     cat.File,
		Slug:     slug,
		Tags:     slices.Clone(cat.Tags),
		Category: cat,
		Reviewed: cat.Reviewed,
	}
	cited := map[string]bool{}
	cite := func(cs []Cite) {
		for _, x := range cs {
			cited[x.Key] = true
		}
	}
	names := make([]string, len(subs))
	for i, sf := range subs {
		c.Subjects = append(c.Subjects, sf.Subject)
		names[i] = sf.Subject.Name
		c.Reviewed = older(c.Reviewed, sf.Reviewed)
		cite(sf.Cited)
		c.ProsCons = append(c.ProsCons, ProsCons{Subject: sf.Subject.Key, Pros: sf.Pros, Cons: sf.Cons, Line: sf.ProsLine})
		c.Choose = append(c.Choose, Choice{Subject: sf.Subject.Key, Items: sf.Choose, Line: sf.ChooseLine})
	}
	for _, cr := range cat.Criteria {
		row := GlanceRow{Key: cr.Key, Criterion: cr.Name, Measures: cr.Measures, Line: cr.Line}
		for _, sf := range subs {
			v := sf.Values[cr.Key]
			cell := string(v.Text)
			for _, k := range v.Cites {
				// A source the text already cites in place is not cited twice.
				if s, ok := g.Source(k); ok && !strings.Contains(cell, `href="#source-`+html.EscapeString(k)+`"`) {
					cell += " " + CiteLink(k, s.N, s.Title)
				}
			}
			row.Cells = append(row.Cells, HTML(cell))
			row.Ranks = append(row.Ranks, v.Rank)
		}
		row.Edges, row.Even = edges(&cr, row.Ranks, keys)
		c.Glance.Rows = append(c.Glance.Rows, row)
	}
	c.Quiz = g.quiz(keys)
	if art, ok := g.Article(slug); ok {
		c.File = art.File
		c.Title = art.Title
		c.Description = art.Description
		c.Reviewed = older(c.Reviewed, art.Reviewed)
		for _, t := range art.Tags {
			if !slices.Contains(c.Tags, t) {
				c.Tags = append(c.Tags, t)
			}
		}
		c.Intro, c.Sections, c.Verdict, c.FAQ, c.Corrections = art.Intro, art.Sections, art.Verdict, art.FAQ, art.Corrections
		cite(art.Cited)
	} else {
		c.Generated = true
		c.Title = strings.Join(names, " vs ")
		c.Description = fmt.Sprintf("%s compared on %d criteria, every value cited, with a questionnaire that ranks them for your project.", joinAnd(names), len(cat.Criteria))
		c.Intro = g.summary(c, subs)
		c.Verdict = verdict(subs)
	}
	for _, s := range g.Sources {
		if cited[s.Key] {
			c.Sources = append(c.Sources, s)
		}
	}
	return c
}

// edges gives a ranked row's stronger subjects: those at the best rank
// present, unless every subject shares it (even). A row that is not ranked,
// or where a value has no rank, has no edge.
func edges(cr *Criterion, ranks []string, keys []string) ([]string, bool) {
	if !cr.Ranked() {
		return nil, false
	}
	best := len(cr.Scale)
	pos := make([]int, len(ranks))
	for i, r := range ranks {
		pos[i] = cr.Rank(r)
		if pos[i] < 0 {
			return nil, false
		}
		best = min(best, pos[i])
	}
	var out []string
	for i, p := range pos {
		if p == best {
			out = append(out, keys[i])
		}
	}
	if len(out) == len(keys) {
		return nil, true
	}
	return out, false
}

// quiz is the category's questionnaire with every option's fits for the
// set's subjects: Favors holds the points, Fits each subject's own why.
func (g *Group) quiz(keys []string) Quiz {
	src := g.Category.Quiz
	q := Quiz{Questions: make([]Question, len(src.Questions))}
	for i, sq := range src.Questions {
		nq := sq
		nq.Options = make([]Option, len(sq.Options))
		for j, so := range sq.Options {
			o := so
			o.Favors = map[string]int{}
			o.Fits = map[string]Fit{}
			if o.Criterion != "" {
				o.Section = GlanceRowID(o.Criterion)
			}
			for _, k := range keys {
				f := g.byKey[k].Fits[sq.Key][so.Key]
				o.Fits[k] = f
				if !f.None {
					o.Favors[k] = f.Points
				}
			}
			nq.Options[j] = o
		}
		q.Questions[i] = nq
	}
	return q
}

// GlanceRowID is the anchor of a criterion's row in the table.
func GlanceRowID(criterion string) string { return "criterion-" + criterion }

// summary says what the data says: what each subject is, and where the
// scales give each the edge.
func (g *Group) summary(c *Comparison, subs []*SubjectFile) HTML {
	var b strings.Builder
	ranked := 0
	wins := map[string][]string{}
	for _, row := range c.Glance.Rows {
		if len(row.Edges) > 0 || row.Even {
			ranked++
		}
		for _, k := range row.Edges {
			wins[k] = append(wins[k], row.Criterion)
		}
	}
	b.WriteString("<p>")
	for i, sf := range subs {
		if i > 0 {
			b.WriteString(" ")
		}
		fmt.Fprintf(&b, "%s: %s.", html.EscapeString(sf.Subject.Name), html.EscapeString(sf.Subject.Summary))
	}
	b.WriteString("</p><p>")
	fmt.Fprintf(&b, "Every value on this page comes from the page of the subject it describes, with its sources: %d criteria, %d of them ranked on a scale. ", len(c.Glance.Rows), ranked)
	var parts []string
	for _, sf := range subs {
		if w := wins[sf.Subject.Key]; len(w) > 0 {
			parts = append(parts, fmt.Sprintf("%s on %s", html.EscapeString(sf.Subject.Name), html.EscapeString(joinAnd(w))))
		}
	}
	if len(parts) > 0 {
		fmt.Fprintf(&b, "On those scales the edge goes to %s.", strings.Join(parts, "; "))
	} else {
		b.WriteString("On those scales none of them has the edge.")
	}
	b.WriteString(" Which of these matter depends on your project: the questionnaire weighs them for you.</p>")
	return HTML(b.String())
}

func verdict(subs []*SubjectFile) HTML {
	var b strings.Builder
	b.WriteString("<ul>")
	for _, sf := range subs {
		fmt.Fprintf(&b, "<li><strong>Choose %s if</strong> %s.</li>", html.EscapeString(sf.Subject.Name), html.EscapeString(strings.TrimSuffix(sf.Subject.ChooseIf, ".")))
	}
	b.WriteString("</ul>")
	return HTML(b.String())
}

func joinAnd(names []string) string {
	switch len(names) {
	case 0:
		return ""
	case 1:
		return names[0]
	}
	return strings.Join(names[:len(names)-1], ", ") + " and " + names[len(names)-1]
}

func older(a, b time.Time) time.Time {
	if a.IsZero() || (!b.IsZero() && b.Before(a)) {
		return b
	}
	return a
}
