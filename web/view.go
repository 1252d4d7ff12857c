package web

import (
	"cmp"
	"context"
	"iter"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/a-h/templ"

	"github.com/versus-dev/versus/internal/compare"
	"github.com/versus-dev/versus/internal/recommend"
)

// SiteName is the brand shown in the header, titles and social cards.
const SiteName = "versus"

// Page is what the shared layout needs to frame any page: where the site
// lives, the page's own metadata, and (in author mode) the content
// problems to show in a banner.
type Page struct {
	BaseURL  string // absolute site URL without a trailing slash
	Meta     Meta
	Problems compare.Problems // non-empty only in watch mode
	Live     bool             // watch mode: include static/live.js, which reloads the page on each content reload
}

// Meta is one page's metadata for search engines and link previews.
type Meta struct {
	Title       string // the page's own title; the site name is appended
	Description string
	Path        string // the canonical path, e.g. "/compare/django-vs-flask"
	Type        string // og:type: "website" (default) or "article"
	Image       string // absolute og:image URL; "" for none
	NoIndex     bool   // pages search engines should not list (error pages)
	JSONLD      []any  // structured data objects, emitted as application/ld+json
}

// Canonical is the absolute URL search engines should index this page as.
func (p Page) Canonical() string { return p.BaseURL + p.Meta.Path }

// FullTitle is the <title>: the page title, then the site name, so tabs
// and search results show what the page is about first.
func (p Page) FullTitle() string {
	if p.Meta.Title == "" || p.Meta.Title == SiteName {
		return SiteName + ": compare technologies, with sources"
	}
	return p.Meta.Title + " · " + SiteName
}

func (p Page) ogType() string {
	if p.Meta.Type == "" {
		return "website"
	}
	return p.Meta.Type
}

func (p Page) twitterCard() string {
	if p.Meta.Image != "" {
		return "summary_large_image"
	}
	return "summary"
}

// ComparePath is the URL path of a comparison page; for the comparison of
// a whole category (its questionnaire ranks every subject) it is the
// category's page.
func ComparePath(c *compare.Comparison) string {
	if c.Slug == "" && c.Category != nil {
		return CategoryPath(c.Category.Key)
	}
	return "/compare/" + c.Slug
}

// CategoryPath is the URL path of a category's page.
func CategoryPath(key string) string { return "/categories/" + key }

// SubjectPath is the URL path of a subject's page.
func SubjectPath(key string) string { return "/subjects/" + key }

// CategoryView is a category's page: the comparison of all its subjects
// (matrix, sources, questionnaire), its hand-written comparisons, a link
// to every pair, and the picker's state.
type CategoryView struct {
	All       *compare.Comparison
	Articles  []*compare.Comparison
	Pairs     []Link
	Picked    map[string]bool
	PickError string // why the last pick could not be compared, or ""
}

// SubjectView is a subject's page: C is the subject composed on its own,
// so its values and sources read as a one-column comparison.
type SubjectView struct {
	S        compare.Subject
	C        *compare.Comparison
	Articles []*compare.Comparison
	Pairs    []Link
}

// pickAttrs ties the picker's error to its fieldset when there is one.
func pickAttrs(v CategoryView) templ.Attributes {
	if v.PickError == "" {
		return nil
	}
	return templ.Attributes{"aria-describedby": "pick-error"}
}

// supportText is one supported release line in words.
func supportText(s compare.Support) string {
	t := s.Version
	if s.LTS {
		t += " (LTS)"
	}
	if s.Until != "" {
		t += ", supported until " + s.Until
	}
	if s.Note != "" {
		t += "; " + s.Note
	}
	return t
}

// tableLabel names a criteria table for its caption and scroll region.
func tableLabel(c *compare.Comparison) string {
	if len(c.Subjects) == 1 {
		return c.Subjects[0].Name + ", criterion by criterion, with its sources."
	}
	return subjectNames(c) + " compared criterion by criterion: which has the edge, and the sources."
}

// hasEdges reports whether any row of the table names an edge or a tie.
func hasEdges(c *compare.Comparison) bool {
	if len(c.Subjects) < 2 {
		return false
	}
	for _, r := range c.Glance.Rows {
		if len(r.Edges) > 0 || r.Even {
			return true
		}
	}
	return c.Category == nil
}

