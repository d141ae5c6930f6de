package scrape

import (
	"errors"
	"fmt"
	"time"
)

// errRobotsUnreachable fails the record of a start URL whose host's
// robots.txt was unreachable (5xx, 429, network error, after retries):
// RFC 9309 disallows the whole host then.
var errRobotsUnreachable = errors.New("scrape: robots.txt unreachable, so the host is disallowed (RFC 9309)")

// maxStartRobotsReasons bounds Stats.StartRobotsUnreachable.
const maxStartRobotsReasons = 10

// robotsLoaded is the robotsCache OnLoad: the host's Crawl-delay, capped, goes to
// the gate; an unreachable robots.txt is counted.
func (c *Crawler) robotsLoaded(host string, res robotsResult) {
	if res.Unreachable != "" {
		c.stats.robotsUnreachable.Add(1)
	}
	d := c.delays.cap(host, "Crawl-delay", res.CrawlDelay)
	if err := c.gate.SetCrawlDelay(c.hardCtx, host, d); err != nil {
		c.fail(fmt.Errorf("scrape: host gate: %w", err))
	}
}

// robotsBlockedStart settles a start URL that robots.txt blocked. When its
// host's robots.txt was unreachable, the URL gets an error record saying
// why, and the stats keep the reason; otherwise it is dropped, as any
// robots-blocked URL.
func (c *Crawler) robotsBlockedStart(l Lease, host string) {
	why := c.robots.Unreachable(host)
	if why == "" {
		c.stats.startFailed.Add(1)
		c.drop(l, host)
		return
	}
	c.stats.mu.Lock()
	if len(c.stats.startRobots) < maxStartRobotsReasons {
		c.stats.startRobots = append(c.stats.startRobots, fmt.Sprintf("%s: robots.txt unreachable: %s", l.URL, why))
	}
	c.stats.mu.Unlock()
	if err := c.gate.Release(c.settleCtx, host, Outcome{}); err != nil {
		c.fail(fmt.Errorf("scrape: host gate: %w", err))
	}
	c.finish(l, &fetched{FinalURL: l.URL, FetchedAt: time.Now(), Err: fmt.Errorf("%w: %s", errRobotsUnreachable, why)}, extracted{})
}
