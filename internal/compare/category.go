package compare

import (
	"time"
)

// Category is a folder of subjects that can be compared with each other:
// the criteria every subject is described by and the questionnaire that
// ranks them. It is built from the folder's category.md and never changed
// afterwards.
type Category struct {
	File        string // category.md's path inside the content FS
	Key         string // the folder's name: the URL's {category}
	Title       string
	Description string
	Reviewed    time.Time
	Tags        []string
	Intro       HTML
	Criteria    []Criterion
	// Quiz holds the questions and options; its options carry no Favors:
	// how well an answer fits a subject is written in that subject's file.
	Quiz    Quiz
	Sources []Source // declared in category.md, shared by every file of the category
	Cited   []Cite   // citations written in category.md
	Line    int
}

// Criterion is one row of the category's matrix: a property every subject
// of the category has a cited value for.
type Criterion struct {
	Key      string
	Name     string
	Measures string // what it measures, one line
	// Scale orders the values a subject may take, the end an option that
	// leans on this criterion favours first. Empty means "not ranked": the
	// values are described, never ordered, and no subject has the edge.
	Scale []string
	Line  int
}

// Ranked reports whether the criterion's values are ordered.
func (c *Criterion) Ranked() bool { return len(c.Scale) > 0 }

// Rank is a scale value's position (0 is the favoured end), or -1.
func (c *Criterion) Rank(value string) int {
	for i, v := range c.Scale {
		if v == value {
			return i
		}
	}
	return -1
}

// Criterion returns the category's criterion with the given key.
func (c *Category) Criterion(key string) (*Criterion, bool) {
	for i := range c.Criteria {
		if c.Criteria[i].Key == key {
			return &c.Criteria[i], true
		}
	}
	return nil, false
}

// Value is one subject's value for one criterion.
type Value struct {
	Text  HTML     // inline Markdown rendered, citations included
	Rank  string   // a value of the criterion's scale, "" when not ranked
	Cites []string // source keys backing the value
	Line  int
}

// Fit is how well one questionnaire answer fits one subject.
type Fit struct {
	Points int  // 0-3
	None   bool // the answer has no bearing on this subject (counts 0)
	Why    string
	Cites  []string
	Line   int
}

// Support is one release line the project supports, as it publishes it.
type Support struct {
	Version string
	LTS     bool
	Until   string // end of support as the project gives it: YYYY-MM-DD, YYYY-MM or ""
	Note    string
	Cites   []string
	Line    int
}

// Dated is a fact that carries its date and its sources.
type Dated struct {
	Value string // a version, or a Python version for minimums
	Date  string // YYYY-MM-DD, YYYY-MM or YYYY; "" when not given
	Cites []string
	Line  int
}

// Cite is one [@key] written in a file, where it was written: the catalog
// checks every key against the category's sources once all files are read.
type Cite struct {
	Key  string
	Line int
}

// SubjectFile is everything one subject's file says: its facts, its value
// for every criterion and its fit for every questionnaire option. Every
// comparison that includes the subject takes its facts from here, so a
// correction is made once.
type SubjectFile struct {
	File     string
	Category string // the category's key
	Reviewed time.Time
	Subject  Subject
	Released Dated // first release
	Newest   Dated // the newest release we could confirm
	Python   Dated // minimum Python (or runtime) version of the newest release
	Support  []Support
	Intro    HTML
	Values   map[string]Value          // criterion key → value
	Fits     map[string]map[string]Fit // question key → option key → fit
	Pros     []HTML
	Cons     []HTML
	Choose   []HTML
	Sources  []Source // declared in this file
	Cited    []Cite
	// Lines of the body's sections and of values and fits, for problems
	// found across files (0 when absent).
	ProsLine, ConsLine, ChooseLine, ValuesLine, FitsLine int
}

// Article is a hand-written comparison of a set of subjects: prose only.
// Its subjects' facts come from their files.
type Article struct {
	File        string
	Slug        string // the subject keys in order, joined by "-vs-"
	Title       string
	Description string
	Reviewed    time.Time
	Draft       bool
	Tags        []string
	Subjects    []string // keys as the author listed them
	SubjectLine int
	Sources     []Source
	Intro       HTML
	Sections    []Section
	Verdict     HTML
	FAQ         []FAQ
	Corrections []Correction
	Cited       []Cite
}
