package scrape

import "fmt"

// maxStartRobotsReasons bounds Stats.StartRobotsUnreachable.
const maxStartRobotsReasons = 10

// robotsLoaded is the Robots OnLoad: the host's Crawl-delay, capped, goes to
// the gate; an unreachable robots.txt is counted.
func (c *Crawler) robotsLoaded(host string, res RobotsResult) {
	if res.Unreachable != "" {
		c.stats.robotsUnreachable.Add(1)
	}
	d := c.delays.cap(host, "Crawl-delay", res.CrawlDelay)
	if err := c.gate.SetCrawlDelay(c.hardCtx, host, d); err != nil {
		c.fail(fmt.Errorf("scrape: host gate: %w", err))
	}
}

// robotsBlockedStart notes a start URL that robots.txt blocked; when its
// host's robots.txt was unreachable, the stats say why.
func (c *Crawler) robotsBlockedStart(u, host string) {
	c.stats.startFailed.Add(1)
	why := c.robots.Unreachable(host)
	if why == "" {
		return
	}
	c.stats.mu.Lock()
	defer c.stats.mu.Unlock()
	if len(c.stats.startRobots) < maxStartRobotsReasons {
		c.stats.startRobots = append(c.stats.startRobots, fmt.Sprintf("%s: robots.txt unreachable: %s", u, why))
	}
}
