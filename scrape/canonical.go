package scrape

import (
	"errors"
	"fmt"
	"net"
	"net/url"
	"strings"

	"github.com/cespare/xxhash/v2"
)

// ErrBadURL is returned for a URL that cannot be crawled: unparsable, not
// absolute, without a host, or with a scheme other than http or https.
var ErrBadURL = errors.New("scrape: bad URL")

// Canonicalize returns the canonical form of an absolute http or https URL,
// the form the frontier dedupes on: scheme and host lower-cased, the default
// port (80 for http, 443 for https) and the fragment dropped, an empty path
// made "/", and dot segments resolved. The query is kept byte for byte (its
// parameters are not sorted: two orders may be two pages). The result is a
// deterministic function of the input, so that every process of a shared
// crawl agrees on it.
func Canonicalize(raw string) (string, error) {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil {
		return "", fmt.Errorf("%w %q: %w", ErrBadURL, raw, err)
	}
	return canonicalURL(u, raw)
}

// canonicalURL canonicalizes a parsed URL; raw names it in errors.
func canonicalURL(u *url.URL, raw string) (string, error) {
	scheme := strings.ToLower(u.Scheme)
	if scheme != "http" && scheme != "https" {
		if u.Scheme == "" {
			return "", fmt.Errorf("%w %q: not absolute (want http:// or https://)", ErrBadURL, raw)
		}
		return "", fmt.Errorf("%w %q: scheme %q is not http or https", ErrBadURL, raw, u.Scheme)
	}
	host := strings.ToLower(u.Hostname())
	if host == "" {
		return "", fmt.Errorf("%w %q: no host", ErrBadURL, raw)
	}
	port := u.Port()
	if (scheme == "http" && port == "80") || (scheme == "https" && port == "443") {
		port = ""
	}
	c := url.URL{Scheme: scheme, Host: joinHostPort(host, port), Path: u.Path, RawPath: u.RawPath, RawQuery: u.RawQuery}
	if c.Path == "" {
		c.Path = "/"
	} else if strings.Contains(c.Path, "/.") {
		c = *c.ResolveReference(&url.URL{Path: c.Path, RawPath: c.RawPath, RawQuery: c.RawQuery})
	}
	if u.ForceQuery && c.RawQuery == "" {
		c.ForceQuery = true
	}
	return c.String(), nil
}

// joinHostPort puts host and an optional port together, bracketing IPv6.
func joinHostPort(host, port string) string {
	if port == "" {
		if strings.Contains(host, ":") {
			return "[" + host + "]"
		}
		return host
	}
	return net.JoinHostPort(host, port)
}

// HashURL is the 64-bit hash (xxHash64) of a canonical URL that the frontier's
// seen set stores instead of the URL itself: 8 bytes per URL whatever its
// length. Two different URLs share a hash with probability about n²/2⁶⁵ for n
// URLs (about 3·10⁻⁸ at a million URLs, 3% at a billion); a collision makes
// the crawl skip the second URL as if it had been seen. It is stable across
// processes and runs, so an on-disk or shared seen set can use it too.
func HashURL(canonical string) uint64 { return xxhash.Sum64String(canonical) }

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
