package scrape

import (
	"errors"
	"fmt"
	"net/url"
	"strings"

	"github.com/cespare/xxhash/v2"
	whatwg "github.com/nlnwa/whatwg-url/url"
)

// ErrBadURL is returned for a URL that cannot be crawled: unparsable, not
// absolute, without a host, or with a scheme other than http or https.
var ErrBadURL = errors.New("scrape: bad URL")

// whatwgParser parses URLs as colly does before every request (the same
// parser, the same option), so that the canonical form is what is sent.
var whatwgParser = whatwg.NewParser(whatwg.WithPercentEncodeSinglePercentSign())

// Canonicalize returns the canonical form of an absolute http or https URL:
// the one form that is requested, deduped, and judged by robots.txt, the
// scope and Config.Allow and Deny. It is the URL parsed as browsers and the
// fetcher (colly) parse it, by the WHATWG URL Standard: the host lower-cased,
// percent-decoded and, if international, in punycode (IDNA via
// golang.org/x/net/idna); IPv4 in dotted decimal; the default port dropped;
// dot segments resolved, percent-encoded ones (%2e, %2E) included; the
// characters that must be are percent-encoded. Then, as RFC 3986 §6.2.2
// allows: a trailing dot of the host dropped, percent-encoded unreserved
// characters (ALPHA, DIGIT, "-", ".", "_", "~") decoded and the other
// percent-encodings upper-cased, in the path and the query. The user
// information and the fragment are dropped, an empty path is "/". The
// query is otherwise kept as it is (its parameters are not sorted: two
// orders may be two pages). The result is a deterministic function of the
// input, so that every process of a shared crawl agrees on it, and
// canonicalizing it again gives it back. Its errors name raw with its
// password masked (RedactURL).
func Canonicalize(raw string) (string, error) {
	c, err := canonicalString(raw, raw)
	if err != nil {
		return "", redactErr(err, raw)
	}
	return c, nil
}

// canonicalURL canonicalizes a parsed URL; raw names it in errors.
func canonicalURL(u *url.URL, raw string) (string, error) {
	return canonicalString(u.String(), raw)
}

// canonicalString canonicalizes the URL s (raw names it in errors): the
// WHATWG parse, then net/url's parse of its serialization (what colly
// requests), then the RFC 3986 normalizations. A plain URL (see plainURL)
// skips the WHATWG parse, which would not change it.
func canonicalString(s, raw string) (string, error) {
	if plainURL(s) {
		return canonicalPlain(s, raw)
	}
	return canonicalWHATWG(s, raw)
}

// canonicalWHATWG is canonicalString by the WHATWG parser, for any URL.
func canonicalWHATWG(s, raw string) (string, error) {
	w, err := whatwgParser.Parse(s)
	if err != nil {
		if u, perr := url.Parse(strings.TrimSpace(s)); perr == nil && u.Scheme == "" {
			return "", fmt.Errorf("%w %q: not absolute (want http:// or https://)", ErrBadURL, raw)
		}
		return "", badURL(raw, err)
	}
	scheme := w.Scheme()
	if scheme != "http" && scheme != "https" {
		return "", fmt.Errorf("%w %q: scheme %q is not http or https", ErrBadURL, raw, scheme)
	}
	if err := checkIPv4("", s, w.Hostname(), raw); err != nil {
		return "", err
	}
	w.SetUsername("") // dropped: net/url may not parse them (a lone "%")
	w.SetPassword("")
	u, err := url.Parse(w.Href(true))
	if err != nil {
		return "", badURL(raw, err)
	}
	c, err := canonicalParsed(u, raw)
	if err == nil && strings.HasSuffix(u.Hostname(), ".") {
		// Without its trailing dot(s) the host may parse otherwise: "0.."
		// is a domain, "0" the IPv4 address 0.0.0.0.
		return canonicalWHATWG(c, raw)
	}
	return c, err
}

// badURL wraps a parse error of raw in ErrBadURL.
func badURL(raw string, err error) error {
	return fmt.Errorf("%w %q: %w", ErrBadURL, raw, err)
}

