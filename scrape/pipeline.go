package scrape

// The crawl's pipeline, top to bottom. One goroutine schedules; every other
// step is a task on a bounded pool, and a done-callback does no I/O and
// never waits: it hands its result on with a submit that cannot block, or
// gives slots back.
//
//	schedule                       one goroutine (Run's)
//	  │ Frontier.Pop, asking admit: a wire slot free, robots.txt in for
//	  │ the host (else its load goes to the fetch pool; then its sitemaps,
//	  │ with Config.Sitemaps), a HostGate slot free
//	  │ dispatch: MaxPages reached? robots.txt disallows? → drop
//	  │ slots.takeFetch (wire, busy, open)
//	  ▼
//	fetch task                     c.pool: Concurrency workers
//	  │ colly GET; its context ends at a hard stop (c.hardCtx), which
//	  │ cancels the request; redirects checked against the frontier
//	  ▼ done-callback handOn: submit the finish stage, return
//	  (a page's closures and bookkeeping live in a reused flight: flight.go)
//	finish stage                   c.stage: 2·Concurrency workers
//	  │ HostGate.Release, slots.offWire
//	  │ retryable? → Frontier.Retry, done
//	  │ extract: here (ExtractInThread), or a task on c.procs, waited for
//	  │ finish: record → Frontier.Push(links) → Output.Write → Frontier.Ack
//	  ▼ done-callback: slots.settle (busy slot and lease back, wake the scheduler)
//
// Backpressure: the scheduler dispatches only while slots has room (at most
// Concurrency requests on the wire, at most 2·Concurrency pages between
// dispatch and settle), so a slow output or frontier, which holds pages in
// the finish stage, stops the fetching instead of queueing pages. The pools'
// bounded queues therefore never fill; a submit to a full one fails (is
// never waited on), and a finish stage refused so fails the crawl.

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/poolscrape/poolscrape/executor"
)

// schedule feeds the fetch pool from the frontier until the frontier is
// drained, ctx ends or a fatal error. It is the only goroutine that
// dispatches; the stages wake it through slots.
func (c *Crawler) schedule(ctx context.Context) error {
	admit := Admit(c.admit) // once: a method value passed on allocates
	for {
		if err := c.failure(); err != nil {
			return err
		}
		if ctx.Err() != nil {
			return nil
		}
		if c.slots.full() {
			c.slots.sleep(ctx, 0)
			continue
		}
		lease, wait, err := c.frontier.Pop(ctx, admit)
		switch {
		case err == nil:
			c.dispatch(lease)
		case errors.Is(err, ErrDrained) && c.sitemapsLoading():
			c.slots.sleep(ctx, 0) // sitemaps may push more
		case errors.Is(err, ErrDrained):
			return nil
		case errors.Is(err, ErrNoneReady):
			c.slots.sleep(ctx, wait)
		case ctx.Err() != nil:
			return nil
		default:
			return fmt.Errorf("scrape: frontier: %w", err)
		}
	}
}

// dispatch sends a leased request to the fetch pool, unless Config.MaxPages
// is reached (a fresh request is then dropped) or robots.txt disallows it.
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
	c.slots.takeFetch()
	p := c.getFlight(l)
	c.fetchFlight(p).AddDoneCallback(p.onFetched)
}

// fetch submits l's fetch as a task on the fetch pool (see fetchFlight).
func (c *Crawler) fetch(l Lease) *executor.Future[*fetched] {
	return c.fetchFlight(c.getFlight(l))
}

// fetchFlight submits p's fetch as a task on the fetch pool. The task
// honours its context: a hard stop (c.hardCtx ends) or a Cancel of the
// future cancels the request.
func (c *Crawler) fetchFlight(p *flight) *executor.Future[*fetched] {
	return executor.Submit(c.pool, p.fetchFn, p.withContext(c.hardCtx))
}

// handOn is the fetch's done-callback (flight.onFetched): it submits the
// page's finish stage and returns. The stage's done-callback
// (flight.onFinished) settles the page's slots; if the stage never ran
// (refused: see the file comment), the crawl fails.
func (c *Crawler) handOn(p *flight) {
	executor.Submit(c.stage, p.finishFn).AddDoneCallback(p.onFinished)
}

// finishPage is the finish stage of one fetched page, on a stage worker: it
// gives the host's gate slot back, sends a retryable failure back to the
// frontier with a not-before time, and extracts from anything else and
// finishes its record.
func (c *Crawler) finishPage(ctx context.Context, p *flight) {
	l := p.lease
	res, err := p.fetch.Result(ctx)
	if err != nil || res == nil {
		res = &fetched{FinalURL: l.URL, FetchedAt: time.Now(), Err: fmt.Errorf("fetch task: %w", err)}
	}
	if err := c.gate.Release(c.settleCtx, HostOf(l.URL), Outcome{Latency: res.Latency, Status: res.Status, Fetched: true}); err != nil {
		c.fail(fmt.Errorf("scrape: host gate: %w", err))
	}
	c.slots.offWire() // extraction may overlap the next fetch
	p.offWire = true
	if c.retry(l, res) {
		return
	}
	c.finish(l, res, c.extract(ctx, res))
}

// extract runs the rules on a textual body: in this goroutine, or
// (ExtractInProcess) as the registered task on the process pool, waiting
// for its result. A worker process's failure goes to res.Err.
func (c *Crawler) extract(ctx context.Context, res *fetched) extracted {
	if res.Body == nil || !isTextual(res.ContentType) {
		return extracted{}
	}
	page := pageData{URL: res.FinalURL, ContentType: res.ContentType, Body: res.Body}
	if c.procs == nil {
		return c.extractor.Extract(page)
	}
	ex, err := executor.Call(c.procs, extractTask, extractArgs{Rules: c.cfg.Rules, Page: page}).Result(ctx)
	if err != nil {
		res.Err = fmt.Errorf("extraction in a worker process: %w", err)
	}
	return ex
}
