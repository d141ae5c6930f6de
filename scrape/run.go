package scrape

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"github.com/poolscrape/poolscrape/executor"
)

// Crawler is one crawl: make it with New and start it with Run, once.
//
// The flow is one-directional (pipeline.go draws it): the scheduler pops a
// request from the Frontier (asking the HostGate and robots.txt through
// Admit) and submits its fetch as a task on the fetch pool, an
// executor.ThreadPool; the fetch's done-callback hands the page on to the
// finish stage, a task on a second pool, which extracts (there, or as a
// task on an executor.ProcessPool), pushes the links found to the Frontier,
// writes the record and acks the lease. A done-callback does no I/O and
// never waits.
type Crawler struct {
	cfg       Config
	filter    *linkFilter
	extractor *extractor
	frontier  Frontier
	gate      HostGate
	robots    *robotsCache // nil with IgnoreRobots
	delays    *delayCap
	fetcher   *fetcher
	limiter   RateLimiter           // nil: no Rate
	pool      *executor.ThreadPool  // fetch tasks and robots.txt loads
	stage     *executor.ThreadPool  // finish stage of fetched pages
	procs     *executor.ProcessPool // extraction, with ExtractInProcess
	stats     counters
	claims    redirectClaims // redirect targets marked by fetches in flight
	sitemaps  sitemapState   // with Config.Sitemaps: sitemap.go

	hardCtx    context.Context // ends in-flight requests
	hardCancel context.CancelFunc
	// settleCtx is the context of the bookkeeping of pages in flight
	// (frontier Push, Ack, Retry, gate Release, Pages.Remember): it
	// outlives the hard stop, so that the records written during the drain
	// are acked, and ends when the drain does, or DrainTimeout after the
	// hard stop at the latest.
	settleCtx    context.Context
	settleCancel context.CancelFunc
	stopping     atomic.Bool
	slots        *slots // work in flight
	dispatched   int    // fresh requests sent (scheduler goroutine only)
	starts       map[string]bool

	failOnce sync.Once
	failErr  atomic.Pointer[error]
	flights  sync.Pool // of *flight: flight.go
}

// New checks cfg and makes a crawler. Errors wrap ErrConfig, ErrBadURL or
// ErrBadRule.
func New(cfg Config) (*Crawler, error) {
	cfg, ex, limiter, err := cfg.settle() // config.go
	if err != nil {
		return nil, err
	}
	c := &Crawler{
		cfg:       cfg,
		filter:    newLinkFilter(cfg.Scope, cfg.Starts, cfg.Allow, cfg.Deny),
		extractor: ex,
		frontier:  cfg.Frontier,
		gate:      cfg.Gate,
		slots:     newSlots(cfg.Concurrency),
		starts:    map[string]bool{},
		delays:    newDelayCap(max(cfg.MaxDelay, cfg.Delay), cfg.Warn),
		limiter:   limiter,
	}
	if c.frontier == nil {
		c.frontier = NewMemoryFrontierOrder(cfg.Order)
	}
	if c.gate == nil {
		var at *autoThrottle
		if cfg.AutoThrottle {
			at = defaultAutoThrottle(cfg.PerHost)
			at.MaxDelay = max(min(at.MaxDelay, cfg.MaxDelay), cfg.Delay)
			at.StartDelay = min(at.StartDelay, at.MaxDelay)
		}
		c.gate = newMemoryGate(cfg.PerHost, cfg.Delay, at)
	}
	return c, nil
}

// Run crawls until the frontier is drained, ctx ends, or a fatal error (the
// output cannot be written, the frontier fails). When ctx ends, scheduling
// stops, in-flight fetches get DrainTimeout to finish before they are
// cancelled (their records' errors begin "interrupted: "; a Frontier that is
// a Releaser gets them back unrecorded instead, counted in Stats.Released),
// and Run returns the stats with Interrupted set and a nil error. Every
// other URL that was dispatched has its record written before Run returns.
// When Config.MaxTime runs out, the crawl stops the same way, with
// Stats.StoppedBy StoppedByMaxTime instead of Interrupted.
func (c *Crawler) Run(ctx context.Context) (Stats, error) {
	start := time.Now()
	outer := ctx
	ctx, cancelMaxTime, expired := c.withMaxTime(ctx) // maxtime.go
	defer cancelMaxTime()
	c.hardCtx, c.hardCancel = context.WithCancel(context.Background())
	defer c.hardCancel()
	c.settleCtx, c.settleCancel = context.WithCancel(context.Background())
	defer c.settleCancel()
	if err := c.setup(); err != nil {
		return Stats{}, err
	}
	err := c.seed(outer) // MaxTime does not cut the seeding short
	if err == nil {
		err = c.schedule(ctx)
	}
	if ctx.Err() != nil {
		c.stopping.Store(true)
	}
	c.drain(ctx.Err() != nil || err != nil)
	c.teardown()
	if ferr := c.failure(); ferr != nil && err == nil {
		err = ferr
	}
	counts, _ := c.frontier.Counts(context.Background())
	s := c.stats.snapshot(time.Since(start), counts.Seen)
	s.Duplicates += counts.Duplicates
	s.CrawlDone = counts.Done
	s.StartURLs = len(c.starts)
	s.Interrupted = outer.Err() != nil
	s.StoppedBy = maxTimeStop(expired, s.Interrupted)
	s.PassChanges = c.passChanges() // recrawl.go
	return s, err
}

