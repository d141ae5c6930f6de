package redisfrontier

import (
	"context"
	"errors"
	"sync/atomic"
	"testing"
	"time"

	"github.com/poolscrape/poolscrape/internal/redistest"
	"github.com/redis/go-redis/v9"
)

// TestOutageReportedOnce: however many times the calls retry while Redis
// is unreachable, OnRetry hears of the outage once, and OnReconnect once
// when a call succeeds again; the next outage is reported again.
func TestOutageReportedOnce(t *testing.T) {
	opts, _ := redis.ParseURL(redistest.URL(t))
	p := redistest.NewFlaky(t, opts.Addr)
	opts.Addr, opts.MaxRetries = p.Addr(), -1
	c := redis.NewClient(opts)
	defer c.Close()
	ctx := context.Background()
	var retries, reconnects atomic.Int64
	f, err := Open(ctx, c, redistest.Job(t), testID, Config{MaxOutage: time.Minute,
		OnRetry:     func(error) { retries.Add(1) },
		OnReconnect: func(time.Duration) { reconnects.Add(1) },
	})
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close(ctx)
	for i, call := range []func() error{
		func() error { _, err := f.Push(ctx, req("o/1", 0)); return err },
		func() error { _, _, err := f.Pop(ctx, nil); return err },
	} {
		f.upSince.Store(0) // the outage begins long after the last one ended (staleGrace)
		p.Refuse()
		errc := make(chan error, 2)
		go func() { errc <- call() }()
		go func() { _, err := f.Progress(ctx); errc <- err }() // a second call retrying at once
		p.WaitRefused(t, 6)
		if n := retries.Load(); n != int64(i+1) {
			t.Errorf("outage %d: OnRetry told %d times in all after 6 failed attempts, want %d", i+1, n, i+1)
		}
		p.Forward()
		for range 2 {
			if err := <-errc; err != nil {
				t.Fatalf("outage %d: call across it: %v", i+1, err)
			}
		}
		if n, m := retries.Load(), reconnects.Load(); n != int64(i+1) || m != int64(i+1) {
			t.Errorf("after outage %d: OnRetry %d, OnReconnect %d times, want %d and %d", i+1, n, m, i+1, i+1)
		}
	}
}

// TestOutageTailIsNoNewOutage: a call failing just after an outage ended
// (a pooled connection the outage cut, which go-redis hands out unchecked
// within a second of its last use) begins no new outage: no second
// "unreachable" report. Once the grace is over, a failure is a new outage.
func TestOutageTailIsNoNewOutage(t *testing.T) {
	var retries, reconnects atomic.Int64
	f := &Frontier{cfg: Config{
		OnRetry:     func(error) { retries.Add(1) },
		OnReconnect: func(time.Duration) { reconnects.Add(1) },
	}}
	cut := errors.New("EOF")
	f.outage(cut)
	f.outage(cut)
	f.reconnected()
	f.outage(cut) // the tail: a stale pooled connection
	f.reconnected()
	if n, m := retries.Load(), reconnects.Load(); n != 1 || m != 1 {
		t.Fatalf("OnRetry %d, OnReconnect %d times, want 1 and 1", n, m)
	}
	f.upSince.Store(time.Now().Add(-staleGrace).UnixNano()) // the grace is over
	f.outage(cut)
	f.reconnected()
	if n, m := retries.Load(), reconnects.Load(); n != 2 || m != 2 {
		t.Errorf("after the grace: OnRetry %d, OnReconnect %d times, want 2 and 2", n, m)
	}
}
