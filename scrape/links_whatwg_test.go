package scrape

import (
	"math/rand/v2"
	"net/url"
	"strings"
	"testing"
)

// checkResolveAgrees fails unless resolveLink and a page's linkResolver
// resolve ref against base as the WHATWG parser does (resolveWHATWG: its
// parse of the link against the base, then the crawler's normalizations),
// and to a canonical URL that is a fixed point; it reports whether the
// link resolved. A base is a URL the crawler fetched: one that it does not
// canonicalize (not an absolute http or https URL) is skipped.
func checkResolveAgrees(t *testing.T, base, ref string) bool {
	t.Helper()
	u, err := url.Parse(base)
	if err != nil {
		return false
	}
	if _, err := Canonicalize(base); err != nil {
		return false
	}
	c, ok := resolveLink(u, ref)
	slow, sok := resolveWHATWG(u, ref)
	if c != slow || ok != sok {
		t.Fatalf("base %q, link %q: %q, %v; by the WHATWG parser %q, %v", base, ref, c, ok, slow, sok)
	}
	lr := newLinkResolver(base)
	if page, pok := lr.resolve(ref); page != c || pok != ok {
		t.Fatalf("base %q, link %q: by the page's resolver %q, %v; by resolveLink %q, %v", base, ref, page, pok, c, ok)
	}
	if ok {
		checkCanonicalFixedPoint(t, ref, c)
	}
	return ok
}

// TestResolveLinkWHATWG: links that net/url resolves otherwise than the
// WHATWG parser resolve as the latter does: a base's empty query is kept
// by an empty or fragment-only link, a path that comes to start with "//"
// keeps both slashes, a base's dot segments and empty segments are the
// WHATWG parser's to resolve first.
func TestResolveLinkWHATWG(t *testing.T) {
	for _, c := range []struct{ base, ref, want string }{
		{"http://example.com/p?", "", "http://example.com/p?"},
		{"http://example.com/p?", "#f", "http://example.com/p?"},
		{"http://example.com/p?", "?", "http://example.com/p?"},
		{"http://example.com/p?", "q", "http://example.com/q"},
		{"http://example.com/a/b", "..//x", "http://example.com//x"},
		{"http://example.com/a/b", "../..//x", "http://example.com//x"},
		{"http://example.com/a/b", "/..//x", "http://example.com//x"},
		{"http://example.com/a/b", ".//x", "http://example.com/a//x"},
		{"http://example.com//a/b", "../x", "http://example.com//x"},
		{"http://example.com/..//a/", "..", "http://example.com//"},
		{"http://example.com/a/..", "x", "http://example.com/x"},
		{"http://example.com/a/%2e%2e/b", "x", "http://example.com/x"},
	} {
		if !checkResolveAgrees(t, c.base, c.ref) {
			t.Errorf("base %q, link %q: not resolved", c.base, c.ref)
		}
		u, err := url.Parse(c.base)
		if err != nil {
			t.Fatal(err)
		}
		if got, _ := resolveLink(u, c.ref); got != c.want {
			t.Errorf("base %q, link %q: %q; want %q", c.base, c.ref, got, c.want)
		}
	}
}

// TestBaseHrefWHATWG: a <base href> is resolved against the page as the
// WHATWG parser resolves it, and the page's links against it: "..//x/"
// keeps both slashes (net/url made the base "/x/").
func TestBaseHrefWHATWG(t *testing.T) {
	for _, c := range []struct{ page, href, want string }{
		{"http://example.com/a/b", "..//x/", "http://example.com//x/y"},
		{"http://example.com/a/b", "/c/%2e%2e/d/", "http://example.com/d/y"},
		{"http://example.com/a/b", "http://other.example/p/", "http://other.example/p/y"},
	} {
		_, links := scanHTML(`<base href="`+c.href+`"><a href="y">y</a>`, c.page)
		if len(links) != 1 || links[0] != c.want {
			t.Errorf("page %q, <base href=%q>: links %q; want %q", c.page, c.href, links, c.want)
		}
	}
}

// randomPiece writes to b n pieces drawn from pieces, now and then a byte
// of alphabet instead.
func randomPiece(rng *rand.Rand, b *strings.Builder, n int, pieces []string, alphabet string) {
	for ; n > 0; n-- {
		if rng.IntN(4) == 0 {
			b.WriteByte(alphabet[rng.IntN(len(alphabet))])
		} else {
			b.WriteString(pieces[rng.IntN(len(pieces))])
		}
	}
}

// TestResolveLinkAgreesRandom: random bases (canonical or not: empty
// segments, an empty query, dots, escapes, ports, IPv4 and odd hosts) ×
// random links agree with the WHATWG parser; seeded so a failure repeats.
func TestResolveLinkAgreesRandom(t *testing.T) {
	hosts := []string{"example.com", "127.0.0.1", "example.com:8080", "EXAMPLE.com", "0x7f.1", "example.com.", "a-0.example", "[::1]"}
	basePieces := []string{"/", "/a", "/b", "//", "/.", "/..", "?", "?q", "=", "&", "#", "%2e", "%41", "%2F"}
	refPieces := []string{"/", "./", "../", ".", "..", "//", "?", "#", "a", "b/", "%2e", "\\", "x:", "%"}
	const alphabet = "/.?#%:aZ9-_~!$&'()*+,;=@\\ \"é"
	rng := rand.New(rand.NewPCG(13, 5))
	resolved := 0
	for range 20000 {
		var b strings.Builder
		b.WriteString([]string{"http://", "https://"}[rng.IntN(2)])
		b.WriteString(hosts[rng.IntN(len(hosts))])
		randomPiece(rng, &b, rng.IntN(6), basePieces, alphabet)
		base := b.String()
		b.Reset()
		randomPiece(rng, &b, rng.IntN(6), refPieces, alphabet)
		if checkResolveAgrees(t, base, b.String()) {
			resolved++
		}
	}
	if resolved < 5000 {
		t.Errorf("only %d of 20000 random links resolved", resolved)
	}
}
