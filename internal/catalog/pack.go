package catalog

import (
	"strings"
	"sync"

	"github.com/versus-dev/versus/internal/compare"
)

// packBatch is how many summaries packer copies at a time.
const packBatch = 128

// packer copies the summaries of parsed articles, packBatch at a time,
// into a few large allocations: one string for their text, one array each
// for the comparisons, their subjects and their tags. Each summary is
// first made while its article is parsed, among the parse's garbage; the
// collector frees that garbage but not the memory pages a summary still
// holds, so scattered summaries left the index at twice its live size in
// memory (44 MiB live in 83 MiB of heap spans at 20,000 articles). The
// packed copies sit together, and the scattered ones are garbage.
type packer struct {
	mu      sync.Mutex
	results []parseResult
	pending []int // indexes into results whose summaries are not packed yet
}

// add queues results[i], whose parse has finished.
func (p *packer) add(i int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.results[i].c == nil {
		return
	}
	p.pending = append(p.pending, i)
	if len(p.pending) == packBatch {
		p.pack()
	}
}

// flush packs what is still queued, once every parse has finished.
func (p *packer) flush() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.pack()
}

func (p *packer) pack() {
	if len(p.pending) == 0 {
		return
	}
	var text strings.Builder
	nTags, nSubjects := 0, 0
	add := func(s string) { text.WriteString(s) }
	each := func(c *compare.Comparison, f func(string)) {
		f(c.File)
		f(c.Slug)
		f(c.Title)
		f(c.Description)
		for _, t := range c.Tags {
			f(t)
		}
		for _, s := range c.Subjects {
			f(s.Key)
			f(s.Name)
		}
	}
	size := 0
	for _, i := range p.pending {
		c := p.results[i].c
		each(c, func(s string) { size += len(s) })
		nTags += len(c.Tags)
		nSubjects += len(c.Subjects)
	}
	text.Grow(size)
	for _, i := range p.pending {
		each(p.results[i].c, add)
	}
	all, off := text.String(), 0
	next := func(s string) string {
		off += len(s)
		return all[off-len(s) : off]
	}
	comps := make([]compare.Comparison, len(p.pending))
	tags := make([]string, nTags)
	subjects := make([]compare.Subject, nSubjects)
	for k, i := range p.pending {
		c, out := p.results[i].c, &comps[k]
		*out = compare.Comparison{
			File: next(c.File), Slug: next(c.Slug), Title: next(c.Title), Description: next(c.Description),
			Reviewed: c.Reviewed, Draft: c.Draft,
		}
		out.Tags, tags = tags[:len(c.Tags):len(c.Tags)], tags[len(c.Tags):]
		for j, t := range c.Tags {
			out.Tags[j] = next(t)
		}
		out.Subjects, subjects = subjects[:len(c.Subjects):len(c.Subjects)], subjects[len(c.Subjects):]
		for j, s := range c.Subjects {
			out.Subjects[j] = compare.Subject{Key: next(s.Key), Name: next(s.Name), Line: s.Line}
		}
		p.results[i].c = out
	}
	p.pending = p.pending[:0]
}
