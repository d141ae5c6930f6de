package scrape

import (
	"net/http"
)

// maxRedirects is how many redirects one fetch follows, as net/http does.
const maxRedirects = 10

// checkRedirect is colly's redirect handler. It follows a redirect only to a
// URL that is in scope, allowed by robots.txt and not seen before, and marks
// that target seen (atomically, in the frontier), so it is never fetched
// again on its own: the redirecting URL's record carries it as final_url and
// the target gets no record of its own. The targets a fetch marked are
// unmarked when that fetch is retried or given back (see redirectClaims),
// so that a hop failing once does not lose the rest of the chain. Otherwise the 3xx answer itself is
// the record: its status, and its Location target as final_url. A redirect
// back to the URL first asked for (a cookie round trip) is followed once: a
// URL that redirects to itself is asked twice, not maxRedirects times.
//
// A start URL's redirect to another host (http://example.com/ to
// https://www.example.com/) is followed whatever the scope, and the target's
// host joins the scope, as if it had been given as a start URL: otherwise
// such a crawl would end at its first 301.
func (c *Crawler) checkRedirect(req *http.Request, via []*http.Request) error {
	if len(via) >= maxRedirects {
		return http.ErrUseLastResponse
	}
	target, err := canonicalURL(req.URL, req.URL.String())
	if err != nil {
		return http.ErrUseLastResponse
	}
	first, err := canonicalURL(via[0].URL, via[0].URL.String())
	if err == nil && first == target {
		if revisits(via[1:], target) {
			return http.ErrUseLastResponse
		}
		return nil
	}
	verdict := c.filter.Check(target)
	if verdict == OffScope && c.starts[first] && c.filter.Widen(target) {
		verdict = c.filter.Check(target)
	}
	switch verdict {
	case Follow:
	case Binary:
		c.stats.binary.Add(1)
		return http.ErrUseLastResponse
	default:
		c.stats.offScope.Add(1)
		return http.ErrUseLastResponse
	}
	if c.robots != nil && !c.robots.Allowed(c.hardCtx, req.URL) {
		c.stats.robots.Add(1)
		return http.ErrUseLastResponse
	}
	added, err := c.frontier.MarkSeen(c.hardCtx, target)
	if err != nil {
		c.fail(err)
		return http.ErrUseLastResponse
	}
	if !added {
		return http.ErrUseLastResponse
	}
	c.claims.add(first, target)
	return nil
}

// revisits reports whether one of the requests in hops already went to the
// canonical URL target.
func revisits(hops []*http.Request, target string) bool {
	for _, r := range hops {
		if c, err := canonicalURL(r.URL, r.URL.String()); err == nil && c == target {
			return true
		}
	}
	return false
}