// hasRowSources reports whether rows cite sources in a column of their own
// (a self-contained article); in a category each cell cites its own.
func hasRowSources(c *compare.Comparison) bool { return c.Category == nil }

// rowAttrs anchors a criterion's row on the comparison page, where quiz
// reasons link to it; other tables' rows need no id.
func rowAttrs(testid string, row compare.GlanceRow) templ.Attributes {
	if testid != "glance" || row.Key == "" {
		return nil
	}
	return templ.Attributes{"id": compare.GlanceRowID(row.Key)}
}

// QuizPath is the questionnaire's URL, prefilled when query is non-empty.
func QuizPath(c *compare.Comparison, query string) string {
	return withQuery(ComparePath(c)+"/quiz", query)
}

// ResultPath is the shareable result URL for an encoded answer query.
func ResultPath(c *compare.Comparison, query string) string {
	return withQuery(ComparePath(c)+"/result", query)
}

// ResultImagePath is the social card image for the same answers.
func ResultImagePath(c *compare.Comparison, query string) string {
	return withQuery(ComparePath(c)+"/result.png", query)
}

// ScoringPath is the "How we score" page.
func ScoringPath(c *compare.Comparison) string { return ComparePath(c) + "/scoring" }

// TagPath is the listing of comparisons that carry tag.
func TagPath(tag string) string { return "/tags/" + url.PathEscape(tag) }

func withQuery(p, q string) string {
	if q == "" {
		return p
	}
	return p + "?" + q
}

// DisplayDate is how dates read on the page ("20 November 2026").
func DisplayDate(t time.Time) string { return t.Format("2 January 2006") }

// ISODate is the machine-readable form for <time datetime> and feeds.
func ISODate(t time.Time) string { return t.Format("2006-01-02") }

// subjectName returns the display name of a subject key, or the key itself
// when the comparison does not declare it (the parser prevents that).
func subjectName(c *compare.Comparison, key string) string {
	if s, ok := c.Subject(key); ok {
		return s.Name
	}
	return key
}

// subjectClass gives each subject a stable colour slot by its position, so
// Django is the same colour in the header, the table and the result bars.
func subjectClass(c *compare.Comparison, key string) string {
	for i, s := range c.Subjects {
		if s.Key == key {
			return subjectClasses[i%len(subjectClasses)]
		}
	}
	return "subj-0"
}

// subjectClasses are the colour slots, spelled out so that naming one
// allocates nothing on the per-request result page.
var subjectClasses = [...]string{"subj-1", "subj-2", "subj-3", "subj-4"}

// sourceNumber is the number a source's citations show: its place in a
// self-contained article's list, or in its whole category.
func sourceNumber(c *compare.Comparison, key string) int {
	for i, s := range c.Sources {
		if s.Key == key {
			return cmp.Or(s.N, i+1)
		}
	}
	return 0
}

// sourceID is the id of a source's entry in the source list; sourceHref
// links a citation to it.
func sourceID(key string) string   { return "source-" + key }
func sourceHref(key string) string { return "#" + sourceID(key) }

// edgeText names the stronger subjects of an at-a-glance row in words, so
// the table never relies on colour alone.
func edgeText(c *compare.Comparison, row compare.GlanceRow) string {
	switch {
	case len(row.Edges) > 0:
		names := make([]string, len(row.Edges))
		for i, k := range row.Edges {
			names[i] = subjectName(c, k)
		}
		return "Edge: " + joinNames(names, " and ")
	case row.Even:
		return "Even"
	case row.Key != "":
		return "Not ranked" // a category criterion without a scale
	}
	return "No call"
}

// edgeClass colours the Edge cell when one subject has the edge.
func edgeClass(c *compare.Comparison, row compare.GlanceRow) string {
	if len(row.Edges) == 1 {
		return subjectClass(c, row.Edges[0])
	}
	return ""
}

// subjectNames names the subjects together: "Django and Flask".
func subjectNames(c *compare.Comparison) string { return joinSubjects(c, " and ") }

// subjectChoice names the subjects as alternatives: "Django or Flask".
func subjectChoice(c *compare.Comparison) string { return joinSubjects(c, " or ") }

