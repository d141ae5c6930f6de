package redisfrontier

import (
	"context"
	"time"

	"github.com/poolscrape/poolscrape/scrape"
	"github.com/redis/go-redis/v9"
)

// The job-wide AutoThrottle: the adapted delay of each host is kept in
// Redis and changed by every process's responses, after
// scrape.Config.AutoThrottle's rules (start at 1s or MaxDelay if less, the
// mean of the delay and latency / PerHost after each response, never
// lowered by a failure, doubled to at least 1s by a 429 or 503, kept within
// [Delay, MaxDelay]).

// throttleStart and throttleBackoff are AutoThrottle's start delay and
// back-off floor, as in scrape.Config.AutoThrottle.
const (
	throttleStart   = time.Second
	throttleBackoff = time.Second
)

// SetAutoThrottle makes the gate adapt each host's delay to its latency
// for the whole job, up to maxDelay (> 0): every process's responses
// change the one delay kept in Redis, which every process's TryAcquire
// waits for. Call it before the crawl starts.
func (g *Gate) SetAutoThrottle(maxDelay time.Duration) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.throttleMax = max(maxDelay, g.cfg.Delay)
}

// throttleStartMS is the start delay in ms when AutoThrottle is on, else 0.
func (g *Gate) throttleStartMS() int64 {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.throttleMax <= 0 {
		return 0
	}
	return ms(max(min(throttleStart, g.throttleMax), g.cfg.Delay, time.Millisecond))
}

// adapt records the outcome of a request in the job's delay for host.
func (g *Gate) adapt(ctx context.Context, host string, o scrape.Outcome) error {
	start := g.throttleStartMS()
	if start == 0 || !o.Fetched {
		return nil
	}
	_, err := g.f.run(ctx, "adapting the delay of "+host, throttleScript, host, start,
		o.Latency.Microseconds(), o.Status, g.cfg.PerHost, ms(g.cfg.Delay), ms(g.throttleMax), ms(throttleBackoff))
	return err
}

// throttleScript: ARGV[2] host, ARGV[3] start ms, ARGV[4] latency µs,
// ARGV[5] status, ARGV[6] target concurrency, ARGV[7] floor ms, ARGV[8]
// max ms, ARGV[9] back-off floor ms. Returns the host's new delay in ms.
var throttleScript = redis.NewScript(prelude + `
local h = ARGV[2]
local cur = tonumber(redis.call('HGET', p..'athrottle', h) or ARGV[3])
local status = tonumber(ARGV[5])
local nxt
if status == 429 or status == 503 then
  nxt = math.max(2 * cur, tonumber(ARGV[9]))
else
  local target = tonumber(ARGV[4]) / 1000 / tonumber(ARGV[6])
  nxt = (cur + target) / 2
  if (status < 200 or status > 399) and nxt < cur then nxt = cur end
end
nxt = math.floor(math.min(math.max(nxt, tonumber(ARGV[7])), tonumber(ARGV[8])))
redis.call('HSET', p..'athrottle', h, nxt)
return nxt
`)
