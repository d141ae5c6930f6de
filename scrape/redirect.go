package scrape

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
)

// maxRedirects is how many redirects one fetch follows, as net/http does.
const maxRedirects = 10

// Errors of a record whose redirect chain was cut short; the record's
// status is the last 3xx and its final_url that answer's Location.
var (
	// errRedirectLoop: the chain came back to a URL it had asked already.
	errRedirectLoop = errors.New("scrape: redirect loop")
	// errTooManyRedirects: the chain was longer than maxRedirects (10).
	errTooManyRedirects = errors.New("scrape: too many redirects")
)

// checkRedirect is colly's redirect handler. It follows a redirect only to a
// URL that is in scope, allowed by robots.txt and not seen before, and marks
// that target seen (atomically, in the frontier), so it is never fetched
// again on its own: the redirecting URL's record carries it as final_url and
// the target gets no record of its own. The targets a fetch marked are
// unmarked when that fetch is retried or given back (see redirectClaims),
// so that a hop failing once does not lose the rest of the chain; the mark
// is a claim of the fetch's lease (Frontier.MarkSeen's by), which a
// frontier that outlives the process undoes when it hands that lease out
// again after the process died. Otherwise
// the 3xx answer itself is the record: its status, and its Location target
// as final_url. A redirect back to the URL first asked for (a cookie round
// trip) is followed once: a URL that redirects to itself is asked twice, not
// maxRedirects times. A loop, or a chain over maxRedirects, gives the record
// the error errRedirectLoop or errTooManyRedirects. A target is requested
// in its canonical form.
//
// A start URL's redirect to another host (http://example.com/ to
// https://www.example.com/) is followed whatever the scope, and the target's
// host joins the scope, as if it had been given as a start URL: otherwise
// such a crawl would end at its first 301.
func (c *Crawler) checkRedirect(req *http.Request, via []*http.Request) error {
	first, ferr := canonicalURL(via[0].URL, via[0].URL.String())
	if len(via) >= maxRedirects {
		c.claims.cut(first, fmt.Errorf("%w: stopped after %d redirects, at %s", errTooManyRedirects, maxRedirects, req.URL.Redacted()))
		return http.ErrUseLastResponse
	}
	target, err := canonicalURL(req.URL, req.URL.String())
	if err != nil {
		return http.ErrUseLastResponse
	}
	if err := requestCanonical(req, target); err != nil {
		return http.ErrUseLastResponse
	}
	if ferr == nil && first == target && !revisits(via[1:], target) {
		return nil
	}
	if revisits(via, target) {
		c.claims.cut(first, fmt.Errorf("%w: %s redirects back to %s", errRedirectLoop, via[len(via)-1].URL.Redacted(), target))
		return http.ErrUseLastResponse
	}
	verdict := c.filter.Check(target)
	if verdict == linkOffScope && c.starts[first] && c.filter.Widen(target) {
		verdict = c.filter.Check(target)
	}
	switch verdict {
	case linkFollowed:
	case linkBinary:
		c.stats.skip(&c.stats.binary, target)
		return http.ErrUseLastResponse
	default:
		c.stats.skip(&c.stats.offScope, target)
		return http.ErrUseLastResponse
	}
	if c.robots != nil && !c.robots.Allowed(c.hardCtx, req.URL) {
		c.stats.robots.Add(1)
		return http.ErrUseLastResponse
	}
	added, err := c.frontier.MarkSeen(c.hardCtx, target, first)
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

// requestCanonical makes req ask for the canonical URL target, so that
// the request sent is the URL that robots.txt, the scope and the seen set
// judge: net/http resolves a Location header without the WHATWG rules
// (percent-encoded dot segments stay, for one).
func requestCanonical(req *http.Request, target string) error {
	u, err := url.Parse(target)
	if err != nil {
		return fmt.Errorf("%w %q: %w", ErrBadURL, target, err)
	}
	if req.Host == req.URL.Host {
		req.Host = u.Host
	}
	req.URL = u
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