// joinSubjects joins the subjects' names the way a sentence does, with
// last before the final name: "a", "a and b", "a, b and c".
func joinSubjects(c *compare.Comparison, last string) string {
	names := make([]string, len(c.Subjects))
	for i, s := range c.Subjects {
		names[i] = s.Name
	}
	return joinNames(names, last)
}

// joinNames joins names the way a sentence does: "a", "a and b", "a, b and c".
func joinNames(names []string, last string) string { return recommend.JoinNames(names, last) }

// sourceByline is "author, publisher, date" with whatever the source gives.
func sourceByline(s compare.Source) string {
	var parts []string
	for _, p := range []string{s.Author, s.Publisher, s.Date} {
		if p != "" {
			parts = append(parts, p)
		}
	}
	return strings.Join(parts, ", ")
}

func prosCons(c *compare.Comparison, key string) (compare.ProsCons, bool) {
	for _, pc := range c.ProsCons {
		if pc.Subject == key {
			return pc, true
		}
	}
	return compare.ProsCons{}, false
}

// tocEntry is one link in a comparison page's table of contents.
type tocEntry struct {
	ID, Title string
}

// toc lists the comparison page's sections in page order, skipping the
// optional ones an article leaves out, so every link has a target.
func toc(c *compare.Comparison) []tocEntry { return slices.Collect(tocEntries(c)) }

// tocEntries yields toc's entries without building the list, for the
// result page, which looks sections up per request.
func tocEntries(c *compare.Comparison) iter.Seq[tocEntry] {
	return func(yield func(tocEntry) bool) {
		if !yield(tocEntry{compare.AnchorVerdict, "Verdict"}) {
			return
		}
		if c.Category != nil && !yield(tocEntry{compare.AnchorStatus, "Current status"}) {
			return
		}
		if !yield(tocEntry{compare.AnchorGlance, "At a glance"}) {
			return
		}
		for _, s := range c.Sections {
			if !yield(tocEntry{s.ID, s.Title}) {
				return
			}
		}
		if len(c.ProsCons) > 0 && !yield(tocEntry{compare.AnchorProsCons, "Pros and cons"}) {
			return
		}
		if len(c.Choose) > 0 && !yield(tocEntry{compare.AnchorChoose, "When to choose"}) {
			return
		}
		if len(c.FAQ) > 0 && !yield(tocEntry{compare.AnchorFAQ, "FAQ"}) {
			return
		}
		if len(c.Corrections) > 0 && !yield(tocEntry{compare.AnchorCorrections, "Where the sources are wrong"}) {
			return
		}
		yield(tocEntry{compare.AnchorSources, "Sources"})
	}
}

// widthClass maps a percentage to one of 21 CSS classes (w-0 … w-100 in
// steps of 5), because the CSP forbids style attributes.
func widthClass(percent int) string {
	percent = max(0, min(100, percent))
	return widthClasses[(percent+2)/5]
}

// widthClasses are widthClass's answers, spelled out so that naming one
// allocates nothing.
var widthClasses = [...]string{"w-0", "w-5", "w-10", "w-15", "w-20", "w-25", "w-30", "w-35", "w-40", "w-45", "w-50",
	"w-55", "w-60", "w-65", "w-70", "w-75", "w-80", "w-85", "w-90", "w-95", "w-100"}

// QuizForm is the questionnaire as one reader sees it: prefilled with the
// answers they already gave and, after a failed POST, the problems found.
type QuizForm struct {
	C       *compare.Comparison
	Answers recommend.Answers // valid answers only: these prefill the radios
	Errors  map[string]string // question key → what is wrong with its answer
	Other   []string          // problems not tied to a question (unknown fields)
}

func (f QuizForm) hasErrors() bool { return len(f.Errors) > 0 || len(f.Other) > 0 }

// result scores the answers the form is prefilled with, so the page
// opens showing their standing in the server's words.
func (f QuizForm) result() recommend.Result { return recommend.Recommend(f.C, f.Answers) }

// meterWidth is a subject's bar in the quiz meter: its share, or an equal
// part while no subject has points.
func meterWidth(s recommend.Summary, sc recommend.Score, n int) string {
	if s.Even() {
		return widthClass(100 / n)
	}
	return widthClass(sc.Percent)
}

