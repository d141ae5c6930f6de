package scrape

import (
	"regexp/syntax"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Limits of the required-literal analysis: sets larger than these are
// given up as unknown, which only costs the prefilter, never a match.
const (
	maxLitSet   = 32 // strings in one literal set
	maxLitClass = 16 // runes of a character class spelled out as literals
)

// litInfo is what requiredLiterals knows of one node of a pattern.
type litInfo struct {
	// exact, when exactOK, holds every string the node can match (and
	// maybe more: a superset is sound).
	exact   []string
	exactOK bool
	// req, when reqOK, is a set of which every match of the node contains
	// at least one as a substring (empty: the node never matches).
	req   []string
	reqOK bool
}

// requiredLiterals returns a set of non-empty strings of which every match
// of t (a parsed, simplified pattern) contains at least one, or nil when no
// such set is found (the pattern can match the empty string, or starts with
// something like \w+ and has no literal, or the sets grow too large).
func requiredLiterals(t *syntax.Regexp) []string {
	in := literalInfo(t)
	if !in.reqOK || len(in.req) == 0 || slices.Contains(in.req, "") {
		return nil
	}
	return in.req
}

func literalInfo(t *syntax.Regexp) litInfo {
	switch t.Op {
	case syntax.OpNoMatch:
		return exactInfo([]string{})
	case syntax.OpEmptyMatch, syntax.OpBeginLine, syntax.OpEndLine, syntax.OpBeginText,
		syntax.OpEndText, syntax.OpWordBoundary, syntax.OpNoWordBoundary:
		return exactInfo([]string{""})
	case syntax.OpLiteral:
		parts := make([]litInfo, len(t.Rune))
		for i, r := range t.Rune {
			parts[i] = runesInfo(runeVariants(r, t.Flags&syntax.FoldCase != 0))
		}
		return concatInfo(parts)
	case syntax.OpCharClass:
		return runesInfo(classRunes(t.Rune))
	case syntax.OpCapture:
		return literalInfo(t.Sub[0])
	case syntax.OpConcat:
		parts := make([]litInfo, len(t.Sub))
		for i, sub := range t.Sub {
			parts[i] = literalInfo(sub)
		}
		return concatInfo(parts)
	case syntax.OpAlternate:
		return alternateInfo(t.Sub)
	case syntax.OpQuest:
		in := literalInfo(t.Sub[0])
		if in.exactOK {
			return exactInfo(append(slices.Clone(in.exact), ""))
		}
		return litInfo{}
	case syntax.OpPlus: // at least one copy of the operand
		in := literalInfo(t.Sub[0])
		return litInfo{req: in.req, reqOK: in.reqOK}
	case syntax.OpRepeat: // Simplify leaves none, but be safe
		if t.Min >= 1 {
			in := literalInfo(t.Sub[0])
			return litInfo{req: in.req, reqOK: in.reqOK}
		}
	}
	return litInfo{} // OpStar, OpAnyChar, OpAnyCharNotNL, large classes
}

// exactInfo is the info of a node whose language is (within) set; the set
// is also its requirement unless it holds the empty string.
func exactInfo(set []string) litInfo {
	set = normalizeSet(set)
	if len(set) > maxLitSet {
		return litInfo{}
	}
	in := litInfo{exact: set, exactOK: true}
	if !slices.Contains(set, "") {
		in.req, in.reqOK = minimalSet(set), true
	}
	return in
}

// runesInfo is the info of a node matching one of runes (nil: unknown).
func runesInfo(runes []rune) litInfo {
	if runes == nil {
		return litInfo{}
	}
	set := make([]string, len(runes))
	for i, r := range runes {
		set[i] = string(r)
	}
	return exactInfo(set)
}

// runeVariants returns r and, with fold, the runes regexp's case folding
// matches for it; nil for a rune that the byte text cannot be searched for
// (U+FFFD also matches invalid UTF-8, whose bytes differ).
func runeVariants(r rune, fold bool) []rune {
	if !literalSafe(r) {
		return nil
	}
	out := []rune{r}
	if fold {
		for f := unicode.SimpleFold(r); f != r; f = unicode.SimpleFold(f) {
			if !literalSafe(f) {
				return nil
			}
			out = append(out, f)
		}
	}
	return out
}

func literalSafe(r rune) bool {
	return utf8.ValidRune(r) && r != utf8.RuneError
}

// classRunes spells out a character class of at most maxLitClass runes.
func classRunes(ranges []rune) []rune {
	var out []rune
	for i := 0; i+1 < len(ranges); i += 2 {
		lo, hi := ranges[i], ranges[i+1]
		if int(hi-lo)+1 > maxLitClass-len(out) {
			return nil
		}
		for r := lo; r <= hi; r++ {
			if !literalSafe(r) {
				return nil
			}
			out = append(out, r)
		}
	}
	return out
}

// concatInfo combines the infos of a sequence. Any part's requirement holds
// for the whole, and so does the cross product of a run of consecutive parts
// with known languages: the requirement chosen is the cheapest of those.
func concatInfo(parts []litInfo) litInfo {
	exact, exactOK := []string{""}, true
	run := []string{""}
	var cands [][]string
	for _, p := range parts {
		if exactOK {
			exact, exactOK = crossProduct(exact, p.exact, p.exactOK)
		}
		if next, ok := crossProduct(run, p.exact, p.exactOK); ok {
			run = next
		} else {
			cands = append(cands, run)
			run = []string{""}
			if p.exactOK && len(p.exact) <= maxLitSet {
				run = p.exact
			}
		}
		if p.reqOK {
			cands = append(cands, p.req)
		}
	}
	cands = append(cands, run)
	var in litInfo
	if exactOK {
		in = exactInfo(exact)
	}
	if in.reqOK {
		cands = append(cands, in.req)
	}
	in.req, in.reqOK = cheapest(cands)
	return in
}

// crossProduct returns every a+b, or false when b is unknown or the result
// would exceed maxLitSet.
func crossProduct(as, bs []string, bsOK bool) ([]string, bool) {
	if !bsOK || len(as)*len(bs) > maxLitSet {
		return nil, false
	}
	out := make([]string, 0, len(as)*len(bs))
	for _, a := range as {
		for _, b := range bs {
			out = append(out, a+b)
		}
	}
	return normalizeSet(out), true
}

// alternateInfo: a match of an alternation is a match of one branch, so the
// union of the branches' languages, and of their requirements, holds.
func alternateInfo(subs []*syntax.Regexp) litInfo {
	var exact, req []string
	exactOK, reqOK := true, true
	for _, sub := range subs {
		in := literalInfo(sub)
		exactOK = exactOK && in.exactOK
		reqOK = reqOK && in.reqOK
		exact = append(exact, in.exact...)
		req = append(req, in.req...)
	}
	var out litInfo
	if exactOK {
		out = exactInfo(exact)
	}
	if !out.reqOK && reqOK {
		if req = minimalSet(normalizeSet(req)); len(req) <= maxLitSet {
			out.req, out.reqOK = req, true
		}
	}
	return out
}

// cheapest returns the usable candidate (non-empty strings only) the
// prefilter expects to hit least often, or false when there is none. An
// empty candidate (never matches) is not chosen: a full scan finds nothing
// for it anyway.
func cheapest(cands [][]string) ([]string, bool) {
	var best []string
	bestCost := 0.0
	for _, c := range cands {
		if len(c) == 0 || len(c) > maxLitSet || slices.Contains(c, "") {
			continue
		}
		c = minimalSet(c)
		if cost := setCost(c); best == nil || cost < bestCost {
			best, bestCost = c, cost
		}
	}
	return best, best != nil
}

// setCost estimates the work of prefiltering with set: one search pass per
// string plus, for each hit, a regex run over its line.
func setCost(set []string) float64 {
	cost := 0.0
	for _, s := range set {
		hit := 1.0
		for i := 0; i < len(s) && hit > 1e-12; i++ {
			hit *= byteFrequency(s[i])
		}
		cost += 0.01 + 100*hit
	}
	return cost
}

// byteFrequency is a rough share of byte c in HTML pages.
func byteFrequency(c byte) float64 {
	switch {
	case c == ' ' || c == 'e' || c == 't' || c == 'a':
		return 0.08
	case 'a' <= c && c <= 'z':
		return 0.03
	case strings.IndexByte(`<>="/.:-_`+"\n\t", c) >= 0:
		return 0.03
	case 'A' <= c && c <= 'Z', '0' <= c && c <= '9', strings.IndexByte(",;!?()'#&", c) >= 0:
		return 0.01
	case c >= 0x80:
		return 0.005
	}
	return 0.001 // @ $ % ^ ~ | \ ` { } [ ] * + and controls
}

// normalizeSet sorts and deduplicates set.
func normalizeSet(set []string) []string {
	set = slices.Clone(set)
	slices.Sort(set)
	return slices.Compact(set)
}

// minimalSet drops every string that contains another of the set: a match
// containing the longer one contains the shorter.
func minimalSet(set []string) []string {
	var out []string
	for i, s := range set {
		covered := false
		for j, t := range set {
			if i != j && len(t) < len(s) && strings.Contains(s, t) {
				covered = true
				break
			}
		}
		if !covered {
			out = append(out, s)
		}
	}
	return out
}
