package scrape

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"sync"
	"time"

	"github.com/temoto/robotstxt"
)

// maxRobotsBytes is the most of a robots.txt that is read (Google reads
// 500 KiB).
const maxRobotsBytes = 500 << 10

// Robots caches each host's robots.txt and answers whether a URL may be
// fetched. Rules are looked up for the crawl's User-Agent. A robots.txt that
// answers 2xx is obeyed; 4xx (none there) allows everything; 5xx disallows
// everything, as Google does; a network failure allows everything, as Scrapy
// does. One robots.txt serves a host on both http and https (the scheme of
// the first URL seen for the host is the one fetched). Safe for concurrent
// use; a host's robots.txt is fetched once however many ask at once.
type Robots struct {
	client    *http.Client
	userAgent string
	onLoad    func(host string, crawlDelay time.Duration)

	mu    sync.Mutex
	hosts map[string]*robotsEntry
}

type robotsEntry struct {
	started bool
	done    chan struct{}
	group   *robotstxt.Group // nil: everything allowed
}

// NewRobots returns a cache that fetches with client as userAgent; onLoad,
// if not nil, is called once per host when its robots.txt is in, with its
// Crawl-delay (0 if none).
func NewRobots(client *http.Client, userAgent string, onLoad func(host string, crawlDelay time.Duration)) *Robots {
	return &Robots{client: client, userAgent: userAgent, onLoad: onLoad, hosts: map[string]*robotsEntry{}}
}

func (r *Robots) entry(host string) *robotsEntry {
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
func (r *Robots) Ready(host string) (ready, claim bool) {
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
func (r *Robots) Load(ctx context.Context, scheme, host string) {
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
// claim it. Whatever happens, the host is ready afterwards.
func (r *Robots) LoadClaimed(ctx context.Context, scheme, host string) {
	r.mu.Lock()
	e := r.entry(host)
	r.mu.Unlock()
	data := r.fetch(ctx, scheme, host)
	if data != nil {
		e.group = data.FindGroup(r.userAgent)
	}
	close(e.done)
	if r.onLoad != nil {
		var d time.Duration
		if e.group != nil {
			d = e.group.CrawlDelay
		}
		r.onLoad(host, d)
	}
}

func (r *Robots) fetch(ctx context.Context, scheme, host string) *robotstxt.RobotsData {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, scheme+"://"+host+"/robots.txt", nil)
	if err != nil {
		return nil
	}
	req.Header.Set("User-Agent", r.userAgent)
	resp, err := r.client.Do(req)
	if err != nil {
		return nil
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxRobotsBytes))
	if err != nil {
		return nil
	}
	data, err := robotstxt.FromStatusAndBytes(resp.StatusCode, body)
	if err != nil {
		return nil
	}
	return data
}

// Allowed reports whether the robots.txt of u's host allows u, fetching it
// first if needed (it blocks then: call it from a pool worker).
func (r *Robots) Allowed(ctx context.Context, u *url.URL) bool {
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
func (r *Robots) AllowedURL(ctx context.Context, canonical string) (bool, error) {
	u, err := url.Parse(canonical)
	if err != nil {
		return false, fmt.Errorf("%w %q: %w", ErrBadURL, canonical, err)
	}
	return r.Allowed(ctx, u), nil
}
