package scrape

import (
	"context"
	"sync"
	"time"
)

// HostGate is per-host politeness: how many requests may be in flight to one
// host (Config.PerHost) and the least gap between two request starts to it
// (Config.Delay, the robots.txt Crawl-delay, or AutoThrottle's adaptive
// delay, whichever is largest; the crawler caps the Crawl-delay it passes
// on, and its own AutoThrottle, at Config.MaxDelay). The scheduler asks it
// before dispatching, through the frontier's Admit; robots.txt requests ask
// it too. The default gate (Config.Gate nil) keeps its state in memory;
// scrape/redisfrontier's enforces the same rules for all the processes of a
// shared crawl in Redis.
type HostGate interface {
	// TryAcquire takes a slot for host if one is free and the host's gap
	// has passed. Otherwise it returns false and how long until the gap
	// passes (0 when the host waits for a slot to be released).
	TryAcquire(ctx context.Context, host string, now time.Time) (ok bool, wait time.Duration, err error)
	// Release gives the slot back once the response is in (or the request
	// failed), with what AutoThrottle learns from it.
	Release(ctx context.Context, host string, o Outcome) error
	// SetCrawlDelay records a host's robots.txt Crawl-delay.
	SetCrawlDelay(ctx context.Context, host string, d time.Duration) error
}

// Outcome is what a finished request tells the gate.
type Outcome struct {
	Latency time.Duration // time to the response headers (or the failure)
	Status  int           // HTTP status; 0 when no response came
	Fetched bool          // false when no request was sent (slot given back unused)
}

// memoryGate is the in-process HostGate. Safe for concurrent use.
type memoryGate struct {
	perHost  int
	delay    time.Duration
	throttle *autoThrottle // nil: off

	mu    sync.Mutex
	hosts map[string]*hostState
}

type hostState struct {
	inFlight   int
	nextStart  time.Time
	crawlDelay time.Duration
	throttle   time.Duration // AutoThrottle's current delay for the host
}

// newMemoryGate returns a gate with perHost slots (at least 1) per host and
// a least gap of delay between starts; throttle, if not nil, adapts each
// host's gap (AutoThrottle).
func newMemoryGate(perHost int, delay time.Duration, throttle *autoThrottle) *memoryGate {
	return &memoryGate{perHost: max(perHost, 1), delay: delay, throttle: throttle, hosts: map[string]*hostState{}}
}

func (g *memoryGate) state(host string) *hostState {
	h := g.hosts[host]
	if h == nil {
		h = &hostState{}
		if g.throttle != nil {
			h.throttle = max(g.throttle.StartDelay, g.delay)
		}
		g.hosts[host] = h
	}
	return h
}

// gap is the least time between two starts to h.
func (g *memoryGate) gap(h *hostState) time.Duration {
	return max(g.delay, h.crawlDelay, h.throttle)
}

// TryAcquire implements HostGate.
func (g *memoryGate) TryAcquire(_ context.Context, host string, now time.Time) (bool, time.Duration, error) {
	g.mu.Lock()
	defer g.mu.Unlock()
	h := g.state(host)
	if h.inFlight >= g.perHost {
		return false, 0, nil
	}
	if now.Before(h.nextStart) {
		return false, h.nextStart.Sub(now), nil
	}
	h.inFlight++
	h.nextStart = now.Add(g.gap(h))
	return true, 0, nil
}

// Release implements HostGate.
func (g *memoryGate) Release(_ context.Context, host string, o Outcome) error {
	g.mu.Lock()
	defer g.mu.Unlock()
	h := g.state(host)
	if h.inFlight > 0 {
		h.inFlight--
	}
	if g.throttle != nil && o.Fetched {
		h.throttle = g.throttle.Next(h.throttle, o, g.delay)
	}
	return nil
}

// SetCrawlDelay implements HostGate.
func (g *memoryGate) SetCrawlDelay(_ context.Context, host string, d time.Duration) error {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.state(host).crawlDelay = d
	return nil
}

// Delay returns the gap the gate keeps for host now (for tests and stats).
func (g *memoryGate) Delay(host string) time.Duration {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.gap(g.state(host))
}
