package scrape

import (
	"context"
	"fmt"

	"github.com/poolscrape/poolscrape/executor"
)

// flight is one page on its way through the pipeline, from dispatch to
// settle: its lease, its fetch's future, and the task functions and
// done-callbacks of its fetch and finish stage. Those are made once per
// flight, and flights are reused (getFlight, putFlight), so that a page
// costs no closures on its way.
type flight struct {
	c       *Crawler
	lease   Lease
	fetch   *executor.Future[*fetched] // settled, from onFetched on
	offWire bool                       // its wire slot is given back

	withCtx    executor.CallOption // WithContext(ctx), remade when ctx changes
	ctx        context.Context
	fetchFn    func(context.Context) (*fetched, error)
	onFetched  func(*executor.Future[*fetched])
	finishFn   func(context.Context) (struct{}, error)
	onFinished func(*executor.Future[struct{}])
}

func newFlight(c *Crawler) *flight {
	p := &flight{c: c}
	p.fetchFn = func(ctx context.Context) (*fetched, error) {
		hdr, prev := c.conditional(p.lease.URL)
		res := c.fetcher.FetchWith(ctx, p.lease.URL, hdr)
		res.prev = prev
		return res, nil
	}
	p.onFetched = func(f *executor.Future[*fetched]) {
		p.fetch = f
		c.handOn(p)
	}
	p.finishFn = func(ctx context.Context) (struct{}, error) {
		c.finishPage(ctx, p)
		return struct{}{}, nil
	}
	p.onFinished = func(f *executor.Future[struct{}]) {
		if err := f.Err(); err != nil {
			c.fail(fmt.Errorf("scrape: finish stage of %s: %w", p.lease.URL, err))
		}
		if !p.offWire {
			c.slots.offWire()
		}
		c.slots.settle()
		c.putFlight(p) // last: p is another page's from here
	}
	return p
}

// getFlight returns a flight for l, new or one a settled page gave back.
func (c *Crawler) getFlight(l Lease) *flight {
	p, _ := c.flights.Get().(*flight)
	if p == nil {
		p = newFlight(c)
	}
	p.lease = l
	return p
}

// putFlight gives back the flight of a settled page, holding nothing of it.
func (c *Crawler) putFlight(p *flight) {
	p.lease, p.fetch, p.offWire = Lease{}, nil, false
	c.flights.Put(p)
}

// withContext returns executor.WithContext(ctx), made once per ctx.
func (p *flight) withContext(ctx context.Context) executor.CallOption {
	if p.withCtx == nil || p.ctx != ctx {
		p.withCtx, p.ctx = executor.WithContext(ctx), ctx
	}
	return p.withCtx
}
