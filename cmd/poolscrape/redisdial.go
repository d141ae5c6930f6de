package main

import (
	"context"
	"fmt"
	"time"

	"github.com/poolscrape/poolscrape/scrape"
	"github.com/redis/go-redis/v9"
)

// go-redis logs every failed dial of its pool ("redis: ... dial tcp ...:
// connection refused"), some twenty lines for one unreachable server: the
// command says what failed itself, one line per outage (redisRetryLine).
func init() { redis.SetLogger(quietRedisLog{}) }

// quietRedisLog is go-redis's logger: it drops everything.
type quietRedisLog struct{}

func (quietRedisLog) Printf(context.Context, string, ...any) {}

// firstPingTimeout bounds the first connection to Redis: a server that
// does not answer it is a configuration error, reported at once, not an
// outage to wait out (--redis-max-outage applies once connected).
const firstPingTimeout = 3 * time.Second

// connectRedis parses --redis URL, checks that the server answers within
// firstPingTimeout (one dial, no retries) and returns a client for it. A
// bad URL is a usage error; an unreachable server an error (exit 1).
func connectRedis(ctx context.Context, rawURL string) (*redis.Client, error) {
	opts, err := redis.ParseURL(rawURL)
	if err != nil {
		return nil, usageErrorf("--redis %q: %s", scrape.RedactURL(rawURL), scrape.RedactIn(err.Error(), rawURL))
	}
	first := *opts
	first.DialTimeout, first.MaxRetries, first.PoolSize = firstPingTimeout, -1, 1
	probe := redis.NewClient(&first)
	pctx, cancel := context.WithTimeout(ctx, firstPingTimeout)
	err = probe.Ping(pctx).Err()
	cancel()
	probe.Close()
	if err != nil {
		return nil, fmt.Errorf("--redis %s: cannot connect to Redis at %s: %v", scrape.RedactURL(rawURL), opts.Addr, err)
	}
	return redis.NewClient(opts), nil
}

// redisRetryLine is a redisfrontier OnRetry: one line when Redis becomes
// unreachable (once per outage, however many calls retry), saying how long
// the command keeps trying (limit).
func redisRetryLine(limit string) func(error) {
	return func(err error) {
		stderrLine(fmt.Sprintf("poolscrape: Redis unreachable, retrying (for up to %s): %v", limit, err))
	}
}

// redisReconnectLine is a redisfrontier OnReconnect: one line when Redis
// answers again after an outage redisRetryLine reported.
func redisReconnectLine(outage time.Duration) {
	stderrLine(fmt.Sprintf("poolscrape: Redis reachable again after %s", outage.Round(time.Millisecond)))
}
