package redisfrontier

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/redis/go-redis/v9"
)

// ErrUnavailable is returned (wrapped) when Redis stayed unreachable for
// longer than Config.MaxOutage. The job's state in Redis is intact: run the
// crawl again once Redis is back.
var ErrUnavailable = errors.New("redis unavailable")

// run runs a script, retrying with backoff while Redis is unreachable.
func (f *Frontier) run(ctx context.Context, what string, s *redis.Script, args ...any) (any, error) {
	argv := append([]any{f.prefix}, args...)
	backoff := 50 * time.Millisecond
	start := time.Now()
	for {
		v, err := s.Run(ctx, f.rdb, nil, argv...).Result()
		if err == nil {
			f.reconnected()
			return v, nil
		}
		if ctx.Err() != nil {
			return nil, fmt.Errorf("redisfrontier: %s in job %s: %w", what, f.job, ctx.Err())
		}
		if !transient(err) {
			return nil, fmt.Errorf("redisfrontier: %s in job %s: %w", what, f.job, err)
		}
		if time.Since(start) >= f.cfg.MaxOutage {
			return nil, fmt.Errorf("redisfrontier: %s in job %s: %w for %s (last error: %v)", what, f.job, ErrUnavailable, f.cfg.MaxOutage, err)
		}
		f.outage(err)
		select {
		case <-ctx.Done():
			return nil, fmt.Errorf("redisfrontier: %s in job %s: %w", what, f.job, ctx.Err())
		case <-time.After(backoff):
		}
		backoff = min(backoff*2, 2*time.Second)
	}
}

// transient tells errors worth retrying (the network, a server loading or
// failing over) from replies that will not change (a script error).
func transient(err error) bool {
	var re redis.Error
	if !errors.As(err, &re) {
		return !errors.Is(err, redis.Nil)
	}
	msg := re.Error()
	for _, p := range []string{"LOADING", "BUSY", "TRYAGAIN", "CLUSTERDOWN", "MASTERDOWN", "READONLY"} {
		if strings.HasPrefix(msg, p) {
			return true
		}
	}
	return false
}

// staleGrace is how long after an outage ends a retried error is taken for
// its tail rather than a new outage: go-redis does not check a pooled
// connection used within the last second before handing it out, so a
// connection cut by the outage can still fail a call once Redis is back.
const staleGrace = time.Second

// outage reports a retried Redis error through OnRetry if it begins an
// outage (none is under way), once however many calls retry. An error
// within staleGrace of the end of the last outage begins none (see
// staleGrace); the call still retries, and if Redis stays unreachable the
// first retry after the grace reports it.
func (f *Frontier) outage(err error) {
	if up := f.upSince.Load(); up != 0 && time.Since(time.Unix(0, up)) < staleGrace {
		return
	}
	if f.downSince.CompareAndSwap(0, time.Now().UnixNano()) && f.cfg.OnRetry != nil {
		f.cfg.OnRetry(err)
	}
}

// reconnected ends the outage under way, if any, telling OnReconnect how
// long it lasted.
func (f *Frontier) reconnected() {
	since := f.downSince.Load()
	if since == 0 || !f.downSince.CompareAndSwap(since, 0) {
		return
	}
	f.upSince.Store(time.Now().UnixNano())
	if f.cfg.OnReconnect != nil {
		f.cfg.OnReconnect(time.Since(time.Unix(0, since)))
	}
}

// Replies come back as []any of int64 and string.

func asInt(v any) int64 {
	switch x := v.(type) {
	case int64:
		return x
	case string:
		var n int64
		fmt.Sscan(x, &n)
		return n
	}
	return 0
}

func asString(v any) string {
	s, _ := v.(string)
	return s
}

func asSlice(v any) []any {
	s, _ := v.([]any)
	return s
}
