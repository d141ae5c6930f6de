package scrape

import (
	"regexp"
	"unicode/utf8"
)

// eachMatch calls fn with the submatch indexes of every match of re in
// text, exactly the matches FindAllStringSubmatchIndex(text, -1) returns,
// but one at a time: FindAll holds all of them at once, and a pattern that
// matches (nearly) everywhere, such as `\d*` or `.`, would need hundreds of
// megabytes for one 10 MiB page. re must come from regexp.Compile.
//
// The regex engine runs only where a match can be (regexPlan): not at all
// on a text without one of the pattern's required literals, and, for a
// pattern that cannot match a newline, only on the lines holding one.
func eachMatch(re *regexp.Regexp, text string, fn func(idx []int)) {
	matchPlanned(re, planFor(re), text, fn)
}

// matchPlanned is eachMatch with re's plan p.
func matchPlanned(re *regexp.Regexp, p *regexPlan, text string, fn func(idx []int)) {
	switch {
	case p.lits == nil, p.enginePrefix:
		matchRange(re, p.contextFree, text, 0, len(text), fn)
	case !p.lines:
		if containsAny(text, p.lits) {
			matchRange(re, p.contextFree, text, 0, len(text), fn)
		}
	default:
		eachWindow(text, p.lits, func(start, end int) {
			matchRange(re, p.contextFree, text, start, end, fn)
		})
	}
}

// matchRange calls fn with the matches of re in text[start:end] as
// indexes into text. A window of whole lines gives the matches FindAll finds
// there in all of text, for a pattern that cannot cross a line and has no
// \A or \z: the text around a line is a newline or nothing, which ^, $
// (with (?m)), \b and \B tell apart no more than the regex engine does.
//
// Matching restarts on the rest of the window after each match, which finds
// the same matches only for a context-free pattern; any other falls back to
// FindAll on the window.
func matchRange(re *regexp.Regexp, contextFree bool, text string, start, end int, fn func(idx []int)) {
	if !contextFree {
		for _, idx := range re.FindAllStringSubmatchIndex(text[start:end], -1) {
			fn(shift(idx, start))
		}
		return
	}
	// The loop of regexp's allMatches: an empty match right after the
	// previous match is skipped, and an empty match moves on by one rune.
	prevEnd := -1
	for pos := start; pos <= end; {
		idx := re.FindStringSubmatchIndex(text[pos:end])
		if idx == nil {
			return
		}
		shift(idx, pos)
		accept := true
		if idx[1] == pos {
			accept = idx[0] != prevEnd
			_, w := utf8.DecodeRuneInString(text[pos:end])
			pos += max(w, 1)
		} else {
			pos = idx[1]
		}
		prevEnd = idx[1]
		if accept {
			fn(idx)
		}
	}
}

// shift adds off to each index that is set and returns idx.
func shift(idx []int, off int) []int {
	for i := range idx {
		if idx[i] >= 0 {
			idx[i] += off
		}
	}
	return idx
}
