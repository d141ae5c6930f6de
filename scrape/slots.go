package scrape

import (
	"context"
	"sync/atomic"
	"time"
)

// slots is the crawl's bookkeeping of work in flight, the one place its
// counts change: the scheduler takes slots (takeFetch, takeLoad), the
// pipeline's stages give them back (offWire, loadDone, settle), and every
// give-back wakes whoever waits for a slot or for the crawl to settle.
//
// Two bounds follow from Concurrency (n):
//   - wire ≤ n: requests on the wire, fetches and loads (robots.txt,
//     sitemaps), give or take the one fetch and one load a single Pop may
//     start past the bound (see admit);
//   - busy ≤ 2n: requests plus pages being finished (extracted, recorded,
//     pushed, acked). The finish stage thus never holds more than 2n pages,
//     so a slow output or frontier slows the fetching down instead of
//     queueing pages without bound.
type slots struct {
	n    int64
	wire atomic.Int64
	busy atomic.Int64
	open atomic.Int64 // leases dispatched and not yet acked or retried
	wake chan struct{}
}

func newSlots(concurrency int) *slots {
	return &slots{n: int64(concurrency), wake: make(chan struct{}, 1)}
}

// full reports whether no request may be dispatched now.
func (s *slots) full() bool {
	return s.wire.Load() >= s.n || s.busy.Load() >= 2*s.n
}

// takeFetch takes a wire slot, a busy slot and an open lease for a fetch.
func (s *slots) takeFetch() {
	s.wire.Add(1)
	s.busy.Add(1)
	s.open.Add(1)
}

// takeLoad takes a wire slot and a busy slot for a load that holds no
// lease: a robots.txt load or a host's sitemap reading.
func (s *slots) takeLoad() {
	s.wire.Add(1)
	s.busy.Add(1)
}

// loadDone gives back a load's slots.
func (s *slots) loadDone() {
	s.wire.Add(-1)
	s.busy.Add(-1)
	s.notify()
}

// offWire gives back a fetch's wire slot: its response is in, its page may
// be finished while the next request goes out.
func (s *slots) offWire() {
	s.wire.Add(-1)
	s.notify()
}

// settle gives back a fetch's busy slot and its open lease: the lease is
// acked, retried or released.
func (s *slots) settle() {
	s.busy.Add(-1)
	s.open.Add(-1)
	s.notify()
}

// notify wakes the scheduler (or drain) without blocking.
func (s *slots) notify() {
	select {
	case s.wake <- struct{}{}:
	default:
	}
}

// sleep waits for a wake-up, ctx, or d (d <= 0: no timer).
func (s *slots) sleep(ctx context.Context, d time.Duration) {
	var timer <-chan time.Time
	if d > 0 {
		t := time.NewTimer(d)
		defer t.Stop()
		timer = t.C
	}
	select {
	case <-s.wake:
	case <-ctx.Done():
	case <-timer:
	}
}

// settled reports whether every open lease is settled and, with requests,
// no request (loads included) is on the wire.
func (s *slots) settled(requests bool) bool {
	return s.open.Load() == 0 && (!requests || s.wire.Load() == 0)
}
