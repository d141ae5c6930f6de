package scrape

import (
	"regexp"
	"runtime"
	"runtime/debug"
	"slices"
	"strings"
	"testing"
	"time"
)

// TestEachMatchEqualsFindAll: eachMatch yields exactly FindAll's matches,
// empty ones and multi-byte runes included, for context-free patterns and
// for those that fall back.
func TestEachMatchEqualsFindAll(t *testing.T) {
	texts := []string{"", "a", "abc abc", "bbb a bb", "naïve café – 5 €, 12 34", "x\nfoo1\nfoo22 foo\n", "aaaa"}
	patterns := []string{`a*`, `b*`, `\d*`, `\d+`, `.`, `(\w+)@?`, `x|`, `(a)|b`, `é?`, `(?m)^foo(\d*)`, `\bfoo\b`, `\Bo`, `^a`, `a$`, `(?s).*`, `()`}
	for _, p := range patterns {
		re := regexp.MustCompile(p)
		for _, text := range texts {
			want := re.FindAllStringSubmatchIndex(text, -1)
			var got [][]int
			eachMatch(re, text, func(idx []int) { got = append(got, slices.Clone(idx)) })
			if !slices.EqualFunc(got, want, slices.Equal[[]int]) {
				t.Errorf("%q on %q: eachMatch %v, FindAll %v", p, text, got, want)
			}
		}
	}
	if planFor(regexp.MustCompile(`\bx`)).contextFree || !planFor(regexp.MustCompile(`x$`)).contextFree {
		t.Error("contextFree misjudges \\b or $")
	}
}

// TestRegexRuleMatchingEverywhereStaysSmall: a rule that matches at every
// byte of a large page does not hold all its matches at once (FindAll took
// about 75 bytes per byte of page; this takes about 5).
func TestRegexRuleMatchingEverywhereStaysSmall(t *testing.T) {
	const size = 512 << 10
	ex, err := newExtractor([]Rule{{Name: "x", Kind: RegexRule, Pattern: `b*`}})
	if err != nil {
		t.Fatal(err)
	}
	page := pageData{URL: "http://example.test/", ContentType: "text/html", Body: []byte("<p>" + strings.Repeat("a", size))}
	// Collect garbage early, so the peak heap measures what extraction
	// holds, not what it has dropped.
	defer debug.SetGCPercent(debug.SetGCPercent(10))
	var peak uint64
	stop := make(chan struct{})
	done := make(chan struct{})
	go func() { // sample the heap while extraction runs
		defer close(done)
		var ms runtime.MemStats
		for {
			runtime.ReadMemStats(&ms)
			peak = max(peak, ms.HeapAlloc)
			select {
			case <-stop:
				return
			default:
				time.Sleep(time.Millisecond)
			}
		}
	}()
	var before runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	out := ex.Extract(page)
	close(stop)
	<-done
	if len(out.Matches["x"]) != 0 {
		t.Errorf("matches %q, want none (only empty matches)", out.Matches["x"])
	}
	grew := int64(peak) - int64(before.HeapAlloc)
	t.Logf("heap grew by %d KiB extracting a %d KiB page", grew>>10, size>>10)
	if grew > 20*size {
		t.Errorf("heap grew by %d KiB extracting a %d KiB page", grew>>10, size>>10)
	}
}
