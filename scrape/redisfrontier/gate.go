package redisfrontier

import (
	"context"
	"fmt"
	"sync"
	"time"
)

// Gate is per-host politeness for all the processes of a job together: at
// most perHost requests in flight to a host, and at least the delay (or
// the host's robots.txt Crawl-delay, whichever is larger; the crawler caps
// the Crawl-delay it sets at scrape.Config.MaxDelay) between two starts,
// robots.txt requests included, enforced by a script in Redis. Slots expire after the lease
// timeout unless renewed, which the Frontier does for live processes, so a
// dead process's slots come back.
type Gate struct {
	f       *Frontier
	perHost int
	delay   time.Duration
	poll    time.Duration

	mu     sync.Mutex
	tokens map[string][]string // host → slot tokens this process holds
	seq    uint64
}

// NewGate returns the job's gate with perHost slots per host (at least 1)
// and a least gap of delay between starts to a host. When every slot of a
// host is taken, TryAcquire asks the caller to try again after poll (the
// releasing process may be another one, which cannot wake this one).
func (f *Frontier) NewGate(perHost int, delay, poll time.Duration) *Gate {
	g := &Gate{f: f, perHost: max(perHost, 1), delay: delay, poll: max(poll, time.Millisecond), tokens: map[string][]string{}}
	f.mu.Lock()
	f.gates = append(f.gates, g)
	f.mu.Unlock()
	return g
}

// TryAcquire takes a slot for host if the job's rules allow a start now.
// Otherwise it returns false and how long to wait before asking again.
func (g *Gate) TryAcquire(ctx context.Context, host string) (bool, time.Duration, error) {
	g.mu.Lock()
	g.seq++
	token := fmt.Sprintf("%s#%d", g.f.opts.Process, g.seq)
	g.mu.Unlock()
	v, err := g.f.run(ctx, "taking a slot for "+host, acquireScript,
		host, g.perHost, ms(g.delay), token, ms(g.f.opts.LeaseTimeout))
	if err != nil {
		return false, 0, err
	}
	res := asSlice(v)
	if asInt(res[0]) == 1 {
		g.mu.Lock()
		g.tokens[host] = append(g.tokens[host], token)
		g.mu.Unlock()
		return true, 0, nil
	}
	if wait := asInt(res[1]); wait > 0 {
		return false, msDuration(wait), nil
	}
	return false, g.poll, nil
}

// Release gives back one of this process's slots for host.
func (g *Gate) Release(ctx context.Context, host string) error {
	g.mu.Lock()
	ts := g.tokens[host]
	if len(ts) == 0 {
		g.mu.Unlock()
		return nil
	}
	token := ts[len(ts)-1]
	if len(ts) == 1 {
		delete(g.tokens, host)
	} else {
		g.tokens[host] = ts[:len(ts)-1]
	}
	g.mu.Unlock()
	return g.release(ctx, host, token)
}

func (g *Gate) release(ctx context.Context, host, token string) error {
	_, err := g.f.run(ctx, "releasing a slot for "+host, releaseSlotScript, host, token)
	return err
}

// SetCrawlDelay records host's robots.txt Crawl-delay for every process.
func (g *Gate) SetCrawlDelay(ctx context.Context, host string, d time.Duration) error {
	_, err := g.f.run(ctx, "setting the crawl delay of "+host, setDelayScript, host, ms(d))
	return err
}

// Held is how many slots this process holds for host.
func (g *Gate) Held(host string) int {
	g.mu.Lock()
	defer g.mu.Unlock()
	return len(g.tokens[host])
}

// renew extends the slots this process holds.
func (g *Gate) renew(ctx context.Context) {
	g.mu.Lock()
	args := []any{ms(g.f.opts.LeaseTimeout)}
	for h, ts := range g.tokens {
		for _, t := range ts {
			args = append(args, h, t)
		}
	}
	g.mu.Unlock()
	if len(args) > 1 {
		g.f.run(ctx, "renewing host slots", renewSlotsScript, args...)
	}
}

// releaseAll gives back every slot this process holds.
func (g *Gate) releaseAll(ctx context.Context) error {
	g.mu.Lock()
	tokens := g.tokens
	g.tokens = map[string][]string{}
	g.mu.Unlock()
	for h, ts := range tokens {
		for _, t := range ts {
			if err := g.release(ctx, h, t); err != nil {
				return err
			}
		}
	}
	return nil
}
