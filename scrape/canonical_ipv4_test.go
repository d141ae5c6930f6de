package scrape

import (
	"errors"
	"net/url"
	"testing"
)

// TestCanonicalSignedIPv4Part: a host with a signed number in it is no
// IPv4 address by the WHATWG URL Standard (its IPv4 number parser fails on
// a sign), though the fetcher's parser reads one; such a URL, as a start
// URL or as a link, is refused (it cannot be requested as it is named)
// where the plain shortcut made "http://-0/" a domain and the WHATWG path
// 0.0.0.0. Hosts the standard does read as IPv4 are still taken.
func TestCanonicalSignedIPv4Part(t *testing.T) {
	base, err := url.Parse("http://example.com/a/b")
	if err != nil {
		t.Fatal(err)
	}
	quad, err := url.Parse("http://127.0.0.1:8080/a/b")
	if err != nil {
		t.Fatal(err)
	}
	zero, err := url.Parse("http://0.0.0.0/a/b") // the address the fetcher's parser makes of "-0"
	if err != nil {
		t.Fatal(err)
	}
	for _, b := range []*url.URL{quad, zero} {
		for _, ref := range []string{"//-0/x", " \t//-0/x", "/\\-0/x", "\\\\-0", "http://-0/", "http://0x-1/"} {
			if c, ok := resolveLink(b, ref); ok {
				t.Errorf("link %q against %s resolved to %q; want refused", ref, b, c)
			}
		}
	}
	for ref, want := range map[string]string{"x": "http://127.0.0.1:8080/a/x", "/%7e": "http://127.0.0.1:8080/~", "//0x7f.1/": "http://127.0.0.1/"} {
		if c, ok := resolveLink(quad, ref); !ok || c != want {
			t.Errorf("link %q against %s resolved to %q, %v; want %q", ref, quad, c, ok, want)
		}
	}
	for _, h := range []string{"-0", "-0.", "+1", "0x-1", "0-7", "a.-0", "1.-1.0.0", "%2D0", "-1.2.3.4", "0x+a"} {
		raw := "http://" + h + "/"
		if c, err := Canonicalize(raw); !errors.Is(err, ErrBadURL) {
			t.Errorf("Canonicalize(%q) = %q, %v; want ErrBadURL", raw, c, err)
		}
		for _, ref := range []string{raw, "//" + h + "/x"} {
			if c, ok := resolveLink(base, ref); ok {
				t.Errorf("link %q resolved to %q; want refused", ref, c)
			}
		}
	}
	for raw, want := range map[string]string{
		"http://0/":            "http://0.0.0.0/",
		"http://0x7f.1/":       "http://127.0.0.1/",
		"http://017700000001/": "http://127.0.0.1/",
		"http://0x/":           "http://0.0.0.0/",
		"http://1.2.3.4./":     "http://1.2.3.4/",
		"http://0x100000000/":  "",
		"http://1.256.3.4/":    "",
		"http://a-0.example/":  "http://a-0.example/",
		"http://0a.example/":   "http://0a.example/",
	} {
		c, err := Canonicalize(raw)
		if want == "" {
			if err == nil {
				t.Errorf("Canonicalize(%q) = %q; want an error", raw, c)
			}
			continue
		}
		if err != nil || c != want {
			t.Errorf("Canonicalize(%q) = %q, %v; want %q", raw, c, err, want)
		}
	}
}

// TestStandardIPv4: the standard's host parser from an ASCII domain on.
func TestStandardIPv4(t *testing.T) {
	for domain, want := range map[string]string{
		"0": "0.0.0.0", "-0": "", "1.2.3.4": "1.2.3.4", "1.2.3.4.": "1.2.3.4", "0x7f.1": "127.0.0.1",
		"0x": "0.0.0.0", "08": "fail", "1.2.3.4.5": "fail", "256.1": "fail", "1.16777216": "fail",
		"4294967295": "255.255.255.255", "4294967296": "fail", "0xffffffffffffffffffff": "fail",
		"a.0x-1": "", "example.com": "", "1.-1.0.0": "fail", "0..": "", "1..2": "fail",
	} {
		got, ok := standardIPv4(domain)
		if !ok {
			got = "fail"
		}
		if got != want {
			t.Errorf("standardIPv4(%q) = %q; want %q", domain, got, want)
		}
	}
}
