package scrape

import (
	"context"
	"fmt"
	"net/url"
	"time"

	"github.com/poolscrape/poolscrape/executor"
)

// admit is the frontier's Admit: a wire slot must be free (one Pop may
// start robots.txt loads for several hosts, each in a slot), robots.txt
// must be in for the host (its load is started on the fetch pool the first
// time), then the gate must have a slot.
func (c *Crawler) admit(host, u string) (bool, time.Duration) {
	if c.slots.full() {
		return false, 0 // a stage giving a slot back wakes the scheduler
	}
	if c.robots != nil {
		ready, claim := c.robots.Ready(host)
		if claim {
			c.loadRobots(host, u)
		}
		if !ready {
			return false, 0
		}
	}
	c.startSitemaps(host, u)
	ok, wait, err := c.gate.TryAcquire(c.hardCtx, host, time.Now())
	if err != nil {
		c.fail(fmt.Errorf("scrape: host gate: %w", err))
		return false, 0
	}
	return ok, wait
}

// loadRobots fetches host's robots.txt as a task on the fetch pool, in a
// wire slot; its done-callback gives the slot back.
func (c *Crawler) loadRobots(host, u string) {
	scheme := "http"
	if pu, err := url.Parse(u); err == nil {
		scheme = pu.Scheme
	}
	c.slots.takeLoad()
	f := executor.Submit(c.pool, func(context.Context) (struct{}, error) {
		c.robots.LoadClaimed(c.hardCtx, scheme, host)
		return struct{}{}, nil
	})
	f.AddDoneCallback(func(*executor.Future[struct{}]) { c.slots.loadDone() })
}

// drop acks a lease that is not fetched and gives its gate slot back;
// Config.Pages keeps it for the next pass (rememberSkipped).
func (c *Crawler) drop(l Lease, host string) {
	c.rememberSkipped(l) // recrawl.go
	if err := c.gate.Release(c.settleCtx, host, Outcome{}); err != nil {
		c.fail(fmt.Errorf("scrape: host gate: %w", err))
	}
	if err := c.frontier.Ack(c.settleCtx, l); err != nil {
		c.fail(fmt.Errorf("scrape: frontier ack %s: %w", l.URL, err))
	}
}