func (c *Crawler) setup() error {
	c.fetcher = newFetcher(fetcherConfig{
		userAgent: c.cfg.UserAgent, timeout: c.cfg.Timeout, maxBody: c.cfg.MaxBody,
		concurrency: c.cfg.Concurrency, perHost: c.cfg.PerHost, redirect: c.checkRedirect,
		requests: c.cfg.RequestOptions, scope: c.cfg.Scope, starts: c.cfg.Starts,
		archive: c.cfg.Archive, warn: c.cfg.Warn, limiter: c.limiter, wire: &c.stats.wireBytes,
		previous: c.previousMemo,
	})
	if !c.cfg.IgnoreRobots {
		c.robots = newRobotsCache(c.fetcher.client, robotsConfig{
			UserAgent: c.cfg.UserAgent, Gate: c.gate, Budget: c.cfg.Timeout, Retry: c.cfg.retry,
			CapDelay: c.delays.cap, OnLoad: c.robotsLoaded,
		})
	}
	// Sized by the bounds of slots, so that neither queue ever fills: at
	// most Concurrency requests, at most 2·Concurrency pages in the finish
	// stage (all extracting at once when nothing is on the wire).
	n := c.cfg.Concurrency
	c.pool = executor.NewThreadPool(n, executor.WithQueueSize(n), executor.WithNonBlocking())
	c.stage = executor.NewThreadPool(2*n, executor.WithQueueSize(2*n), executor.WithNonBlocking())
	if c.cfg.ExtractIn == ExtractInProcess {
		procs, err := executor.NewProcessPool(c.cfg.Workers)
		if err != nil {
			return fmt.Errorf("scrape: start extraction worker processes: %w", err)
		}
		c.procs = procs
	}
	return nil
}

func (c *Crawler) teardown() {
	_ = c.pool.Shutdown(context.Background())
	_ = c.stage.Shutdown(context.Background())
	if c.procs != nil {
		_ = c.procs.Shutdown(context.Background())
	}
	if c.cfg.Progress != nil {
		c.cfg.Progress.Finish()
	}
}

// seed pushes the start URLs at depth 0.
func (c *Crawler) seed(ctx context.Context) error {
	reqs := make([]Request, 0, len(c.cfg.Starts))
	for _, s := range c.cfg.Starts {
		if !c.starts[s] {
			c.starts[s] = true
			reqs = append(reqs, Request{URL: s})
		}
	}
	if _, err := c.frontier.Push(ctx, reqs...); err != nil {
		return fmt.Errorf("scrape: push start URLs: %w", err)
	}
	return nil
}

// fail records the first fatal error and wakes the scheduler to stop.
func (c *Crawler) fail(err error) {
	c.failOnce.Do(func() { c.failErr.Store(&err) })
	c.slots.notify()
}

func (c *Crawler) failure() error {
	if p := c.failErr.Load(); p != nil {
		return *p
	}
	return nil
}

// drain waits until every open lease is settled. With timed (a stop or a
// fatal error), it also waits for robots.txt loads (which hold no lease),
// and in-flight requests are cancelled after DrainTimeout: a slow
// robots.txt must not hold the exit up for a whole Config.Timeout. The
// pages still in flight then get their records written and acked with
// settleCtx, which ends DrainTimeout after the hard stop (a frontier or
// gate that hangs must not hold the exit up either).
func (c *Crawler) drain(timed bool) {
	defer c.settleCancel()
	var timeout, settleTimeout <-chan time.Time
	if timed {
		t := time.NewTimer(c.cfg.DrainTimeout)
		defer t.Stop()
		timeout = t.C
	}
	settle := time.NewTimer(time.Hour) // started at the hard stop
	settle.Stop()
	defer settle.Stop()
	for !c.slots.settled(timed) {
		select {
		case <-c.slots.wake:
		case <-timeout:
			c.hardCancel()
			timeout = nil
			settle.Reset(c.cfg.DrainTimeout)
			settleTimeout = settle.C
		case <-settleTimeout:
			c.settleCancel()
			settleTimeout = nil
		}
	}
}