// canonicalParsed is the last step of canonicalString: the RFC 3986
// normalizations of the parsed URL u, and its serialization.
func canonicalParsed(u *url.URL, raw string) (string, error) {
	scheme := u.Scheme
	host := strings.TrimRight(strings.ToLower(u.Hostname()), ".")
	if host == "" {
		return "", fmt.Errorf("%w %q: no host", ErrBadURL, raw)
	}
	port := u.Port()
	if (scheme == "http" && port == "80") || (scheme == "https" && port == "443") {
		port = ""
	}
	p := removeDotSegments(normalizePercent(u.EscapedPath()))
	if p == "" {
		p = "/"
	}
	query := ""
	if u.RawQuery != "" || u.ForceQuery {
		query = normalizePercent(u.RawQuery)
	}
	var b strings.Builder // in one allocation
	b.Grow(len(scheme) + len("://[]:") + len(host) + len(port) + len(p) + len("?") + len(query))
	b.WriteString(scheme)
	b.WriteString("://")
	writeHostPort(&b, host, port)
	b.WriteString(p)
	if u.RawQuery != "" || u.ForceQuery {
		b.WriteByte('?')
		b.WriteString(query)
	}
	return b.String(), nil
}

// normalizePercent decodes the percent-encoded unreserved characters of s
// (RFC 3986 §2.3), but for a hex digit that would make an escape of a "%"
// that starts none, and upper-cases the hex digits of the other encodings.
func normalizePercent(s string) string {
	if !strings.Contains(s, "%") {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] != '%' || i+2 >= len(s) || !isHex(s[i+1]) || !isHex(s[i+2]) {
			b.WriteByte(s[i])
			continue
		}
		c := unhex(s[i+1])<<4 | unhex(s[i+2])
		if isUnreserved(c) && !(isHex(c) && endsInLonePercent(b.String())) {
			b.WriteByte(c)
		} else {
			b.WriteString("%" + strings.ToUpper(s[i+1:i+3]))
		}
		i += 2
	}
	return b.String()
}

// endsInLonePercent reports whether normalizePercent's output so far, out,
// ends in a "%" that starts no escape, maybe with one hex digit after it: a
// hex digit decoded after it would make one ("%7%41" would be "%7A", which
// is "z"), so it stays encoded.
func endsInLonePercent(out string) bool {
	n := len(out)
	return n >= 1 && out[n-1] == '%' || n >= 2 && out[n-2] == '%' && isHex(out[n-1])
}

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

func unhex(c byte) byte {
	switch {
	case c <= '9':
		return c - '0'
	case c <= 'F':
		return c - 'A' + 10
	}
	return c - 'a' + 10
}

func isUnreserved(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' ||
		c == '-' || c == '.' || c == '_' || c == '~'
}

// removeDotSegments is RFC 3986 §5.2.4 on an absolute path: "." and ".."
// segments resolved, a trailing one leaving a trailing slash.
func removeDotSegments(p string) string {
	if !strings.Contains(p, "/.") {
		return p
	}
	segs := strings.Split(p, "/")[1:]
	out := make([]string, 0, len(segs))
	for i, s := range segs {
		last := i == len(segs)-1
		switch s {
		case ".":
		case "..":
			if len(out) > 0 {
				out = out[:len(out)-1]
			}
		default:
			out = append(out, s)
			continue
		}
		if last {
			out = append(out, "")
		}
	}
	return "/" + strings.Join(out, "/")
}

// writeHostPort writes host and an optional port, bracketing IPv6, as
// net.JoinHostPort does.
func writeHostPort(b *strings.Builder, host, port string) {
	if strings.Contains(host, ":") {
		b.WriteByte('[')
		b.WriteString(host)
		b.WriteByte(']')
	} else {
		b.WriteString(host)
	}
	if port != "" {
		b.WriteByte(':')
		b.WriteString(port)
	}
}

// hashURL is the 64-bit hash (xxHash64) of a canonical URL that the frontier's
// seen set stores instead of the URL itself: 8 bytes per URL whatever its
// length. Two different URLs share a hash with probability about n²/2⁶⁵ for n
// URLs (about 3·10⁻⁸ at a million URLs, 3% at a billion); a collision makes
// the crawl skip the second URL as if it had been seen. It is stable across
// processes and runs, so an on-disk or shared seen set can use it too.
func hashURL(canonical string) uint64 { return xxhash.Sum64String(canonical) }

// HostOf returns the host, with its port if any, of a canonical URL (see
// Canonicalize): the key of per-host politeness. Frontiers that store
// requests use it too, so that they and the crawler agree on hosts.
func HostOf(canonical string) string {
	rest := canonical
	if i := strings.Index(canonical, "://"); i >= 0 {
		rest = canonical[i+3:]
	}
	if i := strings.IndexByte(rest, '/'); i >= 0 {
		return rest[:i]
	}
	return rest
}
