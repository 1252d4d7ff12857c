// Package recommend scores a comparison's questionnaire answers. It is pure:
// no I/O, no globals, deterministic, and monotonic (an answer that favours a
// subject never lowers that subject's score).
package recommend

import (
	"cmp"
	"math"
	"slices"

	"github.com/versus-dev/versus/internal/compare"
)

// Confidence says how far apart the leader and the runner-up are.
type Confidence string

const (
	Clear   Confidence = "clear"
	Leaning Confidence = "leaning"
	Close   Confidence = "close" // a close call or a tie for the lead (see Describe)
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

// Reason is one answer's contribution to one subject it favours, with that
// subject's own why (compare.Option.WhyFor).
type Reason struct {
	Question string // question key
	Answer   string // option key
	Subject  string // subject key the answer favours
	Weight   int
	Why      string
	Section  string // anchor on the comparison page, may be ""
	Cites    []string
}

// Effect is one answered question and what the answer did for every
// subject: the result page lists one per answer, so a subject's why is
// shown once, under that subject, and never repeated under another.
type Effect struct {
	Question string // question key
	Answer   string // option key
	Section  string // anchor on the comparison page, may be ""
	// Why and Cites are the option's own reason, shared by every subject:
	// a self-contained article's one why. "" when each subject has its
	// own (a category), in Subjects.
	Why   string
	Cites []string
	// Subjects holds every subject of the comparison, in its order.
	Subjects []SubjectEffect
	Top      int // the most points the answer gave any subject
}

// SubjectEffect is what one answer gave one subject.
type SubjectEffect struct {
	Subject string
	Points  int
	None    bool     // the answer has no bearing on this subject
	Why     string   // this subject's own why ("" when Effect.Why speaks for all)
	Cites   []string // sources backing Why
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
	Effects    []Effect // one per answered question, strongest first
	Flips      []Flip
	Answered   int
	Questions  int
}

// Recommend scores answers against the comparison's quiz. Answers must have
// been checked by Parse; an answer that names no question or option of the
// quiz is ignored rather than trusted, and weights for subjects the article
// does not declare are ignored too. A server answering many requests for
// one comparison should build its Scorer once with NewScorer instead.
func Recommend(c *compare.Comparison, a Answers) Result {
	return NewScorer(c).Recommend(a)
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

// Scorer is one comparison's quiz in index form: every option's weight for
// every subject in one flat table. Building it walks the article's maps, so
// a server builds it once per comparison and catalog, and each request (and
// the many re-scorings of its flip search) only indexes slices. A Scorer is
// immutable and safe for concurrent use.
type Scorer struct {
	quiz     *compare.Quiz
	subjects []string
	// first[qi] is the row of question qi's first option, and first[len]
	// the number of rows; row r holds weight[r*len(subjects):][:len(subjects)].
	first  []int
	weight []int
	// effect[r] is row r's Effect, made once: every Result that has the
	// answer shares it (and its Subjects), never to be modified.
	effect []Effect
}

// NewScorer prepares c's quiz for scoring. c must not change afterwards,
// which the catalog guarantees.
func NewScorer(c *compare.Comparison) *Scorer {
	n := len(c.Subjects)
	qs := c.Quiz.Questions
	sc := &Scorer{quiz: &c.Quiz, subjects: make([]string, n), first: make([]int, len(qs)+1)}
	for i, s := range c.Subjects {
		sc.subjects[i] = s.Key
	}
	rows := 0
	for qi, q := range qs {
		sc.first[qi] = rows
		rows += len(q.Options)
	}
	sc.first[len(qs)] = rows
	sc.weight = make([]int, rows*n)
	for qi, q := range qs {
		for oi, o := range q.Options {
			w := sc.row(qi, oi)
			for si, key := range sc.subjects {
				w[si] = max(o.Favors[key], 0)
			}
		}
	}
	subs := make([]SubjectEffect, rows*n)
	sc.effect = make([]Effect, 0, rows)
	for qi, q := range qs {
		for oi := range q.Options {
			sc.effect = append(sc.effect, sc.newEffect(qi, oi, &subs))
		}
	}
	return sc
}

// row is the weights option oi of question qi gives, one per subject.
func (sc *Scorer) row(qi, oi int) []int {
	n := len(sc.subjects)
	i := (sc.first[qi] + oi) * n
	return sc.weight[i : i+n : i+n]
}

// options is how many options question qi has.
func (sc *Scorer) options(qi int) int { return sc.first[qi+1] - sc.first[qi] }

// Recommend scores answers as the package-level Recommend does.
func (sc *Scorer) Recommend(a Answers) Result {
	res := sc.RecommendPage(a)
	res.Reasons = sc.reasons(sc.choices(a))
	return res
}

// RecommendPage is Recommend without Result.Reasons, the flat list only
// the JSON API gives: a result page and its card show Effects.
func (sc *Scorer) RecommendPage(a Answers) Result {
	choice := sc.choices(a)
	points := make([]int, len(sc.subjects))
	for qi, oi := range choice {
		if oi >= 0 {
			sc.shift(points, qi, -1, oi)
		}
	}
	w, margin := winnerIndex(points)
	winner := ""
	if w >= 0 {
		winner = sc.subjects[w]
	}
	res := Result{
		Winner:     winner,
		Scores:     make([]Score, len(sc.subjects)),
		Confidence: confidence(winner, margin, sum(points)),
		Effects:    sc.effects(choice),
		Flips:      sc.flips(choice, points, w),
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

// choices maps answers to option indexes in quiz order; -1 is unanswered.
func (sc *Scorer) choices(a Answers) []int {
	ch := make([]int, len(sc.quiz.Questions))
	for qi := range sc.quiz.Questions {
		q := &sc.quiz.Questions[qi]
		ch[qi] = -1
		key, ok := a[q.Key]
		if !ok {
			continue
		}
		for oi := range q.Options {
			if q.Options[oi].Key == key {
				ch[qi] = oi
				break
			}
		}
	}
	return ch
}

// winnerIndex returns the subject with the most points and its lead over
// the runner-up (its points when it is alone), or -1 when two or more share
// the top or there are no subjects.
func winnerIndex(points []int) (int, int) {
	best, second := -1, -1
	for i, p := range points {
		switch {
		case best < 0 || p > points[best]:
			best, second = i, best
		case second < 0 || p > points[second]:
			second = i
		}
	}
	switch {
	case best < 0:
		return -1, 0
	case second < 0:
		return best, points[best]
	case points[best] == points[second]:
		return -1, 0
	}
	return best, points[best] - points[second]
}

func (sc *Scorer) reasons(choice []int) []Reason {
	// Count first, so the reasons and their citations take one
	// allocation each however many answers there are.
	nr, nc := 0, 0
	for qi, oi := range choice {
		if oi < 0 {
			continue
		}
		for si, w := range sc.row(qi, oi) {
			if w > 0 {
				nr++
				_, cs := sc.quiz.Questions[qi].Options[oi].WhyFor(sc.subjects[si])
				nc += len(cs)
			}
		}
	}
	if nr == 0 {
		return nil
	}
	rs := make([]Reason, 0, nr)
	cites := make([]string, 0, nc)
	for qi, oi := range choice {
		if oi < 0 {
			continue
		}
		q := &sc.quiz.Questions[qi]
		o := &q.Options[oi]
		for si, w := range sc.row(qi, oi) {
			if w <= 0 {
				continue
			}
			// Each reason gets its own copy of the citations (capacity
			// capped, so appending to one cannot reach the next), nil
			// when the option has none, as slices.Clone would give.
			why, ocs := o.WhyFor(sc.subjects[si])
			var cs []string
			if ocs != nil {
				start := len(cites)
				cites = append(cites, ocs...)
				cs = cites[start:len(cites):len(cites)]
			}
			rs = append(rs, Reason{
				Question: q.Key,
				Answer:   o.Key,
				Subject:  sc.subjects[si],
				Weight:   w,
				Why:      why,
				Section:  o.Section,
				Cites:    cs,
			})
		}
	}
	// Built in quiz order, then subject order; a stable sort on weight
	// keeps that order among equal weights.
	slices.SortStableFunc(rs, func(a, b Reason) int { return cmp.Compare(b.Weight, a.Weight) })
	return rs
}

// effects explains every answered question, strongest first (quiz order
// among equals). Each Effect is the Scorer's own, made once (its Subjects
// and the article's citations shared): never to be modified.
func (sc *Scorer) effects(choice []int) []Effect {
	answered := 0
	for _, oi := range choice {
		if oi >= 0 {
			answered++
		}
	}
	if answered == 0 {
		return nil
	}
	es := make([]Effect, 0, answered)
	for qi, oi := range choice {
		if oi >= 0 {
			es = append(es, sc.effect[sc.first[qi]+oi])
		}
	}
	slices.SortStableFunc(es, func(a, b Effect) int { return cmp.Compare(b.Top, a.Top) })
	return es
}

// newEffect is what option oi of question qi does for every subject, its
// SubjectEffects taken from the front of *subs.
func (sc *Scorer) newEffect(qi, oi int, subs *[]SubjectEffect) Effect {
	n := len(sc.subjects)
	q := &sc.quiz.Questions[qi]
	o := &q.Options[oi]
	e := Effect{Question: q.Key, Answer: o.Key, Section: o.Section, Subjects: (*subs)[:n:n]}
	*subs = (*subs)[n:]
	if len(o.Fits) == 0 {
		e.Why, e.Cites = o.Why, o.Cites
	}
	for si, w := range sc.row(qi, oi) {
		se := SubjectEffect{Subject: sc.subjects[si], Points: w}
		if f, ok := o.Fits[sc.subjects[si]]; ok {
			se.None, se.Why, se.Cites = f.None, f.Why, f.Cites
		}
		e.Subjects[si] = se
		e.Top = max(e.Top, w)
	}
	return e
}

// OptionEffects is the Effect of every option of every question, in quiz
// order: an answer's Effect is the same in every Result that has it, so a
// page can prepare each one once. The Effects are shared, never to be
// modified.
func (sc *Scorer) OptionEffects() []Effect { return sc.effect }

// shift moves question qi's contribution from option from to option to
// (either may be -1, unanswered).
func (sc *Scorer) shift(points []int, qi, from, to int) {
	if from >= 0 {
		for si, w := range sc.row(qi, from) {
			points[si] -= w
		}
	}
	if to >= 0 {
		for si, w := range sc.row(qi, to) {
			points[si] += w
		}
	}
}

// flipCandidate is one set of changes after which another subject wins,
// with what the flips are ranked by. q and o hold the changed questions (in
// quiz order) and their new options; only the first size entries count.
type flipCandidate struct {
	margin int // the new winner's lead after the changes
	winner int
	q, o   [MaxFlipChanges]int
}

// before orders candidates: widest lead first, then quiz order of the
// (question, option) pairs changed.
func (c *flipCandidate) before(d *flipCandidate, size int) int {
	if r := cmp.Compare(d.margin, c.margin); r != 0 {
		return r
	}
	for i := range size {
		if r := cmp.Or(cmp.Compare(c.q[i], d.q[i]), cmp.Compare(c.o[i], d.o[i])); r != 0 {
			return r
		}
	}
	return 0
}

// unreachable is the bound of a question range in which no change can be
// made; far below any real gain, and small enough not to overflow when
// multiplied by MaxFlipChanges.
const unreachable = math.MinInt32 / 4

// flipSearch is the state of one flip search, so the recursion neither
// allocates nor captures.
type flipSearch struct {
	sc     *Scorer
	choice []int
	points []int // scratch: base points with the current changes applied
	winner int   // index of the current winner, -1 on a tie
	size   int
	cur    flipCandidate
	found  []flipCandidate
	// gain[(from*n+s)*n+t] is the most one change to a question from on
	// can raise subject s's points relative to subject t's.
	gain []int
}

// flips finds the smallest sets of answer changes, up to MaxFlipChanges,
// after which a different subject wins (or, from a tie, any subject wins).
// For each set of questions and each new winner only the option combination
// with the widest resulting lead is kept, so the few flips shown are
// distinct ways to change the outcome. They are ordered by that lead,
// widest first, then by quiz order, and at most MaxFlips are returned.
//
// The search skips every branch where no subject can come out on top: the
// remaining changes can raise a subject over another by at most the sum of
// their best relative gains, which gain bounds. Skipping changes nothing
// found, only how much is tried.
func (sc *Scorer) flips(choice, base []int, winner int) []Flip {
	n := len(sc.subjects)
	if n < 2 {
		return nil
	}
	fs := &flipSearch{sc: sc, choice: choice, points: slices.Clone(base), winner: winner}
	fs.bound()
	for size := 1; size <= MaxFlipChanges; size++ {
		fs.size = size
		fs.found = fs.found[:0]
		fs.search(0, 0)
		if len(fs.found) > 0 {
			return fs.pick()
		}
	}
	return nil
}

// bound fills gain from the last question backwards.
func (fs *flipSearch) bound() {
	sc, n := fs.sc, len(fs.sc.subjects)
	nq := len(fs.choice)
	fs.gain = make([]int, (nq+1)*n*n)
	g := fs.gain
	for i := range g[nq*n*n:] {
		g[nq*n*n+i] = unreachable
	}
	zero := make([]int, n)
	for qi := nq - 1; qi >= 0; qi-- {
		here, next := g[qi*n*n:(qi+1)*n*n], g[(qi+1)*n*n:(qi+2)*n*n]
		copy(here, next)
		cur := zero
		if fs.choice[qi] >= 0 {
			cur = sc.row(qi, fs.choice[qi])
		}
		for oi := range sc.options(qi) {
			if oi == fs.choice[qi] {
				continue
			}
			w := sc.row(qi, oi)
			for s := range n {
				for t := range n {
					if d := (w[s] - w[t]) - (cur[s] - cur[t]); d > here[s*n+t] {
						here[s*n+t] = d
					}
				}
			}
		}
	}
}

// reachable reports whether r more changes to questions from on could
// leave some subject other than the current winner strictly ahead of all
// the others.
func (fs *flipSearch) reachable(from, r int) bool {
	n := len(fs.points)
	g := fs.gain[from*n*n : (from+1)*n*n]
	for s := range n {
		if s == fs.winner {
			continue
		}
		ahead := true
		for t := range n {
			if t != s && fs.points[s]-fs.points[t]+r*g[s*n+t] <= 0 {
				ahead = false
				break
			}
		}
		if ahead {
			return true
		}
	}
	return false
}

// search tries every way to make the remaining size-depth changes on
// questions from on, recording each that gives another winner.
func (fs *flipSearch) search(depth, from int) {
	if depth == fs.size {
		if w, m := winnerIndex(fs.points); w >= 0 && w != fs.winner {
			c := fs.cur
			c.margin, c.winner = m, w
			fs.found = append(fs.found, c)
		}
		return
	}
	if !fs.reachable(from, fs.size-depth) {
		return
	}
	sc := fs.sc
	for qi := from; qi < len(fs.choice); qi++ {
		cur := fs.choice[qi]
		for oi := range sc.options(qi) {
			if oi == cur {
				continue
			}
			sc.shift(fs.points, qi, cur, oi)
			fs.cur.q[depth], fs.cur.o[depth] = qi, oi
			fs.search(depth+1, qi+1)
			sc.shift(fs.points, qi, oi, cur)
		}
	}
}

// pick keeps the best candidate of each (questions, winner) group, since
// in sorted order a group's best comes first, and turns the first
// MaxFlips of those into Flips.
func (fs *flipSearch) pick() []Flip {
	size := fs.size
	slices.SortFunc(fs.found, func(a, b flipCandidate) int { return a.before(&b, size) })
	var picked [MaxFlips]*flipCandidate
	np := 0
	for i := range fs.found {
		if np == MaxFlips {
			break
		}
		c := &fs.found[i]
		dup := false
		for _, p := range picked[:np] {
			if p.winner == c.winner && p.q == c.q {
				dup = true
				break
			}
		}
		if !dup {
			picked[np] = c
			np++
		}
	}
	out := make([]Flip, np)
	changes := make([]Change, np*size)
	for i, c := range picked[:np] {
		chs := changes[i*size : (i+1)*size : (i+1)*size]
		for j := range size {
			qi := c.q[j]
			q := &fs.sc.quiz.Questions[qi]
			from := ""
			if fs.choice[qi] >= 0 {
				from = q.Options[fs.choice[qi]].Key
			}
			chs[j] = Change{Question: q.Key, From: from, To: q.Options[c.o[j]].Key}
		}
		out[i] = Flip{Changes: chs, Winner: fs.sc.subjects[c.winner]}
	}
	return out
}