// whyCites are the sources shown beside an option's one why; in a
// category each subject's why carries its own.
func whyCites(o compare.Option) []string {
	if len(o.Fits) > 0 {
		return nil
	}
	return o.Cites
}

// ratio writes a threshold for quiz.js exactly as Go holds it.
func ratio(f float64) string { return strconv.FormatFloat(f, 'g', -1, 64) }

func questionID(q compare.Question) string      { return "q-" + q.Key }
func questionHelpID(q compare.Question) string  { return "q-" + q.Key + "-help" }
func questionErrorID(q compare.Question) string { return "q-" + q.Key + "-error" }
func optionID(q compare.Question, o string) string {
	if o == "" {
		return "q-" + q.Key + "--skip"
	}
	return "q-" + q.Key + "-" + o
}

func (f QuizForm) describedBy(q compare.Question) string {
	var ids []string
	if q.Help != "" {
		ids = append(ids, questionHelpID(q))
	}
	if f.Errors[q.Key] != "" {
		ids = append(ids, questionErrorID(q))
	}
	return strings.Join(ids, " ")
}

// favorsData encodes an option's weights for quiz.js's live meter as
// "django:2 flask:0", so the script needs no request per click.
func favorsData(c *compare.Comparison, o compare.Option) string {
	parts := make([]string, 0, len(c.Subjects))
	for _, s := range c.Subjects {
		parts = append(parts, s.Key+":"+strconv.Itoa(o.Favors[s.Key]))
	}
	return strings.Join(parts, " ")
}

func subjectsData(c *compare.Comparison) string {
	parts := make([]string, 0, len(c.Subjects))
	for _, s := range c.Subjects {
		parts = append(parts, s.Key+":"+s.Name)
	}
	return strings.Join(parts, "|")
}

// ResultView is one reader's recommendation, ready to show and share.
type ResultView struct {
	C        *compare.Comparison
	Result   recommend.Result
	Query    string // the canonical encoded answers (recommend.Encode)
	ShareURL string // absolute URL of this result, shown for copying
	// Reasons holds each answer's item in the list of reasons, rendered
	// beforehand (RenderReasons); an answer it lacks is rendered in place.
	Reasons Reasons

	words *recommend.Summary // set by Described
}

// Reasons is each answer's item in a result page's list of reasons, by
// question and option key. An answer's reason is the same on every result
// page of its comparison that has it, and rendering the items afresh was
// two thirds of rendering a result page, so a server renders them once per
// comparison.
type Reasons struct {
	items map[[2]string]string
	size  int
}

// RenderReasons renders the reason of every effect (recommend's
// Scorer.OptionEffects) on c's result pages.
func RenderReasons(ctx context.Context, c *compare.Comparison, effects []recommend.Effect) (Reasons, error) {
	r := Reasons{items: make(map[[2]string]string, len(effects))}
	var b strings.Builder
	for _, e := range effects {
		b.Reset()
		if err := effectItem(ResultView{C: c}, e).Render(ctx, &b); err != nil {
			return Reasons{}, err
		}
		// A copy at its own size: the builder's buffer has room to spare.
		r.items[[2]string{e.Question, e.Answer}] = strings.Clone(b.String())
		// The map's own slot: two string headers and the item's, and as
		// much again for the map's spare slots and control bytes.
		r.size += len(e.Question) + len(e.Answer) + b.Len() + 2*3*16
	}
	return r, nil
}

// Size is the memory the rendered reasons hold, in bytes.
func (r Reasons) Size() int { return r.size }

// Len is the number of rendered reasons.
func (r Reasons) Len() int { return len(r.items) }

// item is the rendered reason for e, if there is one.
func (r Reasons) item(e recommend.Effect) (string, bool) {
	h, ok := r.items[[2]string{e.Question, e.Answer}]
	return h, ok
}

// Summary is the result in words (recommend.Describe): the headline, the
// standings and how sure it is, right for any number of subjects.
func (v ResultView) Summary() recommend.Summary {
	if v.words != nil {
		return *v.words
	}
	return recommend.Describe(v.Result, subjectNameMap(v.C))
}

