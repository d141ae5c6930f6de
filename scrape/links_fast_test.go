package scrape

import (
	"math/rand/v2"
	"net/url"
	"strings"
	"testing"
)

// fastBases are bases of every kind for the fast-path tests: plain ones the
// fast path takes (with a query, a deep or a bare path, a port, an IPv4
// host, an escape) and ones it must leave alone.
var fastBases = []string{
	"http://example.com/a/b/c?q=1",
	"http://127.0.0.1:8080/page/12",
	"https://example.com/",
	"https://example.com/dir/",
	"http://example.com/a/b/c/d/e",
	"http://example.com/a%2Fb/c?x=%7Bz%7D",
	"http://example.com/?",
	"http://example.com",
	"http://example.com:80/a",
	"HTTP://EXAMPLE.COM/a",
	"http://example.com./a",
	"http://example.com/a/../b",
	"http://bücher.example/a",
	"http://example.com/a#frag",
	"mailto:x@example.com",
}

// fastRefs are the links the fast-path tests resolve: plain ones, dot
// segments in every position, queries, fragments, and ones for the
// general path.
var fastRefs = []string{
	"", "#", "#top", "?", "?q=2", "?q=/./x#f", "a", "a/", "a/b?c=d&e", "/", "/x/y", "//other.example/x",
	".", "..", "./", "../", "../..", "../../../../x", "./a/../b", "a/./b/../c", "a/..", "a/.", "...", ".../x", "/..",
	"/a/b/../../..", "x//..", "../page/0", "/#top", "/author/2", "a:b", "http://example.com/x", "%2e%2e/x", "a%20b",
	"a b", "a\\b", "\\\\evil.example/", "a'b", "a\"b", "a<b>", "{x}", "a|b", "é", "a\tb", "?q='x'", "!$&()*+,;=@~_-",
	"?a#b#c", "#%zz", "a#\x00", "javascript:void(0)", "mailto:a@b", "..%2f",
}

// checkFastAgrees fails if the fast path takes ref against base and gives
// other than resolveLink, the resolution it stands in for, or a URL that is
// not canonical; it reports whether the fast path took it. (Where
// resolveLink is the WHATWG parser's answer, FuzzResolveLink checks.)
func checkFastAgrees(t *testing.T, base, ref string) bool {
	t.Helper()
	fb := newFastBase(base)
	got, ok := fb.resolve(ref)
	if !ok {
		return false
	}
	u, err := url.Parse(base)
	if err != nil {
		t.Fatalf("fast path on for base %q, which net/url does not parse: %v", base, err)
	}
	if want, wok := resolveLink(u, ref); !wok || got != want {
		t.Fatalf("base %q, link %q: fast %q; resolveLink %q, %v", base, ref, got, want, wok)
	}
	checkCanonicalFixedPoint(t, ref, got)
	return true
}

// checkOtherScheme fails if otherScheme refuses a link that resolveLink
// (or the WHATWG parser) resolves against base; it reports whether
// otherScheme refused it.
func checkOtherScheme(t *testing.T, base, ref string) bool {
	t.Helper()
	if !otherScheme(ref) {
		return false
	}
	u, err := url.Parse(base)
	if err != nil {
		return true
	}
	if c, ok := resolveLink(u, ref); ok {
		t.Fatalf("base %q, link %q: otherScheme refuses it, resolveLink gives %q", base, ref, c)
	}
	if c, ok := resolveWHATWG(u, ref); ok {
		t.Fatalf("base %q, link %q: otherScheme refuses it, the WHATWG parser gives %q", base, ref, c)
	}
	return true
}

// TestOtherScheme: links of other schemes are refused without a parse, and
// only they: random scheme-like prefixes agree with resolveLink.
func TestOtherScheme(t *testing.T) {
	for ref, want := range map[string]bool{
		"mailto:a@b": true, "javascript:void(0)": true, "JavaScript:x": true, "ftp://x/": true, "tel:+1": true, "a+b-c.d:x": true,
		"http://x/": false, "HTTPS://x/": false, "http:x": false, "/a:b": false, "1a:b": false, ":x": false, "a b:c": false,
		"a\tb:c": false, "": false, "a": false, "a/b:c": false, "h\ttp://x": false,
	} {
		if got := otherScheme(ref); got != want {
			t.Errorf("otherScheme(%q) = %v, want %v", ref, got, want)
		}
		checkOtherScheme(t, fastBases[0], ref)
	}
	const alphabet = "ahHtTpPsS:+-.0/\\ \t%é"
	rng := rand.New(rand.NewPCG(13, 2))
	refused := 0
	for range 20000 {
		var b strings.Builder
		for n := 1 + rng.IntN(8); n > 0; n-- {
			b.WriteString(string([]rune(alphabet)[rng.IntN(len([]rune(alphabet)))]))
		}
		b.WriteString([]string{"", "x", "//h/p", "/p"}[rng.IntN(4)])
		if checkOtherScheme(t, fastBases[rng.IntN(len(fastBases))], b.String()) {
			refused++
		}
	}
	if refused < 500 {
		t.Errorf("otherScheme refused only %d of 20000 random links", refused)
	}
}

