package recommend

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
)

// Kind is what a result says, in the few cases its words distinguish.
type Kind string

const (
	KindNoAnswers Kind = "no-answers" // nothing answered yet
	KindEven      Kind = "even"       // answers given, but none gave any subject points
	KindTie       Kind = "tie"        // two or more subjects share the most points
	KindClose     Kind = "close"      // one leads, but others are within the close thresholds
	KindLeaning   Kind = "leaning"
	KindClear     Kind = "clear"
)

// Summary is a result in words, right for any number of subjects. The
// result page, its preview card, the JSON API and the questionnaire's
// live meter all say what Describe says (static/quiz.js repeats these
// rules, and a test holds the two to the same words).
type Summary struct {
	Kind Kind
	// Leaders are the subjects with the most points, in subject order:
	// one, or several on a tie; none when no subject has points.
	Leaders []string
	// Near are the subjects other than the leader that are close to it:
	// each within CloseMargin points or CloseGap of all points of the
	// leader, the rule Confidence applies to the runner-up. Only for a
	// close call; the leader is Leaders[0].
	Near []string
	// Tiers are the subjects grouped by equal points, most points first,
	// each group in subject order.
	Tiers [][]string
	// Headline is the result in one line: "Django fits this project
	// (62%)", "Close call: Django just ahead of Flask", "Django and Flask
	// tie for the lead", "No answers yet".
	Headline string
	// Standing places every subject: "Django leads; Flask and FastAPI tie
	// behind it".
	Standing string
	// Detail says how sure the result is and what that means for the
	// reader's choice.
	Detail string
}

// Even reports whether no subject has points, so shares mean nothing: a
// page should say so rather than show 34/33/33.
func (s Summary) Even() bool { return s.Kind == KindNoAnswers || s.Kind == KindEven }

// Describe puts res into words. names gives each subject's display name
// by key; a key it lacks is shown as itself.
func Describe(res Result, names map[string]string) Summary {
	name := func(k string) string { return cmp.Or(names[k], k) }
	join := func(keys []string, last string) string {
		ns := make([]string, len(keys))
		for i, k := range keys {
			ns[i] = name(k)
		}
		return JoinNames(ns, last)
	}
	list := func(keys []string) string { return join(keys, " and ") }
	s := Summary{Tiers: tiers(res.Scores)}
	total := 0
	for _, sc := range res.Scores {
		total += max(sc.Points, 0)
	}
	all := list(keys(res.Scores))
	switch {
	case res.Answered == 0:
		s.Kind = KindNoAnswers
		s.Headline = "No answers yet"
		s.Standing = all + " are even."
		s.Detail = "Answer any question to see which fits your project."
		return s
	case total == 0:
		s.Kind = KindEven
		s.Headline = "No subject has points yet"
		s.Standing = all + " are even."
		s.Detail = "None of your answers gives points to " + join(keys(res.Scores), " or ") + ", so they are even."
		return s
	}
	s.Leaders = s.Tiers[0]
	s.Standing = standing(s.Tiers, list)
	switch {
	case len(s.Leaders) > 1:
		s.Kind = KindTie
		if len(s.Tiers) == 1 {
			s.Headline = list(s.Leaders) + " tie"
		} else {
			s.Headline = list(s.Leaders) + " tie for the lead"
		}
		s.Detail = "Tied: " + list(s.Leaders) + " have the same points, so your answers do not decide between them."
	case res.Confidence == Close:
		s.Kind = KindClose
		lead := points(res.Scores, s.Leaders[0])
		for _, sc := range res.Scores {
			if sc.Subject != s.Leaders[0] && closeTo(lead, sc.Points, total) {
				s.Near = append(s.Near, sc.Subject)
			}
		}
		s.Headline = "Close call: " + name(s.Leaders[0]) + " just ahead of " + list(s.Near)
		s.Detail = "Close: " + name(s.Leaders[0]) + " leads, but " + list(s.Near) + " " + plural(len(s.Near), "is", "are") + " near enough to serve as well."
	default:
		s.Kind = KindLeaning
		if res.Confidence == Clear {
			s.Kind = KindClear
		}
		s.Headline = fmt.Sprintf("%s fits this project (%d%%)", name(s.Leaders[0]), percent(res.Scores, s.Leaders[0]))
		if s.Kind == KindClear {
			s.Detail = "Clear: your answers point to " + name(s.Leaders[0]) + "."
		} else {
			next := s.Tiers[1]
			s.Detail = "Leaning: " + name(s.Leaders[0]) + " fits better, but " + list(next) + " " +
				plural(len(next), "is a reasonable choice", "are reasonable choices") + " too."
		}
	}
	return s
}

// closeTo is Confidence's close rule between a leader with lead points and
// a subject with p, out of total points given.
func closeTo(lead, p, total int) bool {
	m := lead - p
	return m < CloseMargin || float64(m)/float64(total) < CloseGap
}

// standing places every tier: "Django leads; Flask and FastAPI tie behind
// it", "Django leads, then Flask, then FastAPI", "Django and Flask tie".
func standing(ts [][]string, list func([]string) string) string {
	lead := ts[0]
	var b strings.Builder
	b.WriteString(list(lead))
	switch {
	case len(ts) == 1:
		b.WriteString(" tie.")
		return b.String()
	case len(lead) == 1:
		b.WriteString(" leads")
	default:
		b.WriteString(" tie for the lead")
	}
	if len(ts) == 2 {
		b.WriteString("; ")
		b.WriteString(list(ts[1]))
		b.WriteString(plural(len(ts[1]), " is behind ", " tie behind "))
		b.WriteString(plural(len(lead), "it.", "them."))
		return b.String()
	}
	for _, t := range ts[1:] {
		b.WriteString(", then ")
		b.WriteString(list(t))
		if len(t) > 1 {
			b.WriteString(" (tied)")
		}
	}
	b.WriteString(".")
	return b.String()
}

// tiers groups subjects by equal points, most first, each group in
// subject order.
func tiers(scores []Score) [][]string {
	order := slices.Clone(scores)
	slices.SortStableFunc(order, func(a, b Score) int { return cmp.Compare(b.Points, a.Points) })
	var out [][]string
	for i, sc := range order {
		if i == 0 || sc.Points != order[i-1].Points {
			out = append(out, nil)
		}
		out[len(out)-1] = append(out[len(out)-1], sc.Subject)
	}
	return out
}

func keys(scores []Score) []string {
	out := make([]string, len(scores))
	for i, sc := range scores {
		out[i] = sc.Subject
	}
	return out
}

func points(scores []Score, key string) int {
	for _, sc := range scores {
		if sc.Subject == key {
			return sc.Points
		}
	}
	return 0
}

func percent(scores []Score, key string) int {
	for _, sc := range scores {
		if sc.Subject == key {
			return sc.Percent
		}
	}
	return 0
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// JoinNames joins names the way a sentence does, with last before the
// final one: "a", "a and b", "a, b and c".
func JoinNames(names []string, last string) string {
	switch len(names) {
	case 0:
		return ""
	case 1:
		return names[0]
	}
	return strings.Join(names[:len(names)-1], ", ") + last + names[len(names)-1]
}
