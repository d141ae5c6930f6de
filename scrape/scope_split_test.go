package scrape

import (
	"math/rand/v2"
	"net/url"
	"strings"
	"testing"
)

// checkSplit fails if splitPlainURL takes u and gives other than url.Parse.
func checkSplit(t *testing.T, u string) bool {
	t.Helper()
	host, path, ok := splitPlainURL(u)
	if !ok {
		return false
	}
	pu, err := url.Parse(u)
	if err != nil {
		t.Fatalf("splitPlainURL(%q) = %q, %q; url.Parse fails: %v", u, host, path, err)
	}
	if host != pu.Host || path != pu.Path || hostname(host) != pu.Hostname() {
		t.Fatalf("splitPlainURL(%q) = %q, %q (name %q); url.Parse: %q, %q (name %q)", u, host, path, hostname(host), pu.Host, pu.Path, pu.Hostname())
	}
	return true
}

// TestSplitPlainURL: where splitPlainURL takes a URL, its host, host name
// and path are url.Parse's; it takes the canonical links of a page and
// refuses the rest. Random URLs of the bytes that matter agree too.
func TestSplitPlainURL(t *testing.T) {
	for u, want := range map[string]bool{
		"http://127.0.0.1:8080/page/1": true, "https://example.com/": true, "http://example.com/a.pdf?x=1": true, "http://a-b.c:1/": true,
		"http://example.com?q": true, "http://example.com/?": true, "http://example.com": true,
		"http://[::1]:80/": false, "http://EXAMPLE.com/": false, "http://u@example.com/": false, "http://example.com/%41": false,
		"http://example.com/#f": false, "http://example.com/\x7f": false, "http://example.com:/": false, "http://example.com:8a/": false,
		"ftp://example.com/": false, "http:///a": false, "http://example.com/a?b%zz": true,
	} {
		if got := checkSplit(t, u); got != want {
			t.Errorf("splitPlainURL(%q) took it: %v, want %v", u, got, want)
		}
	}
	const alphabet = "aZ0.-:/?#%@[]\x00 \\é"
	rng := rand.New(rand.NewPCG(13, 4))
	taken := 0
	for range 20000 {
		var b strings.Builder
		b.WriteString([]string{"http://", "https://", "http:/", "HTTP://"}[rng.IntN(4)])
		for n := rng.IntN(14); n > 0; n-- {
			if rng.IntN(2) == 0 {
				b.WriteByte("abc019"[rng.IntN(6)])
			} else {
				b.WriteString(string([]rune(alphabet)[rng.IntN(len([]rune(alphabet)))]))
			}
		}
		if checkSplit(t, b.String()) {
			taken++
		}
	}
	if taken < 1000 {
		t.Errorf("splitPlainURL took only %d of 20000 random URLs", taken)
	}
}

// TestCheckAllocations: judging a plain canonical link costs no
// allocation (url.Parse cost at least one).
func TestCheckAllocations(t *testing.T) {
	f := newLinkFilter(ScopeHost, []string{"http://127.0.0.1:8080/"}, nil, nil)
	for u, want := range map[string]verdict{
		"http://127.0.0.1:8080/page/1": linkFollowed, "http://127.0.0.1:8080/a.pdf": linkBinary, "http://127.0.0.2:8080/": linkOffScope,
	} {
		if got := f.Check(u); got != want {
			t.Errorf("Check(%q) = %v, want %v", u, got, want)
		}
		if n := testing.AllocsPerRun(100, func() { f.Check(u) }); n != 0 {
			t.Errorf("Check(%q): %v allocations", u, n)
		}
	}
}
