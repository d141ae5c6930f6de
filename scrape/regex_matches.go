package scrape

import (
	"regexp"
	"regexp/syntax"
	"unicode/utf8"
)

// eachMatch calls fn with the submatch indexes of every match of re in
// text, exactly the matches FindAllStringSubmatchIndex(text, -1) returns,
// but one at a time: FindAll holds all of them at once, and a pattern that
// matches (nearly) everywhere, such as `\d*` or `.`, would need hundreds of
// megabytes for one 10 MiB page.
//
// Matching restarts on the rest of the text after each match, which finds
// the same matches only for a pattern whose matches do not depend on what
// precedes them; a pattern with ^, \A, \b or \B falls back to FindAll.
func eachMatch(re *regexp.Regexp, text string, fn func(idx []int)) {
	if !contextFree(re) {
		for _, idx := range re.FindAllStringSubmatchIndex(text, -1) {
			fn(idx)
		}
		return
	}
	// The loop of regexp's allMatches: an empty match right after the
	// previous match is skipped, and an empty match moves on by one rune.
	prevEnd := -1
	for pos := 0; pos <= len(text); {
		idx := re.FindStringSubmatchIndex(text[pos:])
		if idx == nil {
			return
		}
		for i := range idx {
			if idx[i] >= 0 {
				idx[i] += pos
			}
		}
		accept := true
		if idx[1] == pos {
			accept = idx[0] != prevEnd
			_, w := utf8.DecodeRuneInString(text[pos:])
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

// contextFree reports whether re has no assertion that looks before the
// position it is tested at (^, \A, \b, \B), so that matching it on a suffix
// of a text finds what matching it on the whole text finds there.
func contextFree(re *regexp.Regexp) bool {
	t, err := syntax.Parse(re.String(), syntax.Perl)
	if err != nil {
		return false
	}
	return !hasStartContext(t)
}

func hasStartContext(t *syntax.Regexp) bool {
	switch t.Op {
	case syntax.OpBeginLine, syntax.OpBeginText, syntax.OpWordBoundary, syntax.OpNoWordBoundary:
		return true
	}
	for _, sub := range t.Sub {
		if hasStartContext(sub) {
			return true
		}
	}
	return false
}
