package redisfrontier

import (
	"context"
	"testing"
	"time"

	"github.com/poolscrape/poolscrape/internal/redistest"
	"github.com/poolscrape/poolscrape/scrape"
)

// TestAutoThrottleShared: a response of 4s to one process raises the
// host's delay for the other process too, to AutoThrottle's (1s + 4s) / 2.
func TestAutoThrottleShared(t *testing.T) {
	ctx := context.Background()
	job := redistest.Job(t)
	ga := joinT(t, job, Config{}).NewGate(GateConfig{PerHost: 1})
	gb := joinT(t, job, Config{}).NewGate(GateConfig{PerHost: 1})
	ga.SetAutoThrottle(30 * time.Second)
	gb.SetAutoThrottle(30 * time.Second)
	t0 := time.Now()
	if ok, w, err := ga.TryAcquire(ctx, "h.test", time.Now()); !ok || err != nil {
		t.Fatalf("a's first TryAcquire: %v %v %v", ok, w, err)
	}
	if err := ga.Release(ctx, "h.test", scrape.Outcome{Latency: 4 * time.Second, Status: 200, Fetched: true}); err != nil {
		t.Fatal(err)
	}
	ok, wait, err := gb.TryAcquire(ctx, "h.test", time.Now())
	since := time.Since(t0)
	if err != nil || ok {
		t.Fatalf("b's TryAcquire right after: %v %v, want a wait", ok, err)
	}
	// 2.5s from a's start, less the time since (the start delay is 1s;
	// waits are rounded to whole ms).
	shared := 2500 * time.Millisecond
	if wait < shared-since-2*time.Millisecond || wait > shared+time.Millisecond {
		t.Errorf("b waits %v, %v after a's start: want the shared %v delay less that", wait, since, shared)
	}
}
