package scrape

import (
	"bytes"
	"strings"
)

// Most links of a page are plain relative paths ("/a/b", "../c?q=1",
// "#top") and its base URL is canonical. Such a link resolves by string
// operations alone to the same canonical URL as the WHATWG parser gives
// (FuzzFastBase and TestFastBaseAgrees check it): no parse, no
// re-serialization, one allocation for the result.

// fastBase is a page's base URL split for resolve. The zero fastBase
// resolves nothing.
type fastBase struct {
	full   string // the base URL: canonical, plain, so it has no fragment
	origin string // scheme://host[:port]; "" when off
	path   string // starts with "/"
	query  string // with its "?", or ""
}

// newFastBase returns the fastBase of the URL base, off unless base is a
// plain URL (plainURL) that is its own canonical form.
func newFastBase(base string) fastBase {
	if !plainURL(base) || !plainCanonical(base) {
		return fastBase{}
	}
	afterScheme := strings.Index(base, "://") + len("://")
	slash := strings.IndexByte(base[afterScheme:], '/')
	if slash < 0 {
		return fastBase{} // a canonical URL has a path; be safe
	}
	slash += afterScheme
	path, query := base[slash:], ""
	if i := strings.IndexByte(path, '?'); i >= 0 {
		path, query = path[:i], path[i:]
	}
	return fastBase{full: base, origin: base[:slash], path: path, query: query}
}

// plainCanonical reports whether the plain URL s (plainURL) is its own
// canonical form. A page's base is the canonical URL of its fetch, so it
// usually is: with no "%", "#", trailing dot of the host or default port,
// and a path, by sight; any other by canonicalizing it.
func plainCanonical(s string) bool {
	scheme, rest, _ := strings.Cut(s, "://")
	end := strings.IndexAny(rest, "/?#")
	if !strings.ContainsAny(s, "%#") && end >= 0 && rest[end] == '/' {
		host, port, _ := strings.Cut(rest[:end], ":")
		if !strings.HasSuffix(host, ".") && !(scheme == "http" && port == "80") && !(scheme == "https" && port == "443") {
			return true
		}
	}
	c, err := canonicalPlain(s, s)
	return err == nil && c == s
}

// fastRefChar marks the bytes a link may have before its fragment for
// resolve to take it: letters, digits and the characters neither parser
// escapes or decodes in a path or query ("-._~/?@!$&()*+,;="). No ":"
// (a scheme), "%" (an escape to normalize), "\" (a slash to the WHATWG
// parser), space, quote or control character.
var fastRefChar = func() (t [256]bool) {
	for c := 'a'; c <= 'z'; c++ {
		t[c], t[c-'a'+'A'] = true, true
	}
	for c := '0'; c <= '9'; c++ {
		t[c] = true
	}
	for _, c := range []byte("-._~/?@!$&()*+,;=") {
		t[c] = true
	}
	return t
}()

// resolve returns the canonical URL the link ref (trimmed of white space)
// resolves to against b, and true; or false when ref is not one it takes
// (then resolveLink's general path decides). It takes a path-absolute or
// relative path, a query, or an empty reference, each with any fragment,
// and resolves dot segments as RFC 3986 §5.2.4 and the WHATWG parser do.
func (b *fastBase) resolve(ref string) (string, bool) {
	if b.origin == "" {
		return "", false
	}
	r := ref
	if i := strings.IndexByte(r, '#'); i >= 0 {
		r = r[:i]
	}
	if strings.HasPrefix(r, "//") {
		return "", false // scheme-relative: another host
	}
	for i := 0; i < len(r); i++ {
		if !fastRefChar[r[i]] {
			return "", false
		}
	}
	p, q, hasQuery := strings.Cut(r, "?")
	if r == "" {
		if b.query == "?" || strings.HasPrefix(b.path, "//") {
			return "", false // resolveLink's net/url answer is not the WHATWG one: keep it
		}
		return b.full, true
	}
	var stack [256]byte
	buf := append(stack[:0], b.origin...)
	switch {
	case p == "":
		buf = append(buf, b.path...)
	case p[0] == '/':
		buf = appendSegments(buf, len(b.origin), p[1:])
	default:
		dir := b.path[:strings.LastIndexByte(b.path, '/')]
		buf = appendSegments(append(buf, dir...), len(b.origin), p)
	}
	if len(buf) > len(b.origin)+1 && buf[len(b.origin)+1] == '/' {
		return "", false // net/url drops one "/" of a path starting "//": keep resolveLink's answer
	}
	if hasQuery {
		buf = append(append(buf, '?'), q...)
	}
	return string(buf), true
}

// appendSegments appends to dst, whose bytes from start on are a path
// without dot segments (maybe empty), the "/"-separated segments segs that
// follow it, resolving their dot segments as removeDotSegments does: "."
// dropped, ".." dropping the segment before it if any, either one last
// leaving a trailing slash. The path is "/" if nothing is left.
func appendSegments(dst []byte, start int, segs string) []byte {
	for more := true; more; {
		var s string
		s, segs, more = strings.Cut(segs, "/")
		switch s {
		case ".", "..":
			if s == ".." && len(dst) > start {
				dst = dst[:start+bytes.LastIndexByte(dst[start:], '/')]
			}
			if !more {
				dst = append(dst, '/')
			}
		default:
			dst = append(append(dst, '/'), s...)
		}
	}
	if len(dst) == start {
		dst = append(dst, '/')
	}
	return dst
}

// otherScheme reports whether the link ref (trimmed of white space) starts
// with a scheme that is not http or https ("mailto:", "javascript:",
// "ftp:", ...), which the WHATWG parser keeps, so that resolveLink
// refuses the link: an ASCII letter, then letters, digits, "+", "-" and
// "." up to a ":". It is the cheap answer for such links (the WHATWG parse
// of a "mailto:" link took some 130 allocations).
func otherScheme(ref string) bool {
	for i := 0; i < len(ref); i++ {
		c := ref[i]
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z':
		case i > 0 && ('0' <= c && c <= '9' || c == '+' || c == '-' || c == '.'):
		case i > 0 && c == ':':
			scheme := ref[:i]
			return !strings.EqualFold(scheme, "http") && !strings.EqualFold(scheme, "https")
		default:
			return false
		}
	}
	return false
}
