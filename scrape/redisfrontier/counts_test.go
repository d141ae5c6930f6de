package redisfrontier

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/poolscrape/poolscrape/internal/redistest"
	"github.com/poolscrape/poolscrape/scrape"
)

// TestPopWaitIsCappedAtPoll: when another process's lease holds this one
// up, Pop asks the crawler to poll again after Config.Poll, as no one can
// wake it.
func TestPopWaitIsCappedAtPoll(t *testing.T) {
	job := redistest.Job(t)
	ctx := context.Background()
	a := joinT(t, job, Config{})
	b := joinT(t, job, Config{Poll: 123 * time.Millisecond})
	a.Push(ctx, req("http://p.test/1", 0))
	if _, _, err := a.Pop(ctx, nil); err != nil {
		t.Fatal(err)
	}
	if _, wait, err := b.Pop(ctx, nil); !errors.Is(err, scrape.ErrNoneReady) || wait != 123*time.Millisecond {
		t.Fatalf("b.Pop with a's lease live = %v, wait %v; want ErrNoneReady, 123ms", err, wait)
	}
	busy := func(string, string) (bool, time.Duration) { return false, time.Hour }
	a.Push(ctx, req("http://p.test/2", 0))
	if _, wait, err := b.Pop(ctx, busy); !errors.Is(err, scrape.ErrNoneReady) || wait != 123*time.Millisecond {
		t.Fatalf("b.Pop with the host busy for an hour = %v, wait %v; want ErrNoneReady, 123ms", err, wait)
	}
	if b.Held() != 0 {
		t.Errorf("b holds %d leases after its admit refused the host, want 0", b.Held())
	}
}

// TestCountsCachedForCountsCache: Counts answers from its last reading for
// Config.CountsCache; Progress, and Counts with the cache off, read Redis.
func TestCountsCachedForCountsCache(t *testing.T) {
	job := redistest.Job(t)
	ctx := context.Background()
	cached := joinT(t, job, Config{CountsCache: time.Hour})
	fresh := joinT(t, job, Config{CountsCache: -1})
	cached.Push(ctx, req("http://c.test/1", 0))
	if c, err := cached.Counts(ctx); err != nil || c.Queued != 1 {
		t.Fatalf("Counts = %+v, %v; want 1 queued", c, err)
	}
	fresh.Push(ctx, req("http://c.test/2", 0))
	if c, _ := cached.Counts(ctx); c.Queued != 1 {
		t.Errorf("cached Counts = %+v, want the last reading, 1 queued", c)
	}
	if c, _ := cached.Progress(ctx); c.Queued != 2 {
		t.Errorf("Progress = %+v, want 2 queued", c)
	}
	fresh.Counts(ctx)
	fresh.Push(ctx, req("http://c.test/3", 0))
	if c, _ := fresh.Counts(ctx); c.Queued != 3 {
		t.Errorf("Counts with the cache off = %+v, want 3 queued", c)
	}
}

// TestStatusCountsOverTheJobsWindow: Status, which does not join the job,
// counts processes over three of the lease timeouts the job's processes
// use, and says so.
func TestStatusCountsOverTheJobsWindow(t *testing.T) {
	job := redistest.Job(t)
	ctx := context.Background()
	f := joinT(t, job, Config{LeaseTimeout: 7 * time.Second})
	if c, _ := f.Progress(ctx); c.HeartbeatWindow != 21*time.Second || c.Processes != 1 {
		t.Errorf("Progress = %+v, want a 21s window, 1 process", c)
	}
	c, ok, err := Status(ctx, redistest.Client(t), job, Config{})
	if err != nil || !ok {
		t.Fatalf("Status = %v, %v", ok, err)
	}
	if c.HeartbeatWindow != 21*time.Second || c.Processes != 1 {
		t.Errorf("Status = %+v, want the job's 21s window, 1 process", c)
	}
	if _, ok, err := Status(ctx, redistest.Client(t), job+"-missing", Config{}); ok || err != nil {
		t.Errorf("Status of a missing job = %v, %v; want not ok, no error", ok, err)
	}
}
