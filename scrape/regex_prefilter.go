package scrape

import (
	"regexp"
	"regexp/syntax"
	"strings"
	"sync"
	"sync/atomic"
	"unicode"
)

// regexPlan is what eachMatch knows of a pattern before matching, derived
// once from its syntax tree.
type regexPlan struct {
	// contextFree: no assertion looks before the position it is tested at
	// (^, \A, \b, \B), so matching on a suffix of a text finds what
	// matching on the whole text finds there.
	contextFree bool
	// lits: every match contains at least one of these (non-empty); nil:
	// no such set, every text is scanned.
	lits []string
	// lines: no match can contain '\n' and there is no \A or \z, so the
	// matches of a text are those of its lines (runs of lines) that hold a
	// literal, matched on their own.
	lines bool
	// enginePrefix: the regex engine skips to a literal prefix of its own
	// that is as rare as lits, so that eachMatch leaves filtering to it
	// (the windows would cost more than they save).
	enginePrefix bool
}

// plans caches regexPlans by pattern, up to maxPlans patterns (a process
// compiles its rules once; past the bound plans are made per call).
var (
	plans     sync.Map // string → *regexPlan
	planCount atomic.Int64
)

const maxPlans = 1024

// planFor returns the plan of re, which must have been compiled with
// regexp.Compile (Perl syntax, as extraction rules are).
func planFor(re *regexp.Regexp) *regexPlan {
	expr := re.String()
	if v, ok := plans.Load(expr); ok {
		return v.(*regexPlan)
	}
	p := makePlan(re)
	if planCount.Add(1) <= maxPlans {
		plans.Store(expr, p)
	}
	return p
}

func makePlan(re *regexp.Regexp) *regexPlan {
	t, err := syntax.Parse(re.String(), syntax.Perl)
	if err != nil { // cannot happen for a compiled pattern: scan it all
		return &regexPlan{}
	}
	t = t.Simplify()
	p := &regexPlan{contextFree: !hasOp(t, syntax.OpBeginLine, syntax.OpBeginText, syntax.OpWordBoundary, syntax.OpNoWordBoundary)}
	p.lits = requiredLiterals(t)
	p.lines = p.lits != nil && !canMatchNewline(t) && !hasOp(t, syntax.OpBeginText, syntax.OpEndText)
	if prefix, _ := re.LiteralPrefix(); p.lits != nil && prefix != "" {
		p.enginePrefix = setCost([]string{prefix}) <= setCost(p.lits)
	}
	return p
}

// hasOp reports whether t has a node with one of ops.
func hasOp(t *syntax.Regexp, ops ...syntax.Op) bool {
	for _, op := range ops {
		if t.Op == op {
			return true
		}
	}
	for _, sub := range t.Sub {
		if hasOp(sub, ops...) {
			return true
		}
	}
	return false
}

// canMatchNewline reports whether some node of t can consume a '\n': the
// any-character of (?s), a class holding it ([^x], \s, \D, \W, \PL ...), or
// a literal newline. `.` without (?s) and [^\n] cannot.
func canMatchNewline(t *syntax.Regexp) bool {
	switch t.Op {
	case syntax.OpAnyChar:
		return true
	case syntax.OpCharClass:
		for i := 0; i+1 < len(t.Rune); i += 2 {
			if t.Rune[i] <= '\n' && '\n' <= t.Rune[i+1] {
				return true
			}
		}
	case syntax.OpLiteral:
		for _, r := range t.Rune {
			if r == '\n' || (t.Flags&syntax.FoldCase != 0 && foldsTo(r, '\n')) {
				return true
			}
		}
	}
	for _, sub := range t.Sub {
		if canMatchNewline(sub) {
			return true
		}
	}
	return false
}

// foldsTo reports whether case folding takes r to target.
func foldsTo(r, target rune) bool {
	for f := unicode.SimpleFold(r); f != r; f = unicode.SimpleFold(f) {
		if f == target {
			return true
		}
	}
	return false
}

// litFinder finds the next occurrence of any of a plan's literals,
// remembering each literal's next occurrence so that the text is searched
// once per literal as the position moves on.
type litFinder struct {
	lits []string
	next []int // per literal: its first index at or after an earlier from; -1: none left
}

func newLitFinder(lits []string) *litFinder {
	f := &litFinder{lits: lits, next: make([]int, len(lits))}
	for i := range f.next {
		f.next[i] = -2 // not searched yet
	}
	return f
}

// find returns the first index at or after from where a literal starts, or
// -1. Successive calls must not decrease from.
func (f *litFinder) find(text string, from int) int {
	best := -1
	for i, lit := range f.lits {
		n := f.next[i]
		if n != -1 && n < from {
			n = strings.Index(text[from:], lit)
			if n >= 0 {
				n += from
			}
			f.next[i] = n
		}
		if n >= 0 && (best < 0 || n < best) {
			best = n
		}
	}
	return best
}

// mergeGap is how far apart (in bytes) two windows may be and still be
// matched as one: a regex call has a fixed cost worth a few dozen bytes of
// scanning.
const mergeGap = 64

// eachWindow calls fn with the windows of text a lines plan needs matched:
// runs of whole lines ([start, end), end at a '\n' or the end of the text)
// that together hold every line with a literal, in order, disjoint.
func eachWindow(text string, lits []string, fn func(start, end int)) {
	f := newLitFinder(lits)
	for from := 0; from <= len(text); {
		p := f.find(text, from)
		if p < 0 {
			return
		}
		start := strings.LastIndexByte(text[:p], '\n') + 1
		end := lineEnd(text, p)
		for end < len(text) {
			q := f.find(text, end+1)
			if q < 0 || q-end > mergeGap {
				break
			}
			end = lineEnd(text, q)
		}
		fn(start, end)
		from = end + 1
	}
}

// lineEnd returns the index of the first '\n' at or after i, or len(text).
func lineEnd(text string, i int) int {
	if j := strings.IndexByte(text[i:], '\n'); j >= 0 {
		return i + j
	}
	return len(text)
}

// containsAny reports whether text contains one of lits.
func containsAny(text string, lits []string) bool {
	for _, lit := range lits {
		if strings.Contains(text, lit) {
			return true
		}
	}
	return false
}
