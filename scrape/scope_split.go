package scrape

import "strings"

// splitPlainURL returns the host (with its port) and the path of u as
// url.Parse gives them (URL.Host, URL.Path), and true, when u is an
// http(s) URL plain enough for a string split to give them: a lower-case
// host of letters, digits, dots and hyphens, a port of digits, no user
// information, no "%" before the query (the path is then as written), no
// fragment and no control character. Otherwise it returns false and the
// caller parses u. A canonical URL (Canonicalize) usually is plain.
func splitPlainURL(u string) (host, path string, ok bool) {
	rest, found := strings.CutPrefix(u, "http://")
	if !found {
		if rest, found = strings.CutPrefix(u, "https://"); !found {
			return "", "", false
		}
	}
	beforeQuery, _, _ := strings.Cut(rest, "?")
	host, path = beforeQuery, ""
	if i := strings.IndexByte(beforeQuery, '/'); i >= 0 {
		host, path = beforeQuery[:i], beforeQuery[i:]
	}
	name, port, hasPort := strings.Cut(host, ":")
	if name == "" || hasPort && port == "" {
		return "", "", false
	}
	for i := 0; i < len(name); i++ {
		if c := name[i]; !('a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '.' || c == '-') {
			return "", "", false
		}
	}
	for i := 0; i < len(port); i++ {
		if port[i] < '0' || port[i] > '9' {
			return "", "", false
		}
	}
	if strings.IndexByte(path, '%') >= 0 || strings.IndexByte(u, '#') >= 0 {
		return "", "", false
	}
	for i := 0; i < len(u); i++ {
		if u[i] < 0x20 || u[i] == 0x7f {
			return "", "", false
		}
	}
	return host, path, true
}

// hostname is URL.Hostname of the host of a URL splitPlainURL took: the
// host without its port.
func hostname(host string) string {
	name, _, _ := strings.Cut(host, ":")
	return name
}
