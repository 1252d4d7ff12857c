// Package recommend scores a comparison's questionnaire answers. It is pure:
// no I/O, no globals, deterministic, and monotonic (an answer that favours a
// subject never lowers that subject's score).
package recommend

import (
	"cmp"
	"fmt"
	"slices"

	"github.com/versus-dev/versus/internal/compare"
)

// Confidence says how far apart the top two subjects are.
type Confidence string

const (
	Clear   Confidence = "clear"
	Leaning Confidence = "leaning"
	Close   Confidence = "close" // a close call or an exact tie: "either fits"
)

// Thresholds for Confidence. The gap is measured as the difference between
// the top two subjects' points relative to all points given, so it means the
// same thing whether a reader answered two questions or ten; the absolute
// margin keeps a single answer from ever reading as a clear verdict.
//
//   - Close: an exact tie, or a share gap under CloseGap, or a margin under
//     CloseMargin points (one weak answer is not a preference).
//   - Clear: a share gap of at least ClearGap and a margin of at least
//     ClearMargin points, which is more than any single answer (weight 3 at
//     most) can give, so it takes at least two answers agreeing.
//   - Leaning: everything in between.
const (
	CloseGap    = 0.15
	ClearGap    = 0.40
	CloseMargin = 2
	ClearMargin = 4
)

// Search limits for Flips: the flips shown are the smallest sets of changes,
// so readers see the few answers their result hinges on, not every variant.
const (
	MaxFlipChanges = 2
	MaxFlips       = 5
)

// Answers holds one option key per answered question. Unanswered questions
// are absent and neutral.
type Answers map[string]string

// Score is one subject's standing.
type Score struct {
	Subject string // subject key
	Points  int    // sum of the weights the answers gave it
	Percent int    // 0-100, share of all points; equal shares when no points
}

// Reason is one answer's contribution to one subject.
type Reason struct {
	Question string // question key
	Answer   string // option key
	Subject  string // subject key the answer favours
	Weight   int
	Why      string
	Section  string // anchor on the comparison page, may be ""
	Cites    []string
}

// Change is one answer changed (From is "" when it was unanswered).
type Change struct {
	Question string
	From     string
	To       string
}

// Flip is a smallest set of answer changes that makes Winner win instead.
type Flip struct {
	Changes []Change
	Winner  string
}

// Result is the recommendation for one set of answers.
type Result struct {
	Winner     string  // subject key, "" on an exact tie
	Scores     []Score // in the comparison's subject order
	Confidence Confidence
	Reasons    []Reason // strongest first
	Flips      []Flip
	Answered   int
	Questions  int
}

// Recommend scores answers against the comparison's quiz. Answers must have
// been checked by Parse; an answer that names no question or option of the
// quiz is ignored rather than trusted, and weights for subjects the article
// does not declare are ignored too.
func Recommend(c *compare.Comparison, a Answers) Result {
	sc := newScorer(c)
	choice := sc.choices(a)
	points := sc.points(choice)
	winner, margin := sc.winner(points)

	res := Result{
		Winner:     winner,
		Scores:     make([]Score, len(sc.subjects)),
		Confidence: confidence(winner, margin, sum(points)),
		Reasons:    sc.reasons(choice),
		Flips:      sc.flips(choice, winner),
		Questions:  len(sc.quiz.Questions),
	}
	percents := Percentages(points)
	for i, key := range sc.subjects {
		res.Scores[i] = Score{Subject: key, Points: points[i], Percent: percents[i]}
	}
	for _, o := range choice {
		if o >= 0 {
			res.Answered++
		}
	}
	return res
}

