package scrape

import (
	"fmt"
	"sync"
	"time"
)

// DefaultMaxDelay is the cap on per-host delays when Config.MaxDelay is 0.
const DefaultMaxDelay = 30 * time.Second

// delayCap caps the delays a host asks for (its robots.txt Crawl-delay, a
// Retry-After) at limit, and warns once per host when it does.
type delayCap struct {
	limit time.Duration
	warn  func(string) // nil: no warnings

	mu     sync.Mutex
	warned map[string]bool
}

func newDelayCap(limit time.Duration, warn func(string)) *delayCap {
	return &delayCap{limit: limit, warn: warn, warned: map[string]bool{}}
}

// cap returns asked, or the limit if asked is larger (what names the
// delay in the warning: "Crawl-delay", "Retry-After"). A negative asked is
// a delay too large for a time.Duration.
func (d *delayCap) cap(host, what string, asked time.Duration) time.Duration {
	if asked >= 0 && asked <= d.limit {
		return asked
	}
	d.mu.Lock()
	first := !d.warned[host]
	d.warned[host] = true
	d.mu.Unlock()
	if first && d.warn != nil {
		askedText := asked.String()
		if asked < 0 {
			askedText = "over 292 years"
		}
		d.warn(fmt.Sprintf("host %s asks for a %s of %s: waiting %v at most", host, what, askedText, d.limit))
	}
	return d.limit
}

// retryWait is how long a retryable failure of l waits: the policy's
// backoff, with the server's Retry-After capped at the crawl's maximum
// delay.
func (c *Crawler) retryWait(l Lease, res *fetched) time.Duration {
	ra := res.RetryAfter
	if res.HasRetryAfter {
		ra = c.delays.cap(HostOf(l.URL), "Retry-After", ra)
	}
	return c.cfg.retry.Backoff(l.Attempt, ra, res.HasRetryAfter)
}
