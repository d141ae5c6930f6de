package redisfrontier

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/poolscrape/poolscrape/scrape"
)

// Gate is per-host politeness for all the processes of a job together, a
// scrape.HostGate (set it as scrape.Config.Gate): at most GateConfig.PerHost
// requests in flight to a host, and at least GateConfig.Delay (or the
// host's robots.txt Crawl-delay, whichever is larger; the crawler caps the
// Crawl-delay it sets at scrape.Config.MaxDelay) between two starts,
// robots.txt requests included, enforced by a script in Redis, on Redis's
// clock. Slots expire after the lease timeout unless renewed, which the
// Frontier does for live processes, so a dead process's slots come back.
// With SetAutoThrottle, the gap is also the host's adapted delay, one for
// the whole job (throttle.go).
type Gate struct {
	f   *Frontier
	cfg GateConfig

	mu          sync.Mutex
	tokens      map[string][]string // host → slot tokens this process holds
	seq         uint64
	throttleMax time.Duration // > 0: the job-wide AutoThrottle is on (throttle.go)
}

// NewGate returns the job's gate for this process, configured by cfg. Its
// slots are renewed, and given back by Close, with the frontier's leases.
func (f *Frontier) NewGate(cfg GateConfig) *Gate {
	g := &Gate{f: f, cfg: cfg.withDefaults(), tokens: map[string][]string{}}
	f.mu.Lock()
	f.gates = append(f.gates, g)
	f.mu.Unlock()
	return g
}

// TryAcquire takes a slot for host if the job's rules allow a start now;
// see scrape.HostGate. Otherwise it returns false and how long to wait
// before asking again (GateConfig.Poll when every slot is taken). The time
// is Redis's: now is not used.
func (g *Gate) TryAcquire(ctx context.Context, host string, _ time.Time) (bool, time.Duration, error) {
	g.mu.Lock()
	g.seq++
	token := fmt.Sprintf("%s#%d", g.f.cfg.Process, g.seq)
	g.mu.Unlock()
	v, err := g.f.run(ctx, "taking a slot for "+host, acquireScript,
		host, g.cfg.PerHost, ms(g.cfg.Delay), token, ms(g.f.cfg.LeaseTimeout), g.throttleStartMS())
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
	return false, g.cfg.Poll, nil
}

// Release gives back one of this process's slots for host; see
// scrape.HostGate. With SetAutoThrottle, the outcome adapts the job's delay
// for host.
func (g *Gate) Release(ctx context.Context, host string, o scrape.Outcome) error {
	if err := g.adapt(ctx, host, o); err != nil {
		return err
	}
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
	args := []any{ms(g.f.cfg.LeaseTimeout)}
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
