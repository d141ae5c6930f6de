package scrape

import (
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/poolscrape/poolscrape/internal/hostile"
)

// trickyURLs are the seed corpus of FuzzCanonicalize and the links of
// TestCanonicalIsRequested: dot segments plain and percent-encoded, case,
// unreserved and reserved percent-encodings, international and odd hosts,
// ports, queries and fragments.
var trickyURLs = []string{
	"http://example.com/x/%2e%2e/private/secret2",
	"http://example.com/%2e/private/secret3",
	"http://example.com/PRIVATE/../private/secret4",
	"http://example.com/x/%2E%2E/a",
	"http://example.com/a/.%2e/b/%2E./c/%2e%2E/d",
	"http://example.com/a/b/..",
	"http://example.com/a/./b/.",
	"http://example.com//a/../b",
	"http://example.com/../../a",
	"http://example.com/%7Euser/%7euser/~user",
	"http://example.com/%41%62%2d%5f%2E%30",
	"http://example.com/a%2fb%2Fc?q=%2f%2F%7e",
	"http://example.com/a%2",
	"http://example.com/%zz/100%",
	"http://example.com/a b/<c>/\"d\"/{e}/`f`/|g|/^h^/\\i",
	"http://example.com/a!b$c&d'e(f)g*h+i,j;k=l:m@n[o]p",
	"http://example.com/?a=1&b=2&a=1",
	"http://example.com/?",
	"http://example.com/p?q=a b&r=\"x\"&s='y'&t=<z>",
	"http://example.com/p?q=%7E%7e%41#frag",
	"http://example.com/%C3%A9t%c3%a9/été",
	"HTTP://User:Pass@EXAMPLE.COM:80/A#B",
	"https://example.com:443/",
	"https://example.com:8443",
	"http://example.com./a",
	"http://example.com.:8080/a",
	"http://bücher.example/ä",
	"http://BÜCHER.example/",
	"http://xn--bcher-kva.example/",
	"http://ex%61mple.com/",
	"http://[::1]:80/",
	"http://[0:0:0:0:0:0:0:1]/",
	"http://127.0.0.1./",
	"http://0x7f.1/",
	"http://2130706433/",
	"http://-0/",
	"http://1.-1.0.0/",
	"http://example.com\\a\\..\\b",
	"http:example.com/a",
	"http://example.com/a\t\nb",
	" http://example.com/ ",
}

// checkCanonicalFixedPoint fails unless the canonical c is what is sent on
// the wire and canonicalizes to itself: colly's WHATWG parse and net/url's
// parse give it back, and the request line net/http builds from it
// (RequestURI) is its path and query.
func checkCanonicalFixedPoint(t *testing.T, raw, c string) {
	t.Helper()
	if again, err := Canonicalize(c); err != nil || again != c {
		t.Fatalf("Canonicalize(%q) = %q; again: %q, %v", raw, c, again, err)
	}
	w, err := whatwgParser.Parse(c)
	if err != nil || w.Href(false) != c {
		t.Fatalf("canonical %q (of %q): colly's parser gives %v, %v", c, raw, w, err)
	}
	u, err := url.Parse(c)
	if err != nil || u.String() != c {
		t.Fatalf("canonical %q (of %q): net/url gives %v, %v", c, raw, u, err)
	}
	rest := c[len(u.Scheme)+len("://")+len(u.Host):]
	if u.RequestURI() != rest || u.Fragment != "" || u.User != nil {
		t.Fatalf("canonical %q (of %q): request line %q, want %q", c, raw, u.RequestURI(), rest)
	}
	if p := u.EscapedPath(); strings.Contains(p, "/./") || strings.Contains(p, "/../") || strings.HasSuffix(p, "/.") || strings.HasSuffix(p, "/..") {
		t.Fatalf("canonical %q (of %q) keeps a dot segment", c, raw)
	}
}

// FuzzCanonicalize: canonicalizing is idempotent and gives the URL that is
// requested. Run it with: go test -run '^$' -fuzz FuzzCanonicalize ./scrape
func FuzzCanonicalize(f *testing.F) {
	for _, s := range trickyURLs {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		c, err := Canonicalize(raw)
		if plainURL(raw) {
			slow, serr := canonicalWHATWG(raw, raw)
			if slow != c || (err == nil) != (serr == nil) {
				t.Fatalf("plain %q: %q, %v; by the WHATWG parser %q, %v", raw, c, err, slow, serr)
			}
		}
		if err != nil {
			return
		}
		checkCanonicalFixedPoint(t, raw, c)
	})
}

// FuzzResolveLink: a link resolves against a base (any: canonical or not)
// to a canonical URL that is a fixed point, and the plain-link shortcut
// and a page's linkResolver (its fast path) agree with the WHATWG parser
// (checkResolveAgrees). Run it with:
// go test -run '^$' -fuzz FuzzResolveLink ./scrape
func FuzzResolveLink(f *testing.F) {
	refs := []string{"a", "../a", "./a/../b", "?q", "#f", "//other.example/x", "/a:b", "a:b", "http:x", ".", "..", "", "%2e%2e/x", "a/./b", "\\\\evil.example/", "..//x", "?", "#"}
	bases := []string{"http://example.com/a/b/c?q=1", "http://example.com/p?", "http://example.com//a/b", "http://example.com/a/..", "https://127.0.0.1:8443/x/"}
	for i, s := range trickyURLs {
		f.Add(bases[i%len(bases)], s)
	}
	for _, b := range bases {
		for _, r := range refs {
			f.Add(b, r)
		}
	}
	f.Fuzz(func(t *testing.T, base, ref string) {
		checkResolveAgrees(t, base, ref)
	})
}

// TestCanonicalIsRequested: each of trickyURLs, moved to a real server,
// is requested exactly as its canonical form says: the server sees the
// canonical URL's Host and request-URI (it titles each page with them).
func TestCanonicalIsRequested(t *testing.T) {
	srv := httptest.NewServer(&hostile.DotSegments{})
	t.Cleanup(srv.Close)
	var starts []string
	for _, u := range trickyURLs {
		rest, ok := strings.CutPrefix(u, "http://example.com")
		if ok && (rest == "" || strings.ContainsRune("/?\\", rune(rest[0]))) {
			starts = append(starts, srv.URL+rest)
		}
	}
	out, _ := crawl(t, srv, Config{Depth: 0, IgnoreRobots: true, Starts: starts})
	checked := 0
	for _, rec := range out.recs {
		if rec.Title == "" {
			continue
		}
		u, err := url.Parse(rec.URL)
		if err != nil {
			t.Fatal(err)
		}
		if rec.Title != u.Host+u.RequestURI() {
			t.Errorf("%s was requested as %s", rec.URL, rec.Title)
		}
		checked++
	}
	if checked < len(starts)/2 {
		t.Errorf("only %d of %d start URLs checked", checked, len(starts))
	}
}
