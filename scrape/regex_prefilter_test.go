package scrape

import (
	"math/rand/v2"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// checkEachMatch fails t unless eachMatch yields exactly FindAll's
// submatch indexes for pattern on text, and so does the prefilter where
// eachMatch leaves the filtering to the engine's literal prefix.
func checkEachMatch(t *testing.T, re *regexp.Regexp, text string) {
	t.Helper()
	want := re.FindAllStringSubmatchIndex(text, -1)
	p := planFor(re)
	forced := *p
	forced.enginePrefix = false
	for _, plan := range []*regexPlan{p, &forced} {
		var got [][]int
		matchPlanned(re, plan, text, func(idx []int) { got = append(got, slices.Clone(idx)) })
		if !slices.EqualFunc(got, want, slices.Equal[[]int]) {
			t.Fatalf("%q on %q (literals %q, lines %v, engine prefix %v): eachMatch %v, FindAll %v",
				re, text, plan.lits, plan.lines, plan.enginePrefix, got, want)
		}
	}
	if p.enginePrefix {
		return
	}
	var got [][]int
	eachMatch(re, text, func(idx []int) { got = append(got, slices.Clone(idx)) })
	if !slices.EqualFunc(got, want, slices.Equal[[]int]) {
		t.Fatalf("%q on %q: eachMatch %v, FindAll %v", re, text, got, want)
	}
}

// TestRegexPlan: the literals and line mode derived for typical patterns;
// lits nil means no prefilter.
func TestRegexPlan(t *testing.T) {
	for _, c := range []struct {
		pattern string
		lits    []string
		lines   bool
	}{
		{`[a-z0-9.]+@example\.test`, []string{"@example.test"}, true},
		{`[\w.+-]+@[\w-]+\.[\w.]+`, []string{"@"}, true},
		{`(?i)k`, []string{"K", "k", "\u212a"}, true},
		{`(?i)x@Y`, []string{"X@Y", "X@y", "x@Y", "x@y"}, true},
		{`foo|bar`, []string{"bar", "foo"}, true},
		{`ab?c`, []string{"abc", "ac"}, true},
		{`[@＠]x*`, []string{"@", "＠"}, true},
		{`(?m)^foo$`, []string{"foo"}, true},
		{`\bfoo\b`, []string{"foo"}, true},
		{`a\Sb`, []string{"b"}, true},
		{`a[^\n]b`, []string{"b"}, true},
		{`^foo`, []string{"foo"}, false},
		{`foo$`, []string{"foo"}, false},
		{`\Afoo|bar`, []string{"bar", "foo"}, false},
		{`(?s)a.b`, []string{"b"}, false},
		{`a[^x]b`, []string{"b"}, false},
		{`a\sb`, []string{"a\tb", "a\nb", "a\fb", "a\rb", "a b"}, false},
		{`foo|\d`, []string{"0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "foo"}, true},
		{`a\nb`, []string{"a\nb"}, false},
		{`\w+`, nil, false},
		{`x*`, nil, false},
		{`foo|\w`, nil, false},
		{`(foo)?`, nil, false},
		{`\x{FFFD}`, nil, false},
	} {
		p := makePlan(regexp.MustCompile(c.pattern))
		if !slices.Equal(p.lits, c.lits) || p.lines != c.lines {
			t.Errorf("%q: literals %q lines %v, want %q %v", c.pattern, p.lits, p.lines, c.lits, c.lines)
		}
	}
	for pattern, want := range map[string]bool{`\$(\d+\.\d\d)`: true, `foo|bar`: false, `a.*@`: false, `[a-z]+@x`: false} {
		if got := makePlan(regexp.MustCompile(pattern)).enginePrefix; got != want {
			t.Errorf("%q: leaves filtering to the engine's prefix %v, want %v", pattern, got, want)
		}
	}
}

// TestEachMatchPrefilterEdges: the cases where a window boundary meets an
// anchor, case folding, an empty match or invalid UTF-8.
func TestEachMatchPrefilterEdges(t *testing.T) {
	texts := []string{"", "@", "a@b\n@c", "\n\n@\n", "x@y\nx@y", "foo\nfoo", "\nfoo\n", "xfoo foo\nfoox",
		"K\u212ak", "a\nb a b a\tb", "\xff@\xfe\n\xe2@", "@\xe2\x82\n@", "ab\nb ab", "é@é\n@"}
	patterns := []string{`@`, `\b@`, `@\b`, `\B@\B`, `(?m)^@`, `(?m)@$`, `(?m)^$|@`, `^@`, `@$`, `(?i)k+`,
		`\bfoo\b`, `(?m)^foo$`, `foo\b|\bfoo`, `[^@]*@[^@]*`, `[^\n@]*@[^\n]*`, `a\sb`, `a\Sb`, `(a)?b`,
		`(?s).@.`, `.@.`, `\x{FFFD}@`, `[\x{FFFD}@]`, `(\w*)@(\w*)`, `é@`, `(?:a|ab)(?:b|)`}
	for _, p := range patterns {
		re := regexp.MustCompile(p)
		for _, text := range texts {
			checkEachMatch(t, re, text)
		}
	}
}

// TestEachMatchPrefilterProperty compares eachMatch with FindAll on random
// patterns from a small grammar (literals, classes, alternation,
// repetition, anchors, flags) over random texts made of the same pieces
// and newlines. The plan must actually prefilter many of them, or the
// comparison would prove little.
func TestEachMatchPrefilterProperty(t *testing.T) {
	rng := rand.New(rand.NewPCG(13, 2026))
	n := 3000
	if testing.Short() {
		n = 300
	}
	var prefiltered, windowed int
	for range n {
		pattern := randomPattern(rng, 3)
		re, err := regexp.Compile(pattern)
		if err != nil {
			continue
		}
		p := planFor(re)
		if p.lits != nil {
			prefiltered++
		}
		if p.lines {
			windowed++
		}
		for range 8 {
			checkEachMatch(t, re, randomText(rng))
		}
	}
	t.Logf("%d patterns: %d prefiltered, %d matched by line", n, prefiltered, windowed)
	if prefiltered < n/5 || windowed < n/10 {
		t.Errorf("only %d of %d patterns prefiltered and %d windowed: the grammar no longer exercises the prefilter", prefiltered, n, windowed)
	}
}

var (
	patternAtoms = []string{`a`, `b`, `@`, `x`, `é`, `k`, `K`, `\n`, `\.`, `.`, `[ab]`, `[^a]`, `[^\n]`, `[a-c]`,
		`\s`, `\S`, `\d`, `\w`, `[@x]`, `[[:alpha:]]`, `(?s:.)`, `\D`, `\x{FFFD}`, `ab@`, `(?i:k)`, `\pL`}
	patternAnchors = []string{`^`, `$`, `\b`, `\B`, `\A`, `\z`}
	patternFlags   = []string{`i`, `s`, `m`, `-s`, `im`, `ms`, `U`}
	textPieces     = []string{"a", "b", "@", "x", "é", "K", "k", "\u212a", "\n", "\n", " ", "ab@x", "\xff", "1", ".", "\t", "ab"}
)

// randomPattern returns a pattern from a grammar of literals, classes,
// concatenation, alternation, groups, repetitions, anchors and flags.
func randomPattern(rng *rand.Rand, depth int) string {
	if depth == 0 {
		if rng.IntN(5) == 0 {
			return patternAnchors[rng.IntN(len(patternAnchors))]
		}
		return patternAtoms[rng.IntN(len(patternAtoms))]
	}
	sub := func() string { return randomPattern(rng, rng.IntN(depth)) }
	switch rng.IntN(10) {
	case 0, 1, 2:
		return sub() + sub() + sub()
	case 3:
		return `(?:` + sub() + `|` + sub() + `)`
	case 4:
		return `(` + sub() + `)`
	case 5:
		return `(?:` + sub() + `)` + []string{`*`, `+`, `?`, `{1,3}`, `{2}`, `*?`, `+?`, `??`}[rng.IntN(8)]
	case 6:
		return `(?` + patternFlags[rng.IntN(len(patternFlags))] + `:` + sub() + `)`
	case 7:
		return `(?` + patternFlags[rng.IntN(len(patternFlags))] + `)` + sub()
	case 8:
		return sub() + `|` + sub()
	}
	return sub()
}

// randomText returns up to 40 pieces: letters, the literals of the
// patterns, newlines, invalid UTF-8.
func randomText(rng *rand.Rand) string {
	var b strings.Builder
	for range rng.IntN(40) {
		b.WriteString(textPieces[rng.IntN(len(textPieces))])
	}
	return b.String()
}

// FuzzRegexPrefilterEquivalence: for any pattern that compiles, eachMatch
// (prefilter and line windows) yields exactly FindAll's matches. Run it
// locally with go test -run '^$' -fuzz FuzzRegexPrefilterEquivalence
// ./scrape; the seed corpus is in testdata/fuzz.
func FuzzRegexPrefilterEquivalence(f *testing.F) {
	f.Add(`[a-z0-9.]+@example\.test`, "<p>mail a.b@example.test\nor c@example.test</p>\n")
	f.Add(`(?m)^x|\bk$`, "x\nk\u212a\nak k")
	f.Add(`(?i)(a[^b])|\s@`, "A\nb @\n@")
	f.Fuzz(func(t *testing.T, pattern, text string) {
		if len(pattern) > 200 || len(text) > 1<<14 {
			return
		}
		re, err := regexp.Compile(pattern)
		if err != nil {
			return
		}
		checkEachMatch(t, re, text)
	})
}

// TestRegexRuleMatchesUnchanged: a regex rule's matches through Extract (the
// first group if any, distinct, in page order) are those FindAllSubmatch
// gives on the decoded page, for the synthetic site's rules and others on
// its pages and on pages with the literals in awkward places.
func TestRegexRuleMatchesUnchanged(t *testing.T) {
	pages := benchPages(t, 30)
	pages = append(pages, "<p>a@example.test\n@example.test b.c@example.test</p><p>$1.00 $2.5 $3.99\n$4.00</p>\n",
		"x@example.test", "\n\n", "K\u212ak\nkK @ @@")
	patterns := []string{`[a-z0-9.]+@example\.test`, `\$(\d+\.\d\d)`, `\b(\w+)@`, `(?i)(k+)|@`, `(?m)^<p>(\w*)`, `([a-z]+)\.test$`, `(?i)HREF="([^"]*)"`}
	for _, pattern := range patterns {
		ex, err := newExtractor([]Rule{{Name: "r", Kind: RegexRule, Pattern: pattern}})
		if err != nil {
			t.Fatal(err)
		}
		re := regexp.MustCompile(pattern)
		for _, text := range pages {
			var want []string
			for _, m := range re.FindAllStringSubmatch(text, -1) {
				if v := m[min(len(m)-1, 1)]; v != "" && !slices.Contains(want, v) {
					want = append(want, v)
				}
			}
			got := ex.Extract(pageData{URL: "http://example.test/", ContentType: "text/html; charset=utf-8", Body: []byte(text)}).Matches["r"]
			if !slices.Equal(got, want) {
				t.Errorf("%q on %q: Extract %q, FindAllSubmatch %q", pattern, text, got, want)
			}
		}
	}
}
