package scrape

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"time"

	"github.com/poolscrape/poolscrape/executor"
)

// schedule feeds the pool from the frontier until the frontier is drained,
// ctx ends or a fatal error. It is the only goroutine that dispatches; the
// done-callbacks wake it through c.wake.
func (c *Crawler) schedule(ctx context.Context) error {
	for {
		if err := c.failure(); err != nil {
			return err
		}
		if ctx.Err() != nil {
			return nil
		}
		if c.inflight.Load() >= int64(c.cfg.Concurrency) || c.busy.Load() >= 2*int64(c.cfg.Concurrency) {
			c.sleep(ctx, 0)
			continue
		}
		lease, wait, err := c.frontier.Pop(ctx, c.admit)
		switch {
		case err == nil:
			c.dispatch(lease)
		case errors.Is(err, ErrDrained) && c.sitemapsLoading():
			c.sleep(ctx, 0) // sitemaps may push more
		case errors.Is(err, ErrDrained):
			return nil
		case errors.Is(err, ErrNoneReady):
			c.sleep(ctx, wait)
		case ctx.Err() != nil:
			return nil
		default:
			return fmt.Errorf("scrape: frontier: %w", err)
		}
	}
}

// sleep waits for a wake-up, ctx, or d (d <= 0: no timer).
func (c *Crawler) sleep(ctx context.Context, d time.Duration) {
	var timer <-chan time.Time
	if d > 0 {
		t := time.NewTimer(d)
		defer t.Stop()
		timer = t.C
	}
	select {
	case <-c.wake:
	case <-ctx.Done():
	case <-timer:
	}
}

// admit is the frontier's Admit: robots.txt must be in for the host (its
// load is started on the pool the first time), then the gate must have a
// slot.
func (c *Crawler) admit(host, u string) (bool, time.Duration) {
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

// loadRobots fetches host's robots.txt as a pool task.
func (c *Crawler) loadRobots(host, u string) {
	scheme := "http"
	if pu, err := url.Parse(u); err == nil {
		scheme = pu.Scheme
	}
	c.inflight.Add(1)
	c.busy.Add(1)
	f := executor.Submit(c.pool, func(context.Context) (struct{}, error) {
		c.robots.LoadClaimed(c.hardCtx, scheme, host)
		return struct{}{}, nil
	})
	f.AddDoneCallback(func(*executor.Future[struct{}]) {
		c.inflight.Add(-1)
		c.busy.Add(-1)
		c.notify()
	})
}

// dispatch sends a leased request to the pool, unless Config.MaxPages is reached
// (a fresh request is then dropped) or robots.txt disallows it.
func (c *Crawler) dispatch(l Lease) {
	host := HostOf(l.URL)
	if l.Attempt == 0 && c.cfg.MaxPages > 0 && c.dispatched >= c.cfg.MaxPages {
		c.stats.maxPagesSkipped.Add(1)
		c.drop(l, host)
		return
	}
	if c.robots != nil {
		if ok, _ := c.robots.AllowedURL(c.hardCtx, l.URL); !ok {
			c.stats.robots.Add(1)
			if c.starts[l.URL] && l.Depth == 0 {
				c.robotsBlockedStart(l, host)
				return
			}
			c.drop(l, host)
			return
		}
	}
	if !c.takeShared(l, host) { // pagebudget.go
		return
	}
	if l.Attempt == 0 {
		c.dispatched++
	}
	c.inflight.Add(1)
	c.busy.Add(1)
	c.open.Add(1)
	f := executor.Submit(c.pool, func(context.Context) (*fetched, error) {
		return c.fetcher.Fetch(l.URL), nil
	})
	f.AddDoneCallback(func(f *executor.Future[*fetched]) { c.onFetched(l, f) })
}

// drop acks a lease that is not fetched and gives its gate slot back.
func (c *Crawler) drop(l Lease, host string) {
	if err := c.gate.Release(c.hardCtx, host, Outcome{}); err != nil {
		c.fail(fmt.Errorf("scrape: host gate: %w", err))
	}
	if err := c.frontier.Ack(c.hardCtx, l); err != nil {
		c.fail(fmt.Errorf("scrape: frontier ack %s: %w", l.URL, err))
	}
}
