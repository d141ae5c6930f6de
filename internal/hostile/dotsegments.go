package hostile

import (
	"fmt"
	"html"
	"net/http"
	"strings"
	"sync"
)

// DotSegmentLinks are the links of DotSegments' start page: dot segments,
// plain and percent-encoded, that lead into /private or back to /a, and
// percent-encoded unreserved characters.
var DotSegmentLinks = []string{
	"/x/%2e%2e/private/secret2",
	"/%2e/private/secret3",
	"/PRIVATE/../private/secret4",
	"/x/.%2E/private/secret5",
	"/a",
	"/x/%2E%2E/a",
	"/y/./../a",
	"/%61",
	"/b/%7Eu",
	"/b/~u",
	"/b/%7eu",
	"/c/%2fd",
	"/c/%2Fd",
	"/e?q=%7E",
	"/e?q=~",
	"/f%20g/h%2",
	"/redirect-private",
	"/redirect-b",
	"100%",
}

// DotSegments is a site whose robots.txt disallows /private and whose
// start page (/) links to DotSegmentLinks. /redirect-private redirects into
// /private by a percent-encoded dot segment, /redirect-b to /b/~u by one.
// Every other page's title is the Host and request-URI it was asked with,
// as the server read them off the wire. It keeps every request-URI. Safe
// for concurrent use.
type DotSegments struct {
	mu   sync.Mutex
	uris []string
}

// ServeHTTP serves the site.
func (s *DotSegments) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	s.uris = append(s.uris, r.RequestURI)
	s.mu.Unlock()
	switch r.RequestURI {
	case "/robots.txt":
		fmt.Fprint(w, "User-agent: *\nDisallow: /private\n")
	case "/":
		var b strings.Builder
		for _, l := range DotSegmentLinks {
			fmt.Fprintf(&b, "<a href=\"%s\">x</a>\n", html.EscapeString(l))
		}
		fmt.Fprint(w, b.String())
	case "/redirect-private":
		w.Header().Set("Location", "/x/%2e%2e/private/secret6")
		w.WriteHeader(http.StatusFound)
	case "/redirect-b":
		w.Header().Set("Location", "/z/%2E%2E/b/%7Eu")
		w.WriteHeader(http.StatusFound)
	default:
		fmt.Fprintf(w, "<title>%s</title>", html.EscapeString(r.Host+r.RequestURI))
	}
}

// RequestURIs returns the request-URIs asked for, in order.
func (s *DotSegments) RequestURIs() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.uris...)
}
