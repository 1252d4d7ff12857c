package recommend

// The scorer as it was before the per-comparison Scorer and the pruned flip
// search: kept verbatim (renamed) as the reference the fast path must match
// result for result.

import (
	"cmp"
	"fmt"
	"slices"

	"github.com/versus-dev/versus/internal/compare"
)

func refRecommend(c *compare.Comparison, a Answers) Result {
	sc := refNewScorer(c)
	choice := sc.choices(a)
	points := sc.points(choice)
	winner, margin := sc.winner(points)

	res := Result{
		Winner:     winner,
		Scores:     make([]Score, len(sc.subjects)),
		Confidence: confidence(winner, margin, sum(points)),
		Reasons:    sc.reasons(choice),
		Effects:    sc.effects(choice),
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

// refScorer holds the quiz in index form so that scoring, and the many
// re-scorings the flip search does, never touch maps in iteration order.
type refScorer struct {
	quiz     *compare.Quiz
	subjects []string
	// weight[q][o][s] is the weight option o of question q gives subject s.
	weight [][][]int
}

func refNewScorer(c *compare.Comparison) *refScorer {
	sc := &refScorer{quiz: &c.Quiz, subjects: make([]string, len(c.Subjects))}
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
func (sc *refScorer) choices(a Answers) []int {
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

func (sc *refScorer) points(choice []int) []int {
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
func (sc *refScorer) winner(points []int) (string, int) {
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

func (sc *refScorer) reasons(choice []int) []Reason {
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
			why, cites := o.WhyFor(sc.subjects[si])
			rs = append(rs, Reason{
				Question: q.Key,
				Answer:   o.Key,
				Subject:  sc.subjects[si],
				Weight:   w,
				Why:      why,
				Section:  o.Section,
				Cites:    slices.Clone(cites),
			})
		}
	}
	// Built in quiz order, then subject order; a stable sort on weight
	// keeps that order among equal weights.
	slices.SortStableFunc(rs, func(a, b Reason) int { return cmp.Compare(b.Weight, a.Weight) })
	return rs
}

// effects is added since (the grouped view of the reasons): written the
// plain way, one question at a time, for the fast path to match.
func (sc *refScorer) effects(choice []int) []Effect {
	var es []Effect
	for qi, oi := range choice {
		if oi < 0 {
			continue
		}
		q := &sc.quiz.Questions[qi]
		o := &q.Options[oi]
		e := Effect{Question: q.Key, Answer: o.Key, Section: o.Section}
		if len(o.Fits) == 0 {
			e.Why, e.Cites = o.Why, o.Cites
		}
		for si, key := range sc.subjects {
			w := sc.weight[qi][oi][si]
			f := o.Fits[key]
			e.Subjects = append(e.Subjects, SubjectEffect{Subject: key, Points: w, None: f.None, Why: f.Why, Cites: f.Cites})
			if w > e.Top {
				e.Top = w
			}
		}
		es = append(es, e)
	}
	slices.SortStableFunc(es, func(a, b Effect) int { return cmp.Compare(b.Top, a.Top) })
	return es
}

// refCandidate is a flip found by the search, with what it is ranked by.
type refCandidate struct {
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
func (sc *refScorer) flips(choice []int, winner string) []Flip {
	if len(sc.subjects) < 2 {
		return nil
	}
	base := sc.points(choice)
	for size := 1; size <= MaxFlipChanges; size++ {
		var found []refCandidate
		best := map[string]int{} // questions and winner → index in found
		sc.combine(choice, base, size, func(qs, os []int, points []int) {
			w, margin := sc.winner(points)
			if w == "" || w == winner {
				return
			}
			c := refCandidate{margin: margin}
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
		slices.SortStableFunc(found, func(a, b refCandidate) int {
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
func (sc *refScorer) combine(choice, base []int, size int, fn func(qs, os, points []int)) {
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
func (sc *refScorer) shift(points []int, qi, from, to int) {
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