// Described is v with its Summary worked out once, for a caller that
// wants it more than once (the page's title and its headline).
func (v ResultView) Described() ResultView {
	words := v.Summary()
	v.words = &words
	return v
}

// Headline is the result in one line, also used for the title and the
// social card: "Flask fits this project (78%)", "Close call: Django just
// ahead of Flask", "No answers yet".
func (v ResultView) Headline() string { return v.Summary().Headline }

// subjectNameMap is every subject's display name by key.
func subjectNameMap(c *compare.Comparison) map[string]string {
	m := make(map[string]string, len(c.Subjects))
	for _, s := range c.Subjects {
		m[s.Key] = s.Name
	}
	return m
}

// pointsText is what an answer gave a subject, as the reasons show it.
func pointsText(se recommend.SubjectEffect) string {
	switch {
	case se.None:
		return "no bearing"
	case se.Points > 0:
		return "+" + strconv.Itoa(se.Points)
	}
	return "0"
}

// sharesWhy reports whether an answer's one why speaks for every subject
// (a self-contained article), so the subjects' points fit on one line.
func sharesWhy(e recommend.Effect) bool {
	for _, se := range e.Subjects {
		if se.Why != "" {
			return false
		}
	}
	return true
}

func questionAsk(c *compare.Comparison, key string) string {
	if q, ok := c.Quiz.Question(key); ok {
		return q.Ask
	}
	return key
}

func optionLabel(c *compare.Comparison, qkey, okey string) string {
	q, ok := c.Quiz.Question(qkey)
	if !ok {
		return okey
	}
	if o, ok := q.Option(okey); ok {
		return o.Label
	}
	return okey
}

// flipView is one way the result would change, split into a short lead
// ("Django would come out ahead if you changed:") and a compact list of
// answer changes, which reads more easily than one long sentence.
type flipView struct {
	Lead    string
	Changes []flipChange
}

// flipChange is one changed answer: the question, the reader's answer
// ("" when they skipped it) and the answer that would tip the result.
type flipChange struct {
	Ask, From, To string
}

func newFlipView(c *compare.Comparison, f recommend.Flip) flipView {
	v := flipView{
		Lead:    subjectName(c, f.Winner) + " would come out ahead if you changed:",
		Changes: make([]flipChange, 0, len(f.Changes)),
	}
	for _, ch := range f.Changes {
		fc := flipChange{Ask: questionAsk(c, ch.Question), To: optionLabel(c, ch.Question, ch.To)}
		if ch.From != "" {
			fc.From = optionLabel(c, ch.Question, ch.From)
		}
		v.Changes = append(v.Changes, fc)
	}
	return v
}

// ErrorView is an error page's content: what happened and where to go.
type ErrorView struct {
	Status  int
	Title   string
	Message string
	Details []string // specific problems, e.g. each bad query parameter
	Links   []Link
}

// Link is a labelled URL offered as a way forward.
type Link struct {
	Label, Href string
}

// displayHost shows a website as its host name ("www.djangoproject.com"),
// shorter and easier to scan than the full URL.
func displayHost(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return raw
	}
	return strings.TrimSuffix(u.Host+u.Path, "/")
}

// citeLabel completes a "[n]" citation for screen readers. It is hidden
// text inside the link rather than an aria-label, so the accessible name
// still starts with what sighted readers see (WCAG 2.5.3).
func citeLabel(c *compare.Comparison, key string) string {
	if s, ok := c.Source(key); ok {
		return " source: " + s.Title
	}
	return " source " + key
}

func comparisonCount(n int) string {
	if n == 1 {
		return "1 comparison"
	}
	return strconv.Itoa(n) + " comparisons"
}

// sectionTitle names the part of the comparison page an anchor points to,
// so links read "Admin and authentication" rather than a vague "section".
func sectionTitle(c *compare.Comparison, id string) string {
	for e := range tocEntries(c) {
		if e.ID == id {
			return e.Title
		}
	}
	for _, r := range c.Glance.Rows {
		if r.Key != "" && compare.GlanceRowID(r.Key) == id {
			return r.Criterion
		}
	}
	for _, f := range c.FAQ {
		if f.ID == id {
			return f.Question
		}
	}
	for _, cr := range c.Corrections {
		if cr.ID == id {
			return cr.Title
		}
	}
	return "the comparison"
}