// Percentages splits 100 between the subjects in proportion to their points,
// so the shown figures always add up to 100. It gives out the 100 points one
// at a time to the subject with the highest points/(2·given+1) (the
// Sainte-Laguë divisor method), ties going to the earlier subject. For two
// subjects that is exactly the largest-remainder rounding; for more it
// differs only in rare cases, and it is chosen over largest remainder
// because largest remainder can lower a subject's figure when its share
// rises (with points 1,7,22 → 1,6,22 it gives the first 4% then 3%), which
// would break the promise that an answer favouring a subject never lowers
// it. With no points at all every subject gets an equal share, what does
// not divide evenly going to the earlier subjects. Negative points count as
// zero.
func Percentages(points []int) []int {
	n := len(points)
	out := make([]int, n)
	if n == 0 {
		return out
	}
	p := make([]int, n)
	total := 0
	for i, x := range points {
		p[i] = max(x, 0)
		total += p[i]
	}
	if total == 0 {
		for i := range out {
			out[i] = 100 / n
			if i < 100%n {
				out[i]++
			}
		}
		return out
	}
	for range 100 {
		best := 0
		for i := 1; i < n; i++ {
			// p[i]/(2·out[i]+1) > p[best]/(2·out[best]+1), without division.
			if p[i]*(2*out[best]+1) > p[best]*(2*out[i]+1) {
				best = i
			}
		}
		out[best]++
	}
	return out
}

func confidence(winner string, margin, total int) Confidence {
	if winner == "" || total <= 0 {
		return Close
	}
	gap := float64(margin) / float64(total)
	switch {
	case gap < CloseGap || margin < CloseMargin:
		return Close
	case gap >= ClearGap && margin >= ClearMargin:
		return Clear
	default:
		return Leaning
	}
}

func sum(xs []int) int {
	t := 0
	for _, x := range xs {
		t += x
	}
	return t
}

// scorer holds the quiz in index form so that scoring, and the many
// re-scorings the flip search does, never touch maps in iteration order.
type scorer struct {
	quiz     *compare.Quiz
	subjects []string
	// weight[q][o][s] is the weight option o of question q gives subject s.
	weight [][][]int
}

func newScorer(c *compare.Comparison) *scorer {
	sc := &scorer{quiz: &c.Quiz, subjects: make([]string, len(c.Subjects))}
	for i, s := range c.Subjects {
		sc.subjects[i] = s.Key
	}
	sc.weight = make([][][]int, len(c.Quiz.Questions))
	for qi, q := range c.Quiz.Questions {
		sc.weight[qi] = make([][]int, len(q.Options))
		for oi, o := range q.Options {
			w := make([]int, len(sc.subjects))
			for si, key := range sc.subjects {
				w[si] = max(o.Favors[key], 0)
			}
			sc.weight[qi][oi] = w
		}
	}
	return sc
}

// choices maps answers to option indexes in quiz order; -1 is unanswered.
func (sc *scorer) choices(a Answers) []int {
	ch := make([]int, len(sc.quiz.Questions))
	for qi, q := range sc.quiz.Questions {
		ch[qi] = -1
		key, ok := a[q.Key]
		if !ok {
			continue
		}
		for oi, o := range q.Options {
			if o.Key == key {
				ch[qi] = oi
				break
			}
		}
	}
	return ch
}

func (sc *scorer) points(choice []int) []int {
	p := make([]int, len(sc.subjects))
	for qi, oi := range choice {
		if oi < 0 {
			continue
		}
		for si, w := range sc.weight[qi][oi] {
			p[si] += w
		}
	}
	return p
}

// winner returns the subject with the most points and its lead over the
// runner-up, or "" when two or more share the top.
func (sc *scorer) winner(points []int) (string, int) {
	if len(points) == 0 {
		return "", 0
	}
	best, second := -1, -1
	for i, p := range points {
		switch {
		case best < 0 || p > points[best]:
			best, second = i, best
		case second < 0 || p > points[second]:
			second = i
		}
	}
	if second < 0 {
		return sc.subjects[best], points[best]
	}
	margin := points[best] - points[second]
	if margin == 0 {
		return "", 0
	}
	return sc.subjects[best], margin
}

