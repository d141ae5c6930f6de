package redisfrontier

import (
	"context"
	"fmt"
	"math"
	"time"

	"github.com/poolscrape/poolscrape/scrape"
	"github.com/redis/go-redis/v9"
)

// Job-wide limits: every process of the job takes from one page budget,
// one request rate and one deadline, kept in Redis.
var (
	_ scrape.PageBudget  = (*pageBudget)(nil)
	_ scrape.RateLimiter = (*rateLimiter)(nil)
)

// pageBudget is a job-wide page limit.
type pageBudget struct {
	f   *Frontier
	max int
}

// PageBudget returns the job's page budget of max pages (a
// scrape.PageBudget for scrape.Config.PageBudget): the processes of the
// job fetch at most max URLs for the first time, all together, counted
// atomically in Redis. A URL a process took and then gave back (a stop cut
// its fetch short, or it died) stays counted.
func (f *Frontier) PageBudget(max int) scrape.PageBudget { return &pageBudget{f: f, max: max} }

// TakePage takes a page from the job's budget; see scrape.PageBudget.
func (b *pageBudget) TakePage(ctx context.Context) (bool, error) {
	v, err := b.f.run(ctx, "taking a page from the job's budget", takePageScript, b.max)
	return asInt(v) == 1, err
}

// takePageScript: ARGV[2] max pages. Returns 1 and counts a page when the
// job took fewer than max, else 0.
var takePageScript = redis.NewScript(prelude + `
local n = tonumber(redis.call('HGET', p..'meta', 'pages_taken') or '0')
if n >= tonumber(ARGV[2]) then return 0 end
redis.call('HINCRBY', p..'meta', 'pages_taken', 1)
return 1
`)

// rateLimiter is a job-wide request rate.
type rateLimiter struct {
	f        *Frontier
	interval time.Duration // between two requests of the job
}

// RateLimiter returns the job's request rate of perSecond requests a
// second (a scrape.RateLimiter for scrape.Config.RateLimiter): the
// processes of the job together start at most that many, with a burst of
// scrape.RateBurst (1), by GCRA on Redis's clock. perSecond must be > 0.
func (f *Frontier) RateLimiter(perSecond float64) scrape.RateLimiter {
	return &rateLimiter{f: f, interval: time.Duration(math.Ceil(float64(time.Second) / perSecond))}
}

// Wait blocks until the job's rate allows one more request; see
// scrape.RateLimiter.
func (r *rateLimiter) Wait(ctx context.Context) error {
	for {
		v, err := r.f.run(ctx, "waiting for the job's request rate", rateScript, r.interval.Microseconds())
		if err != nil {
			return err
		}
		wait := time.Duration(asInt(v)) * time.Microsecond
		if wait <= 0 {
			return nil
		}
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return fmt.Errorf("redisfrontier: waiting for the job's request rate in job %s: %w", r.f.job, ctx.Err())
		case <-t.C:
		}
	}
}

// rateScript: ARGV[2] emission interval µs. GCRA with a burst of 1: the
// theoretical arrival time (tat, µs) moves on by one interval per request;
// a request before it waits. Returns 0 (go), or the wait in µs.
var rateScript = redis.NewScript(prelude + `
local tat = tonumber(redis.call('GET', p..'rate_tat') or '0')
if tat > now_us then return tat - now_us end
local iv = tonumber(ARGV[2])
redis.call('SET', p..'rate_tat', string.format('%.0f', now_us + iv), 'PX', math.ceil(iv / 1000) + 60000)
return 0
`)

// Deadline sets the job's deadline to d from now if the job has none yet
// for d (its first process with d sets it) and returns the time left to it
// on Redis's clock (0 or less: it has passed). A rerun with the same d
// after the deadline has no time left: run it without the limit, or with
// another d, to go on.
func (f *Frontier) Deadline(ctx context.Context, d time.Duration) (time.Duration, error) {
	v, err := f.run(ctx, "setting the job's deadline", deadlineScript, ms(d))
	if err != nil {
		return 0, err
	}
	return msDuration(asInt(v)), nil
}

// deadlineScript: ARGV[2] duration ms. Returns the ms left to the job's
// deadline for that duration.
var deadlineScript = redis.NewScript(prelude + `
local k = 'deadline:'..ARGV[2]
redis.call('HSETNX', p..'meta', k, now + tonumber(ARGV[2]))
return tonumber(redis.call('HGET', p..'meta', k)) - now
`)
