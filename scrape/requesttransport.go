package scrape

import (
	"net/http"
	"net/url"
)

// requestTransport puts RequestOptions on every request on its way out:
// Header on all of them; Cookies and BasicAuth only on requests to a host
// of the credential scope. As it works hop by hop (net/http calls it for
// each redirect), a redirect to another host carries no credentials.
type requestTransport struct {
	base    http.RoundTripper
	header  http.Header
	cookies []*http.Cookie
	auth    *url.Userinfo
	trusted *linkFilter // the credential scope
}

// newRequestTransport wraps base with opts; the credential scope is scope
// against the start URLs, with ScopeAny narrowed to the start hosts (no
// password goes to every host a link leads to).
func newRequestTransport(base http.RoundTripper, opts RequestOptions, scope Scope, starts []string) http.RoundTripper {
	if len(opts.Header) == 0 && len(opts.Cookies) == 0 && opts.BasicAuth == nil {
		return base
	}
	if scope == ScopeAny {
		scope = ScopeHost
	}
	return &requestTransport{
		base: base, header: opts.Header, cookies: opts.Cookies, auth: opts.BasicAuth,
		trusted: newLinkFilter(scope, starts, nil, nil),
	}
}

// RoundTrip implements http.RoundTripper on a copy of req.
func (t *requestTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	req = req.Clone(req.Context())
	for name, vals := range t.header {
		if http.CanonicalHeaderKey(name) == "Host" {
			req.Host = vals[len(vals)-1]
			continue
		}
		if http.CanonicalHeaderKey(name) == "Cookie" {
			req.Header["Cookie"] = append(req.Header["Cookie"], vals...) // with the jar's
			continue
		}
		req.Header[http.CanonicalHeaderKey(name)] = append([]string(nil), vals...)
	}
	if !t.trusted.inScope(req.URL) {
		return t.base.RoundTrip(req)
	}
	if t.auth != nil {
		pw, _ := t.auth.Password()
		req.SetBasicAuth(t.auth.Username(), pw)
	}
	if len(t.cookies) > 0 {
		t.addCookies(req)
	}
	return t.base.RoundTrip(req)
}

// addCookies puts the user's cookies first in req's Cookie header and
// leaves out the jar's cookies of the same names.
func (t *requestTransport) addCookies(req *http.Request) {
	jar := req.Cookies()
	req.Header.Del("Cookie")
	mine := map[string]bool{}
	for _, c := range t.cookies {
		mine[c.Name] = true
		req.AddCookie(c)
	}
	for _, c := range jar {
		if !mine[c.Name] {
			req.AddCookie(c)
		}
	}
}

// CloseIdleConnections closes the idle connections of the transport below.
func (t *requestTransport) CloseIdleConnections() {
	if c, ok := t.base.(interface{ CloseIdleConnections() }); ok {
		c.CloseIdleConnections()
	}
}
