package scrape

import (
	"fmt"
	"math/big"
	"strings"

	whatwg "github.com/nlnwa/whatwg-url/url"
)

// The fetcher's parser (nlnwa/whatwg-url v0.6.2) reads a part of an IPv4
// host with strconv.ParseInt, which takes a sign: it makes "-0" the address
// 0.0.0.0, "0x-1" 255.255.255.255 and "1.-1.0.0" 0.255.0.0, where the
// WHATWG URL Standard's IPv4 number parser fails on a code point that is
// not a digit of the radix: "-0" and "0x-1" are domains (they do not end in
// a number) and "1.-1.0.0" no URL at all. Such a URL cannot be requested as
// it is named, so canonicalWHATWG refuses every URL whose IPv4 address the
// standard does not give the same (checkIPv4).

// hostProbe parses as whatwgParser does, but with a label "a" after every
// host, so that no host ends in a number: its host, less that label, is
// the ASCII domain (percent-decoded, IDNA-mapped) that whatwgParser read.
var hostProbe = whatwg.NewParser(whatwg.WithPercentEncodeSinglePercentSign(),
	whatwg.WithPreParseHostFunc(func(_ *whatwg.Url, host string) string {
		if strings.HasSuffix(host, ".") {
			return host + "a"
		}
		return host + ".a"
	}))

// checkIPv4 returns an error when the host whatwgParser gave the URL s (a
// link ref against base when base != "") is an IPv4 address that the
// WHATWG URL Standard's host parser does not give: raw names the URL.
func checkIPv4(base, s, host, raw string) error {
	if !dottedQuad(host) {
		return nil // an IPv6 address or a domain: whatwgParser has no quarrel with the standard
	}
	if base == "" && namesHost(s, host) || base != "" && namesHost(base, host) && keepsBaseHost(s) {
		return nil // the address in dotted decimal already: the standard's too
	}
	var p *whatwg.Url
	var err error
	if base == "" {
		p, err = hostProbe.Parse(s)
	} else {
		p, err = hostProbe.ParseRef(base, s)
	}
	if err != nil {
		return fmt.Errorf("%w %q: host %s: %w", ErrBadURL, raw, host, err)
	}
	// Less the probe's label, and a trailing dot, which changes no
	// standard answer.
	domain := strings.TrimSuffix(strings.TrimSuffix(p.Hostname(), "a"), ".")
	if want, ok := standardIPv4(domain); !ok || want != host {
		return fmt.Errorf("%w %q: host %q is not the IPv4 address %s by the WHATWG URL Standard, only by the fetcher's parser", ErrBadURL, raw, domain, host)
	}
	return nil
}

// standardIPv4 is the WHATWG URL Standard's host parser from an ASCII
// domain on: the IPv4 address, dotted, and true when the domain ends in a
// number and the IPv4 parser takes it; "", true when it does not end in a
// number (a domain); false when the IPv4 parser fails.
func standardIPv4(domain string) (string, bool) {
	if !endsInANumber(domain) {
		return "", true
	}
	parts := strings.Split(domain, ".")
	if parts[len(parts)-1] == "" && len(parts) > 1 {
		parts = parts[:len(parts)-1]
	}
	if len(parts) > 4 {
		return "", false
	}
	nums := make([]*big.Int, len(parts))
	for i, part := range parts {
		n, ok := ipv4Number(part)
		if !ok || i < len(parts)-1 && n.Cmp(big.NewInt(255)) > 0 {
			return "", false
		}
		nums[i] = n
	}
	last := nums[len(nums)-1]
	if last.Cmp(new(big.Int).Lsh(big.NewInt(1), uint(8*(5-len(nums))))) >= 0 {
		return "", false
	}
	addr := last.Uint64()
	for i, n := range nums[:len(nums)-1] {
		addr += n.Uint64() << (8 * (3 - i))
	}
	return fmt.Sprintf("%d.%d.%d.%d", addr>>24, addr>>16&255, addr>>8&255, addr&255), true
}

// endsInANumber is the standard's ends-in-a-number checker.
func endsInANumber(domain string) bool {
	parts := strings.Split(domain, ".")
	if parts[len(parts)-1] == "" {
		if len(parts) == 1 {
			return false
		}
		parts = parts[:len(parts)-1]
	}
	last := parts[len(parts)-1]
	if last != "" && strings.Trim(last, "0123456789") == "" {
		return true
	}
	_, ok := ipv4Number(last)
	return ok
}

// ipv4Number is the standard's IPv4 number parser (without its validation
// error): a number in decimal, octal after a "0" or hexadecimal after a
// "0x", of any size; false for the empty string or a code point that is
// not a digit of the radix (a sign included).
func ipv4Number(s string) (*big.Int, bool) {
	if s == "" {
		return nil, false
	}
	radix, digits := 10, "0123456789"
	switch {
	case len(s) >= 2 && (s[:2] == "0x" || s[:2] == "0X"):
		radix, digits, s = 16, "0123456789abcdefABCDEF", s[2:]
	case len(s) >= 2 && s[0] == '0':
		radix, digits, s = 8, "01234567", s[1:]
	}
	if s == "" {
		return new(big.Int), true
	}
	if strings.Trim(s, digits) != "" {
		return nil, false
	}
	n, ok := new(big.Int).SetString(s, radix)
	return n, ok
}

// namesHost reports whether the URL s names host literally: "http://" or
// "https://", host, then a port, path, query, fragment or nothing.
func namesHost(s, host string) bool {
	rest, ok := strings.CutPrefix(s, "http://")
	if !ok {
		if rest, ok = strings.CutPrefix(s, "https://"); !ok {
			return false
		}
	}
	rest, ok = strings.CutPrefix(rest, host)
	return ok && (rest == "" || strings.IndexByte(":/?#", rest[0]) >= 0)
}

// keepsBaseHost reports whether the link ref surely resolves to its base's
// host: no ":" (no scheme) and, spaces and control characters aside, not
// starting with two slashes or backslashes (scheme-relative).
func keepsBaseHost(ref string) bool {
	if strings.IndexByte(ref, ':') >= 0 {
		return false
	}
	slashes := 0
	for i := 0; i < len(ref) && slashes < 2; i++ {
		switch c := ref[i]; {
		case c == '/' || c == '\\':
			slashes++
		case c > ' ':
			return true
		}
	}
	return slashes < 2
}
