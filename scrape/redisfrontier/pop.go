package redisfrontier

import (
	"context"
	"errors"
	"time"

	"github.com/poolscrape/poolscrape/internal/waits"
	"github.com/poolscrape/poolscrape/scrape"
)

// popTries bounds how many hosts one Pop asks admit about.
const popTries = 8

// Pop leases the next request that may start, lowest depth first, asking
// admit (nil: all may) about its host; see scrape.Frontier. A request whose
// host admit refuses goes back to its place and the next lease skips that
// host, up to popTries hosts. The lease lasts Config.LeaseTimeout and is
// renewed while this process lives.
//
// Otherwise Pop returns scrape.ErrDrained when the job is over for every
// process, or scrape.ErrNoneReady with how long to wait: until a delayed
// request is due or admit's wait, and at most Config.Poll, since other
// processes, whose leases and host slots hold this one up, cannot wake it.
func (f *Frontier) Pop(ctx context.Context, admit scrape.Admit) (scrape.Lease, time.Duration, error) {
	var skip []string
	var wait time.Duration
	for range popTries {
		l, host, w, err := f.popOne(ctx, skip)
		switch {
		case errors.Is(err, scrape.ErrNoneReady):
			return scrape.Lease{}, f.pollWait(waits.Least(wait, w)), err
		case err != nil:
			return scrape.Lease{}, 0, err
		}
		if admit == nil {
			return l, 0, nil
		}
		ok, aw := admit(host, l.URL)
		if ok {
			return l, 0, nil
		}
		if err := f.release(ctx, l.URL, l.ID); err != nil {
			return scrape.Lease{}, 0, err
		}
		skip = append(skip, host)
		wait = waits.Least(wait, aw)
	}
	return scrape.Lease{}, f.pollWait(wait), scrape.ErrNoneReady
}

// pollWait caps a wait (0: unknown) at Config.Poll.
func (f *Frontier) pollWait(w time.Duration) time.Duration {
	if w <= 0 || w > f.cfg.Poll {
		return f.cfg.Poll
	}
	return w
}
