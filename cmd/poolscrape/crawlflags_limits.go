package main

import (
	"context"
	"fmt"
	"math"
	"time"

	"github.com/poolscrape/poolscrape/scrape"
	"github.com/poolscrape/poolscrape/scrape/redisfrontier"
	"github.com/spf13/pflag"
)

// limitFlags are the crawl flags that shape the crawl as a whole: the
// order URLs are visited in, the request rate and the time allowed.
type limitFlags struct {
	order   string
	rate    float64
	maxTime time.Duration
}

// maxRate bounds --rate: requests a second.
const maxRate = 100000

func (l *limitFlags) register(fl *pflag.FlagSet) {
	fl.StringVar(&l.order, "order", "breadth", "visiting `ORDER`: breadth (by depth, lowest first) or depth (a page's first link and all under it before its second), e.g. --order depth; part of the crawl's identity with --state and --redis")
	fl.DurationVar(&l.maxTime, "max-time", 0, "stop scheduling after `D` and let in-flight fetches finish, as on Ctrl-C, but exit 0 (the stats say stopped by max_time; 0: no limit), e.g. --max-time 30m; with --state, run again to go on; with --redis, the job's deadline, from its first process's start")
	fl.Float64Var(&l.rate, "rate", 0, "at most `N` requests a second in all (robots.txt, sitemaps and redirect hops included; bursts of 1; 0: no limit; with --redis, N for the whole job), e.g. --rate 5 or --rate 0.5")
}

// apply checks the flags and puts them into cfg.
func (l *limitFlags) apply(cfg *scrape.Config) error {
	if l.order != string(scrape.OrderBreadth) && l.order != string(scrape.OrderDepth) {
		return usageErrorf("--order %q: want breadth or depth", l.order)
	}
	cfg.Order = scrape.Order(l.order)
	if !(l.rate >= 0 && l.rate <= maxRate) || math.IsNaN(l.rate) {
		return usageErrorf("--rate %v: want requests a second from 0 (no limit) to %d", l.rate, maxRate)
	}
	cfg.Rate = l.rate
	if l.maxTime < 0 || l.maxTime > maxMaxTime {
		return usageErrorf("--max-time %v: want 0 (no limit) to %v", l.maxTime, maxMaxTime)
	}
	cfg.MaxTime = l.maxTime
	return nil
}

// maxMaxTime bounds --max-time.
const maxMaxTime = 1000 * time.Hour

// shareJobWide makes --max-pages, --rate, --max-time and --auto-throttle
// the job's with --redis: one page budget, one request rate, one deadline
// (set by the job's first process) and one adapted delay per host for all
// its processes together.
func shareJobWide(ctx context.Context, run *scaleRun, cfg *scrape.Config) error {
	if run == nil || run.shared == nil || run.Finished {
		return nil
	}
	if cfg.MaxPages > 0 {
		cfg.PageBudget = run.shared.PageBudget(cfg.MaxPages)
	}
	if cfg.Rate > 0 {
		cfg.RateLimiter = run.shared.RateLimiter(cfg.Rate)
	}
	if g, ok := run.Gate.(*redisfrontier.Gate); ok && cfg.AutoThrottle {
		g.SetAutoThrottle(cfg.MaxDelay)
	}
	if cfg.MaxTime > 0 {
		left, err := run.shared.Deadline(ctx, cfg.MaxTime)
		if err != nil {
			return fmt.Errorf("--redis: %w", err)
		}
		cfg.MaxTime = max(left, time.Nanosecond) // passed: stop at once
	}
	return nil
}
