package scrape

import (
	"math/rand/v2"
	"net"
	"strings"
	"testing"
)

var quadSink bool

// byParseIP is what dottedQuad stands in for.
func byParseIP(s string) bool {
	ip := net.ParseIP(s)
	return ip != nil && ip.To4() != nil && ip.String() == s
}

// TestDottedQuad: dottedQuad agrees with net.ParseIP and net.IP.String on
// chosen and on random strings of digits, dots and others, and allocates
// nothing.
func TestDottedQuad(t *testing.T) {
	for _, s := range []string{"127.0.0.1", "0.0.0.0", "255.255.255.255", "256.0.0.1", "01.2.3.4", "1.2.3", "1.2.3.4.", "1.2.3.4.5",
		".1.2.3", "1..2.3", "1.2.3.04", "1.2.3.0", "10.20.30.40", "1000.1.1.1", "", "a.b.c.d", "-1.2.3.4", "1.2.3.4a", "0x7f.0.0.1", "::1"} {
		if got, want := dottedQuad(s), byParseIP(s); got != want {
			t.Errorf("dottedQuad(%q) = %v, net.ParseIP says %v", s, got, want)
		}
	}
	const alphabet = "0123456789..2551-a:"
	rng := rand.New(rand.NewPCG(13, 3))
	quads := 0
	for range 50000 {
		var b strings.Builder
		for f := 3 + rng.IntN(3); f > 0; f-- { // fields of digits, now and then another byte
			for n := 1 + rng.IntN(3); n > 0; n-- {
				b.WriteByte("0123456789"[rng.IntN(10)])
			}
			if rng.IntN(8) == 0 {
				b.WriteByte(alphabet[rng.IntN(len(alphabet))])
			}
			if f > 1 {
				b.WriteByte('.')
			}
		}
		s := b.String()
		if got, want := dottedQuad(s), byParseIP(s); got != want {
			t.Fatalf("dottedQuad(%q) = %v, net.ParseIP says %v", s, got, want)
		} else if got {
			quads++
		}
	}
	if quads < 1000 {
		t.Errorf("only %d random strings were addresses", quads)
	}
	if n := testing.AllocsPerRun(100, func() { quadSink = dottedQuad("127.0.0.1") }); n != 0 {
		t.Errorf("dottedQuad: %v allocations", n)
	}
}

// TestCanonicalPlainFragment: a plain URL's fragment, which may hold
// anything, is dropped unread: "#%", which net/url refuses, made the plain
// shortcut refuse a URL the WHATWG parser takes (found by FuzzCanonicalize).
func TestCanonicalPlainFragment(t *testing.T) {
	for raw, want := range map[string]string{
		"http://a0#%":              "http://a0/",
		"http://example.com/p#%zz": "http://example.com/p",
		"http://example.com/?q#%":  "http://example.com/?q",
	} {
		if !plainURL(raw) {
			t.Fatalf("%q is not plain", raw)
		}
		if c, err := Canonicalize(raw); err != nil || c != want {
			t.Errorf("Canonicalize(%q) = %q, %v; want %q", raw, c, err, want)
		}
	}
}
