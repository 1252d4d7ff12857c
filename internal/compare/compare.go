// Package compare holds the domain of versus: a comparison between two or
// more subjects (technologies), with its at-a-glance table, prose sections,
// pros and cons, FAQ, sources and questionnaire.
//
// Values of these types are built by internal/markdown from one article file
// and never mutated afterwards: the catalog shares them between goroutines.
package compare

import (
	"strings"
	"time"
)

// HTML is a fragment produced by our own Markdown renderer. It is safe to
// emit unescaped because the parser refuses raw HTML in articles; nothing
// else may construct an HTML value from user input.
type HTML string

// EdgeEven marks an at-a-glance row where no subject is stronger.
const EdgeEven = "even"

// Anchors of the sections every comparison page may have, in the order the
// page shows them: the parser gives the recognised ## sections these ids
// (Section ids must differ from them), and a quiz Option's Section may name
// any of them.
const (
	AnchorGlance      = "at-a-glance"
	AnchorProsCons    = "pros-and-cons"
	AnchorChoose      = "when-to-choose"
	AnchorVerdict     = "verdict"
	AnchorFAQ         = "faq"
	AnchorCorrections = "corrections"
	AnchorSources     = "sources"
)

// HeadingID is the id of a section's heading, which the page uses to label
// the section (aria-labelledby); it is taken as soon as the section is.
func HeadingID(section string) string { return section + "-h" }

// layoutIDs are the ids the comparison page's own markup uses, beyond the
// article's sections, entries and sources. No article anchor may take one,
// or the page would have two elements with the same id.
var layoutIDs = map[string]bool{
	"main":                   true, // the skip link's target
	"problem-banner":         true,
	"quick-verdict-h":        true,
	"toc-h":                  true,
	"cta-h":                  true,
	"related-h":              true,
	AnchorSources:            true,
	HeadingID(AnchorSources): true,
	AnchorStatus:             true,
	HeadingID(AnchorStatus):  true,
}

// AnchorStatus is the dated status box of a category's comparison.
const AnchorStatus = "status"

// LayoutID reports whether the comparison page's own markup uses id: the
// fixed ids above, and a criterion row's (GlanceRowID).
func LayoutID(id string) bool { return layoutIDs[id] || strings.HasPrefix(id, "criterion-") }

// Comparison is one article: everything a comparison page, its
// questionnaire and its "how we score" page need.
type Comparison struct {
	// File is the article's path inside the content FS; every Problem
	// about it names this file.
	File string

	Slug        string
	Title       string
	Description string // one line for search results, cards and meta tags
	Reviewed    time.Time
	Draft       bool
	Tags        []string

	Subjects []Subject // two or more, in the author's order
	Sources  []Source

	Intro       HTML // everything before the first h2
	Glance      Glance
	Sections    []Section // free sections, in document order
	ProsCons    []ProsCons
	Choose      []Choice // "When to choose", one per subject that has one
	Verdict     HTML
	FAQ         []FAQ
	Corrections []Correction

	Quiz Quiz

	// Category is the category the subjects belong to, nil for a
	// self-contained article (the first format, still read at the top of
	// the content folder).
	Category *Category
	// Generated is true for a comparison made from the subjects' files
	// alone, with no hand-written article for its set.
	Generated bool
}

// Subject is one of the technologies being compared.
type Subject struct {
	Key          string // stable identifier used in URLs, tables and weights
	Name         string
	Summary      string // one line: what it is
	Website      string
	Maintainer   string
	FirstRelease string // as precise as its source allows: "2005-07-21" or "2010"
	Latest       string // latest version at the reviewed date, e.g. "5.2"
	License      string
	ChooseIf     string   // "Choose Django if …": one line for the quick verdict
	Cites        []string // source keys backing the facts above
	Line         int

	// Dated facts, from a subject file (zero in a self-contained article).
	Released Dated     // first release
	Newest   Dated     // the newest release we could confirm
	Python   Dated     // minimum Python version of the newest release
	Support  []Support // supported release lines, as the project publishes them
	Intro    HTML      // what the subject file says before its sections
}