// TestFastBaseAgrees: on every base and link above the fast path, when it
// takes the link, gives what resolveLink gives; it takes the plain ones and
// refuses the bases that are not canonical.
func TestFastBaseAgrees(t *testing.T) {
	taken := 0
	for _, b := range fastBases {
		for _, r := range fastRefs {
			if checkFastAgrees(t, b, r) {
				taken++
			}
		}
	}
	if taken < len(fastRefs) {
		t.Errorf("the fast path took only %d of %d links", taken, len(fastBases)*len(fastRefs))
	}
	for _, b := range []string{"http://example.com", "http://example.com:80/a", "HTTP://EXAMPLE.COM/a", "http://example.com./a",
		"http://example.com/a/../b", "http://bücher.example/a", "http://example.com/a#frag", "mailto:x@example.com"} {
		if fb := newFastBase(b); fb.origin != "" {
			t.Errorf("fast path on for the base %q, which is not canonical", b)
		}
	}
	fb := newFastBase("http://127.0.0.1:8080/page/12")
	for ref, want := range map[string]string{
		"../page/0": "http://127.0.0.1:8080/page/0", "/#top": "http://127.0.0.1:8080/", "/author/2": "http://127.0.0.1:8080/author/2",
		"": "http://127.0.0.1:8080/page/12", "?x": "http://127.0.0.1:8080/page/12?x", "a/./b/..": "http://127.0.0.1:8080/page/a/",
	} {
		if got, ok := fb.resolve(ref); !ok || got != want {
			t.Errorf("resolve(%q) = %q, %v; want %q", ref, got, ok, want)
		}
	}
}

// TestFastBaseAgreesRandom: the same over random links of the characters
// that matter (dots, slashes, "?", "#", "%", ":" and others), seeded so a
// failure repeats.
func TestFastBaseAgreesRandom(t *testing.T) {
	const alphabet = "./..?#%:aZ9-_~!$&'()*+,;=@\\ \"é2eE"
	rng := rand.New(rand.NewPCG(13, 1))
	taken := 0
	for range 20000 {
		var b strings.Builder
		for n := rng.IntN(12); n > 0; n-- {
			switch rng.IntN(4) {
			case 0:
				b.WriteString([]string{"/", "./", "../", ".", "..", "?", "#"}[rng.IntN(7)])
			default:
				b.WriteByte(alphabet[rng.IntN(len(alphabet))])
			}
		}
		if checkFastAgrees(t, fastBases[rng.IntN(len(fastBases))], b.String()) {
			taken++
		}
	}
	if taken < 1000 {
		t.Errorf("the fast path took only %d of 20000 random links", taken)
	}
}

// TestPlainCanonical: plainCanonical's answer by sight is the canonical
// form's, on chosen and on random plain URLs.
func TestPlainCanonical(t *testing.T) {
	var counts [2]int // plain URLs found not canonical, canonical
	check := func(u string) {
		t.Helper()
		if !plainURL(u) {
			return
		}
		c, err := canonicalPlain(u, u)
		got, want := plainCanonical(u), err == nil && c == u
		if got != want {
			t.Fatalf("plainCanonical(%q) = %v; canonical form %q, %v", u, got, c, err)
		}
		if got {
			counts[1]++
		} else {
			counts[0]++
		}
	}
	for _, b := range fastBases {
		check(b)
	}
	for _, u := range []string{"http://a/", "http://a", "http://a.:8/x", "http://a:80/", "https://a:80/", "https://a:443/x", "http://a:443/",
		"http://a?x/y", "http://a/x?y#z", "http://a/%41", "http://a/%2F", "http://1.2.3.4:8080/a?b=c&d", "http://a/b?", "http://a/?%7e"} {
		check(u)
	}
	const alphabet = "ab1.:/?#%4F8e0-"
	rng := rand.New(rand.NewPCG(13, 5))
	for range 20000 {
		var b strings.Builder
		b.WriteString([]string{"http://", "https://"}[rng.IntN(2)])
		b.WriteString([]string{"a", "b.c", "1.2.3.4", "a.", "x-y"}[rng.IntN(5)])
		b.WriteString([]string{"", ":80", ":443", ":8080", ":0"}[rng.IntN(5)])
		b.WriteString([]string{"/", "/", ""}[rng.IntN(3)])
		for n := rng.IntN(10); n > 0; n-- {
			b.WriteByte(alphabet[rng.IntN(len(alphabet))])
		}
		check(b.String())
	}
	if counts[0] < 1000 || counts[1] < 1000 {
		t.Errorf("%d plain URLs not canonical, %d canonical: too few of one kind", counts[0], counts[1])
	}
}

// TestFastResolveAllocations: resolving a plain link costs one allocation,
// its result (resolveLink took 8 to 10 for these: two URL parses, their
// serializations and the canonical form's pieces).
func TestFastResolveAllocations(t *testing.T) {
	lr := newLinkResolver("http://127.0.0.1:8080/page/12")
	for ref, most := range map[string]float64{"/author/2": 1, "/#top": 1, "": 0, "sub/page?x=1": 1, "../page/0": 1, "a/./b/../../c": 1} {
		if n := testing.AllocsPerRun(100, func() { lr.resolve(ref) }); n > most {
			t.Errorf("resolving %q: %v allocations, want at most %v", ref, n, most)
		}
	}
}

// FuzzFastBase: the fast path agrees with resolveLink on any base and link
// it takes, and otherScheme refuses only links resolveLink refuses. Run it with: go test -run '^$' -fuzz FuzzFastBase ./scrape
func FuzzFastBase(f *testing.F) {
	for i, b := range fastBases {
		for j, r := range fastRefs {
			if (i+j)%3 == 0 {
				f.Add(b, r)
			}
		}
	}
	f.Fuzz(func(t *testing.T, base, ref string) {
		checkFastAgrees(t, base, ref)
		checkOtherScheme(t, base, ref)
	})
}
