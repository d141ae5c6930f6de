package redisfrontier

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/poolscrape/poolscrape/internal/redistest"
	"github.com/redis/go-redis/v9"
)

// TestRedisOutageRetriedThenBounded: a call made while Redis is
// unreachable retries until Redis is back and then succeeds; while Redis
// stays unreachable, it fails after Config.MaxOutage with ErrUnavailable,
// the job's state intact.
func TestRedisOutageRetriedThenBounded(t *testing.T) {
	job := redistest.Job(t)
	opts, _ := redis.ParseURL(redistest.URL(t))
	p := redistest.NewFlaky(t, opts.Addr)
	opts.Addr, opts.MaxRetries = p.Addr(), -1
	newC := func() *redis.Client {
		c := redis.NewClient(opts)
		t.Cleanup(func() { c.Close() })
		return c
	}
	ctx := context.Background()
	retried := make(chan struct{}, 1)
	f, err := Open(ctx, newC(), job, testID, Config{MaxOutage: time.Minute, OnRetry: func(error) {
		select {
		case retried <- struct{}{}:
		default:
		}
	}})
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close(ctx)
	f.Push(ctx, req("o/1", 0))

	// Down for a while, then back: the call waits and succeeds.
	p.Refuse()
	errc := make(chan error, 1)
	go func() {
		_, err := f.Push(ctx, req("o/2", 0), req("o/1", 0))
		errc <- err
	}()
	<-retried
	p.WaitRefused(t, 2) // the call tried again during the outage
	p.Forward()
	if err := <-errc; err != nil {
		t.Fatalf("Push across an outage: %v", err)
	}
	cnt, err := f.Progress(ctx)
	if err != nil || cnt.Seen != 2 || cnt.Queued != 2 {
		t.Fatalf("counts after the outage %+v, %v; want 2 seen, 2 queued", cnt, err)
	}

	// Down for good: a clear error after the bound, the job intact.
	g, err := Open(ctx, newC(), job, testID, Config{MaxOutage: 300 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	defer g.Close(ctx)
	p.Refuse()
	_, _, err = g.Pop(ctx, nil)
	if !errors.Is(err, ErrUnavailable) || !strings.Contains(err.Error(), job) {
		t.Fatalf("Pop with Redis gone = %v, want ErrUnavailable naming the job", err)
	}
	other := joinT(t, job, Config{})
	if cnt, _ := other.Progress(ctx); cnt.Queued != 2 || cnt.Leased != 0 {
		t.Errorf("job after the failed Pop: %+v, want 2 queued, none leased", cnt)
	}
	p.Forward() // f and g close with Redis back
}
