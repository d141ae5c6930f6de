package scrape

import (
	"context"
	"fmt"
)

// PageBudget is a page limit shared with other crawls (Config.PageBudget):
// TakePage takes one page from it, or reports false when none is left. It
// is called once per URL about to be fetched for the first time (not for
// retries), from the scheduling goroutine.
type PageBudget interface {
	TakePage(ctx context.Context) (bool, error)
}

// takeShared takes a page from Config.PageBudget for a fresh lease; when
// none is left (or the budget fails, which fails the crawl) the lease is
// dropped as one past MaxPages and takeShared reports false.
func (c *Crawler) takeShared(l Lease, host string) bool {
	if c.cfg.PageBudget == nil || l.Attempt > 0 {
		return true
	}
	ok, err := c.cfg.PageBudget.TakePage(c.hardCtx)
	if err != nil {
		c.fail(fmt.Errorf("scrape: page budget: %w", err))
	}
	if ok && err == nil {
		return true
	}
	c.stats.maxPagesSkipped.Add(1)
	c.drop(l, host)
	return false
}
