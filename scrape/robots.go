package scrape

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"sync"
	"time"

	"github.com/temoto/robotstxt"
)

// robotsCache caches each host's robots.txt and answers whether a URL may be
// fetched, following RFC 9309. Rules are looked up for the crawl's
// User-Agent. How the fetch of /robots.txt comes out decides:
//
//   - 2xx: its rules are obeyed; at most the first 500 KiB is parsed, the
//     rest is ignored (§2.5), and lines that cannot be parsed are skipped.
//   - 3xx: redirects are followed, up to five hops, to any host (§2.3.1.2);
//     the rules reached apply to the first host. More hops: as a 4xx.
//   - 4xx but 429 ("unavailable", §2.3.1.3): everything is allowed.
//   - 5xx, 429, any other status, a network error ("unreachable",
//     §2.3.1.4): the request is tried again, up to three attempts in all
//     within the time budget; if none gets an answer above, everything on
//     the host is disallowed.
//
// One robots.txt serves a host on both http and https (the scheme of the
// first URL seen for the host is the one fetched). Safe for concurrent use;
// a host's robots.txt is fetched once however many ask at once.
type robotsCache struct {
	client *http.Client
	cfg    robotsConfig

	mu    sync.Mutex
	hosts map[string]*robotsEntry
}

// robotsConfig is how a robotsCache fetches.
type robotsConfig struct {
	UserAgent string
	// Gate, if not nil, is asked for a slot before each robots.txt request
	// and given it back after, as for any fetch: the request counts toward
	// the host's delay and per-host limit.
	Gate HostGate
	// Budget bounds the load of one host's robots.txt, every attempt and
	// wait included [15s].
	Budget time.Duration
	// Retry gives the backoff between attempts (nil: defaultRetryPolicy).
	Retry *retryPolicy
	// CapDelay, if not nil, caps a Retry-After that host asks for before
	// it is waited (what is "Retry-After").
	CapDelay func(host, what string, d time.Duration) time.Duration
	// OnLoad, if not nil, is called once per host when its robots.txt is
	// in.
	OnLoad func(host string, res robotsResult)
}

// robotsResult is how a host's robots.txt came out.
type robotsResult struct {
	// CrawlDelay is the Crawl-delay of the group for the User-Agent; 0 if
	// none. A negative one is a Crawl-delay too large for a time.Duration.
	CrawlDelay time.Duration
	// Unreachable, if not empty, says why the robots.txt could not be had
	// (the status or the error, and the attempts made): everything on the
	// host is disallowed.
	Unreachable string
	// Sitemaps are the URLs of its Sitemap lines, as written.
	Sitemaps []string
}

type robotsEntry struct {
	started bool
	done    chan struct{}
	group   *robotstxt.Group // nil: everything allowed, unless unreachable
	result  robotsResult
}

// newRobotsCache returns a cache that fetches with client (its redirect policy
// is replaced by RFC 9309's five hops).
func newRobotsCache(client *http.Client, cfg robotsConfig) *robotsCache {
	rc := *client
	rc.CheckRedirect = func(_ *http.Request, via []*http.Request) error {
		if len(via) > robotsMaxRedirects {
			return http.ErrUseLastResponse
		}
		return nil
	}
	if cfg.Budget <= 0 {
		cfg.Budget = 15 * time.Second
	}
	if cfg.Retry == nil {
		p := defaultRetryPolicy(robotsAttempts - 1)
		cfg.Retry = &p
	}
	return &robotsCache{client: &rc, cfg: cfg, hosts: map[string]*robotsEntry{}}
}

func (r *robotsCache) entry(host string) *robotsEntry {
	e := r.hosts[host]
	if e == nil {
		e = &robotsEntry{done: make(chan struct{})}
		r.hosts[host] = e
	}
	return e
}

// Ready reports whether host's robots.txt is in, without blocking. When it
// is not and nobody is fetching it yet, claim is true: the caller must then
// call LoadClaimed for it (the scheduler does so on the pool).
func (r *robotsCache) Ready(host string) (ready, claim bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	e := r.entry(host)
	select {
	case <-e.done:
		return true, false
	default:
	}
	if e.started {
		return false, false
	}
	e.started = true
	return false, true
}

// Load fetches host's robots.txt over scheme, unless another caller is
// already fetching it, in which case it waits for that one (or ctx).
func (r *robotsCache) Load(ctx context.Context, scheme, host string) {
	r.mu.Lock()
	e := r.entry(host)
	mine := !e.started
	e.started = true
	r.mu.Unlock()
	if !mine {
		select {
		case <-e.done:
		case <-ctx.Done():
		}
		return
	}
	r.LoadClaimed(ctx, scheme, host)
}

// LoadClaimed fetches host's robots.txt for a caller that Ready told to
// claim it. It blocks for at most the Budget, attempts, backoffs and waits
// at the gate included. Whatever happens, the host is ready afterwards.
func (r *robotsCache) LoadClaimed(ctx context.Context, scheme, host string) {
	r.mu.Lock()
	e := r.entry(host)
	r.mu.Unlock()
	data, unreachable := r.load(ctx, scheme, host)
	if data != nil {
		e.group = data.FindGroup(r.cfg.UserAgent)
		e.result.CrawlDelay = e.group.CrawlDelay
		e.result.Sitemaps = data.Sitemaps
	}
	e.result.Unreachable = unreachable
	close(e.done)
	if r.cfg.OnLoad != nil {
		r.cfg.OnLoad(host, e.result)
	}
}

// Unreachable returns why host's robots.txt was unreachable, or "" if it
// was not (or is not in yet).
func (r *robotsCache) Unreachable(host string) string {
	if res, ok := r.loaded(host); ok {
		return res.Unreachable
	}
	return ""
}

// loaded returns host's robots.txt result if it is in, without blocking.
func (r *robotsCache) loaded(host string) (*robotsResult, bool) {
	r.mu.Lock()
	e := r.entry(host)
	r.mu.Unlock()
	select {
	case <-e.done:
		return &e.result, true
	default:
		return nil, false
	}
}

// Allowed reports whether the robots.txt of u's host allows u, fetching it
// first if needed (it blocks then: call it from a pool worker).
func (r *robotsCache) Allowed(ctx context.Context, u *url.URL) bool {
	r.mu.Lock()
	e := r.entry(u.Host)
	r.mu.Unlock()
	select {
	case <-e.done:
	default:
		r.Load(ctx, u.Scheme, u.Host)
		select {
		case <-e.done:
		default:
			return true // ctx ended first: the fetch will fail the same way
		}
	}
	if e.result.Unreachable != "" {
		return false
	}
	if e.group == nil {
		return true
	}
	p := u.EscapedPath()
	if u.RawQuery != "" {
		p += "?" + u.RawQuery
	}
	return e.group.Test(p)
}

// AllowedURL is Allowed for a canonical URL string.
func (r *robotsCache) AllowedURL(ctx context.Context, canonical string) (bool, error) {
	u, err := url.Parse(canonical)
	if err != nil {
		return false, fmt.Errorf("%w %q: %w", ErrBadURL, canonical, err)
	}
	return r.Allowed(ctx, u), nil
}