// Source is a document the article's claims are checked against.
type Source struct {
	Key       string
	Title     string
	Author    string
	Publisher string
	Date      string // "2023-12-21", or "" when the source gives none
	URL       string // "" when no address is known: never invented
	Note      string // what the source is good or unreliable for
	Line      int
	// N is the number its citations show, [N]. In a self-contained article
	// it is the source's place in the list; in a category it is the
	// source's place in the whole category, so a citation reads the same on
	// every page of the category.
	N int
}

// Glance is the at-a-glance table: one row per criterion, one cell per
// subject in Comparison.Subjects order.
type Glance struct {
	Rows []GlanceRow
}

// GlanceRow is one criterion compared across every subject.
type GlanceRow struct {
	Key       string // the criterion's key ("" in a self-contained article)
	Criterion string
	Measures  string   // what the criterion measures ("" when not given)
	Cells     []HTML   // len(Cells) == len(Comparison.Subjects), subject order
	Ranks     []string // each cell's place on the criterion's scale, when ranked
	// Edges lists the subjects stronger on this row, in subject order: empty
	// when the row is even or not ranked. In a self-contained article it is
	// the author's Edge cell; in a category it follows from the scale.
	Edges   []string
	Even    bool     // the author or the scale says no subject is stronger
	Sources []string // source keys backing the row
	Line    int
}

// Section is a free section of prose: any h2 the parser does not recognise.
type Section struct {
	ID    string // heading anchor, unique within the article
	Title string
	Body  HTML
	Line  int
}

// ProsCons lists one subject's strengths and weaknesses.
type ProsCons struct {
	Subject string // subject key
	Pros    []HTML
	Cons    []HTML
	Line    int
}

// Choice is "choose this subject when…", one list per subject.
type Choice struct {
	Subject string // subject key
	Items   []HTML
	Line    int
}

// FAQ is one question a reader asks, with its answer.
type FAQ struct {
	ID         string
	Question   string
	Answer     HTML
	AnswerText string // plain text of Answer, for FAQPage JSON-LD
	Line       int
}

// Correction is a place where sources are wrong or disagree, and the
// correct fact.
type Correction struct {
	ID    string
	Title string
	Body  HTML
	Line  int
}

// Quiz is the questionnaire whose answers the recommender scores.
type Quiz struct {
	Questions []Question
}

// Question is one question of the questionnaire. Its Key and its options'
// keys are the public contract of result URLs and of the JSON API.
type Question struct {
	Key     string
	Ask     string
	Help    string // optional hint shown under the question
	Options []Option
	Line    int
}

// Option is one answer to a question and what it says about the subjects.
type Option struct {
	Key   string
	Label string
	// Favors maps subject keys to non-negative weights: how strongly this
	// answer points to that subject. Subjects absent from the map get 0.
	Favors  map[string]int
	Why     string   // plain text shown with results: why this answer favours it
	Cites   []string // source keys backing Why
	Section string   // anchor on the comparison page that explains it ("" for none)
	Line    int
	// Fits holds, in a category, how the answer fits each subject with that
	// subject's own why; Favors then holds the same points. Nil in a
	// self-contained article, whose one Why serves every subject.
	Fits map[string]Fit
	// Criterion is the criterion whose favoured end this option leans on
	// ("" for none); the content tests check fits agree with it.
	Criterion string
}

// WhyFor is the reason this answer gives for a subject: its own why in a
// category, the option's one why in a self-contained article.
func (o *Option) WhyFor(subject string) (string, []string) {
	if f, ok := o.Fits[subject]; ok {
		return f.Why, f.Cites
	}
	return o.Why, o.Cites
}

// Subject returns the subject with the given key.
func (c *Comparison) Subject(key string) (Subject, bool) {
	for _, s := range c.Subjects {
		if s.Key == key {
			return s, true
		}
	}
	return Subject{}, false
}

// Source returns the source with the given key.
func (c *Comparison) Source(key string) (Source, bool) {
	for _, s := range c.Sources {
		if s.Key == key {
			return s, true
		}
	}
	return Source{}, false
}

// Question returns the question with the given key.
func (q *Quiz) Question(key string) (*Question, bool) {
	for i := range q.Questions {
		if q.Questions[i].Key == key {
			return &q.Questions[i], true
		}
	}
	return nil, false
}

// Option returns the option with the given key.
func (q *Question) Option(key string) (*Option, bool) {
	for i := range q.Options {
		if q.Options[i].Key == key {
			return &q.Options[i], true
		}
	}
	return nil, false
}