func (sc *scorer) reasons(choice []int) []Reason {
	var rs []Reason
	for qi, oi := range choice {
		if oi < 0 {
			continue
		}
		q := &sc.quiz.Questions[qi]
		o := &q.Options[oi]
		for si, w := range sc.weight[qi][oi] {
			if w <= 0 {
				continue
			}
			rs = append(rs, Reason{
				Question: q.Key,
				Answer:   o.Key,
				Subject:  sc.subjects[si],
				Weight:   w,
				Why:      o.Why,
				Section:  o.Section,
				Cites:    slices.Clone(o.Cites),
			})
		}
	}
	// Built in quiz order, then subject order; a stable sort on weight
	// keeps that order among equal weights.
	slices.SortStableFunc(rs, func(a, b Reason) int { return cmp.Compare(b.Weight, a.Weight) })
	return rs
}

// candidate is a flip found by the search, with what it is ranked by.
type candidate struct {
	flip   Flip
	margin int   // new winner's lead after the changes
	pos    []int // (question index, option index) pairs, for quiz order
}

// flips searches for the smallest sets of answer changes, up to
// MaxFlipChanges, after which a different subject wins (or, from a tie, any
// subject wins). For each set of questions and each new winner only the
// option combination with the widest resulting lead is kept, so the few
// flips shown are distinct ways to change the outcome. They are ordered by
// that lead, widest first, then by quiz order, and at most MaxFlips are
// returned.
func (sc *scorer) flips(choice []int, winner string) []Flip {
	if len(sc.subjects) < 2 {
		return nil
	}
	base := sc.points(choice)
	for size := 1; size <= MaxFlipChanges; size++ {
		var found []candidate
		best := map[string]int{} // questions and winner → index in found
		sc.combine(choice, base, size, func(qs, os []int, points []int) {
			w, margin := sc.winner(points)
			if w == "" || w == winner {
				return
			}
			c := candidate{margin: margin}
			for i, qi := range qs {
				q := &sc.quiz.Questions[qi]
				from := ""
				if choice[qi] >= 0 {
					from = q.Options[choice[qi]].Key
				}
				c.flip.Changes = append(c.flip.Changes, Change{Question: q.Key, From: from, To: q.Options[os[i]].Key})
				c.pos = append(c.pos, qi, os[i])
			}
			c.flip.Winner = w
			key := fmt.Sprint(qs, w)
			if i, ok := best[key]; ok {
				if c.margin > found[i].margin {
					found[i] = c
				}
				return
			}
			best[key] = len(found)
			found = append(found, c)
		})
		if len(found) == 0 {
			continue
		}
		slices.SortStableFunc(found, func(a, b candidate) int {
			return cmp.Or(cmp.Compare(b.margin, a.margin), slices.Compare(a.pos, b.pos))
		})
		out := make([]Flip, 0, min(len(found), MaxFlips))
		for i := 0; i < len(found) && i < MaxFlips; i++ {
			out = append(out, found[i].flip)
		}
		return out
	}
	return nil
}

// combine calls fn for every way to change exactly size distinct questions
// to an option other than the current one, in quiz order, with the points
// those changes produce. qs and os are reused between calls.
func (sc *scorer) combine(choice, base []int, size int, fn func(qs, os, points []int)) {
	qs := make([]int, 0, size)
	os := make([]int, 0, size)
	points := slices.Clone(base)
	var rec func(from int)
	rec = func(from int) {
		if len(qs) == size {
			fn(qs, os, points)
			return
		}
		for qi := from; qi < len(choice); qi++ {
			cur := choice[qi]
			for oi := range sc.weight[qi] {
				if oi == cur {
					continue
				}
				sc.shift(points, qi, cur, oi)
				qs, os = append(qs, qi), append(os, oi)
				rec(qi + 1)
				qs, os = qs[:len(qs)-1], os[:len(os)-1]
				sc.shift(points, qi, oi, cur)
			}
		}
	}
	rec(0)
}

// shift moves question qi's contribution from option from to option to
// (either may be -1, unanswered).
func (sc *scorer) shift(points []int, qi, from, to int) {
	if from >= 0 {
		for si, w := range sc.weight[qi][from] {
			points[si] -= w
		}
	}
	if to >= 0 {
		for si, w := range sc.weight[qi][to] {
			points[si] += w
		}
	}
}
