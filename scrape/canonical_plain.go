package scrape

import (
	"net/url"
	"strings"
)

// The WHATWG parse is some twenty times dearer than net/url's. Most URLs
// are plain: for them both parsers agree, and net/url's is used
// (FuzzCanonicalize and FuzzResolveLink check that the two paths agree).

// plainURL reports whether s is an absolute http(s) URL on which net/url
// and the WHATWG parser agree: lower-case scheme and host of letters,
// digits, dots and hyphens (no punycode) whose last label starts with a
// letter, or an IPv4 address in dotted decimal; a port without a leading
// zero, no user information, and a path and query of plain characters,
// without dot segments or a percent-encoded dot, whose percent signs all
// start an escape.
func plainURL(s string) bool {
	rest, ok := strings.CutPrefix(s, "http://")
	if !ok {
		if rest, ok = strings.CutPrefix(s, "https://"); !ok {
			return false
		}
	}
	end := strings.IndexAny(rest, "/?#")
	if end < 0 {
		end = len(rest)
	}
	return plainHost(rest[:end]) && plainPath(rest[end:])
}

// plainHost: see plainURL.
func plainHost(hp string) bool {
	host, port, hasPort := strings.Cut(hp, ":")
	if hasPort && (port == "" || port[0] == '0' || len(port) > 5 || strings.Trim(port, "0123456789") != "" || port > "65535" && len(port) == 5) {
		return false
	}
	if host == "" || host[0] == '.' || strings.Contains(host, "..") || strings.Contains(host, "xn--") {
		return false
	}
	for i := 0; i < len(host); i++ {
		c := host[i]
		if !('a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '.' || c == '-') {
			return false
		}
	}
	last := strings.TrimSuffix(host, ".")
	last = last[strings.LastIndexByte(last, '.')+1:]
	if last != "" && 'a' <= last[0] && last[0] <= 'z' {
		return true // a domain: no IPv4 number starts with a letter
	}
	// An IPv4 address must be in dotted decimal already; any other last
	// label ("-0", "0x1g", "1a") is the WHATWG parser's to judge.
	return dottedQuad(host)
}

// dottedQuad reports whether s is an IPv4 address as net.IP prints it: four
// decimal numbers of at most 255, without leading zeros, joined by dots
// (net.ParseIP(s).To4() != nil and its String() is s, without the
// allocations).
func dottedQuad(s string) bool {
	for i := range 4 {
		if i > 0 {
			if s == "" || s[0] != '.' {
				return false
			}
			s = s[1:]
		}
		n, v := 0, 0
		for n < len(s) && n < 4 && '0' <= s[n] && s[n] <= '9' {
			v = v*10 + int(s[n]-'0')
			n++
		}
		if n == 0 || n > 3 || v > 255 || n > 1 && s[0] == '0' {
			return false
		}
		s = s[n:]
	}
	return s == ""
}

// plainPath: see plainURL. The fragment, dropped by both parsers, may hold
// anything.
func plainPath(p string) bool {
	if i := strings.IndexByte(p, '#'); i >= 0 {
		p = p[:i]
	}
	if strings.Contains(p, "/.") {
		return false
	}
	for i := 0; i < len(p); i++ {
		c := p[i]
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
		case strings.IndexByte("-._~/?:@!$&()*+,;=", c) >= 0:
		case c == '%':
			if i+2 >= len(p) || !isHex(p[i+1]) || !isHex(p[i+2]) || p[i+1] == '2' && (p[i+2] == 'e' || p[i+2] == 'E') {
				return false
			}
		default:
			return false
		}
	}
	return true
}

// plainRef reports whether the link ref, resolved by net/url, resolves as
// the WHATWG parser would: plain characters only, no scheme (a ":"), no
// backslash, not scheme-relative ("//host"), no empty segment ("//": a
// path that resolves to start with one loses a slash in net/url's
// resolution); an absolute plain URL passes too. The base must pass
// plainBase, the result plainURL.
func plainRef(ref string) bool {
	if strings.HasPrefix(ref, "http://") || strings.HasPrefix(ref, "https://") {
		return plainURL(ref)
	}
	if i := strings.IndexByte(ref, '#'); i >= 0 {
		ref = ref[:i]
	}
	if p, _, _ := strings.Cut(ref, "?"); strings.Contains(p, "//") {
		return false
	}
	return !strings.Contains(ref, ":") && plainPath(strings.TrimPrefix(ref, "."))
}

// canonicalPlain canonicalizes a URL that plainURL accepted. Its fragment,
// which may hold anything, net/url does not see: it may refuse one ("#%")
// the WHATWG parser takes, and the canonical form drops it.
func canonicalPlain(s, raw string) (string, error) {
	if i := strings.IndexByte(s, '#'); i >= 0 {
		s = s[:i]
	}
	u, err := url.Parse(s)
	if err != nil {
		return "", badURL(raw, err)
	}
	return canonicalParsed(u, raw)
}
