package redisfrontier

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/poolscrape/poolscrape/internal/redistest"
	"github.com/poolscrape/poolscrape/scrape"
	"github.com/poolscrape/poolscrape/scrape/resume"
)

func TestConcurrentPushAddsEachURLOnce(t *testing.T) {
	job := redistest.Job(t)
	const procs, urls = 8, 400
	fronts := make([]*Frontier, procs)
	for i := range fronts {
		fronts[i] = joinT(t, job, Config{})
	}
	var wg sync.WaitGroup
	total := make([]int, procs)
	for i, f := range fronts {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := 0; j < urls; j += 50 {
				batch := make([]scrape.Request, 50)
				for k := range batch {
					batch[k] = req(fmt.Sprintf("http://a.test/%d", (j+k+i*7)%urls), 1)
				}
				added, err := f.Push(context.Background(), batch...)
				if err != nil {
					t.Error(err)
					return
				}
				total[i] += added
			}
		}()
	}
	wg.Wait()
	sum := 0
	for _, n := range total {
		sum += n
	}
	c, err := fronts[0].Progress(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if sum != urls || c.Seen != urls || c.Queued != urls || c.Duplicates != procs*urls-urls {
		t.Fatalf("added %d in all, counts %+v; want %d added, seen and queued, %d duplicates", sum, c, urls, procs*urls-urls)
	}
}

func TestOrderDepthLoweringAndGating(t *testing.T) {
	job := redistest.Job(t)
	f := joinT(t, job, Config{})
	ctx := context.Background()
	if _, err := f.Push(ctx, req("u/a0", 0), req("u/c3", 3), req("u/b1", 1), req("u/d1", 1)); err != nil {
		t.Fatal(err)
	}
	added, _ := f.Push(ctx, scrape.Request{URL: "u/c3", Depth: 1, Referrer: "u/b1"})
	if c, _ := f.Progress(ctx); added != 0 || c.Duplicates != 1 {
		t.Fatalf("re-push = %d added, %d dups; want 0, 1", added, c.Duplicates)
	}
	var got []string
	for {
		r, _, err := f.Pop(ctx, nil)
		if errors.Is(err, scrape.ErrDrained) {
			break
		}
		if errors.Is(err, scrape.ErrNoneReady) {
			t.Fatalf("none ready after %v: gating waits for unacked shallower pages", got)
		}
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, fmt.Sprintf("%s@%d", r.URL, r.Depth))
		if r.URL == "u/c3" && r.Referrer != "u/b1" {
			t.Errorf("lowered request kept its old referrer: %+v", r)
		}
		if err := f.Ack(ctx, r); err != nil {
			t.Fatal(err)
		}
	}
	if want := "u/a0@0 u/b1@1 u/d1@1 u/c3@1"; strings.Join(got, " ") != want {
		t.Errorf("popped %v, want %s", got, want)
	}

	// A depth-2 request waits while a depth-0 one is leased.
	if _, err := f.Push(ctx, req("g/0", 0), req("g/2", 2)); err != nil {
		t.Fatal(err)
	}
	r, _, err := f.Pop(ctx, nil)
	if err != nil || r.URL != "g/0" {
		t.Fatalf("Pop = %v, %v; want g/0", r.URL, err)
	}
	if _, _, err := f.Pop(ctx, nil); !errors.Is(err, scrape.ErrNoneReady) {
		t.Fatalf("Pop with depth 0 leased = %v, want ErrNoneReady", err)
	}
	f.Ack(ctx, r)
	if r, _, err := f.Pop(ctx, nil); err != nil || r.URL != "g/2" {
		t.Fatalf("Pop after the ack = %v, %v; want g/2", r.URL, err)
	}
}

// TestLeaseExpiryHandsOutAgain: a process renews its leases while it
// lives, so that no other is handed them out; once it dies they expire and
// go to another process, and the dead one's late Ack changes nothing. The
// leases last a minute, so that a slow machine cannot make them expire
// where they must not, and are expired by hand where they must (expire).
func TestLeaseExpiryHandsOutAgain(t *testing.T) {
	job := redistest.Job(t)
	ctx := context.Background()
	a := joinT(t, job, Config{LeaseTimeout: time.Minute, renewEvery: 5 * time.Millisecond})
	b := joinT(t, job, Config{LeaseTimeout: time.Minute})
	if _, err := a.Push(ctx, req("x/1", 0), req("x/2", 0)); err != nil {
		t.Fatal(err)
	}
	kept, _, err := a.Pop(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	lost, _, err := a.Pop(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	waitRenewed(t, job, time.Minute, kept.URL, lost.URL)
	if _, _, err := b.Pop(ctx, nil); !errors.Is(err, scrape.ErrNoneReady) {
		t.Fatalf("b.Pop while a renews its leases = %v, want ErrNoneReady", err)
	}
	a.abandon() // a dies holding both, and a lease timeout passes
	expire(t, job, kept.URL, lost.URL)
	got := map[string]scrape.Lease{}
	for range 2 {
		r, err := popWait(t, b, 10*time.Second)
		if err != nil {
			t.Fatalf("b.Pop after a died: %v", err)
		}
		got[r.URL] = r
	}
	if got[kept.URL].ID == 0 || got[lost.URL].ID == 0 {
		t.Fatalf("b got %v, want both of a's leases", got)
	}
	c, _ := b.Progress(ctx)
	if c.Refetched != 2 || c.Leased != 2 {
		t.Errorf("counts %+v, want 2 refetched, 2 leased", c)
	}
	if err := a.Ack(ctx, kept); err != nil {
		t.Fatal(err)
	}
	if c, _ := b.Progress(ctx); c.Done != 0 || c.Leased != 2 || c.LateAcks != 1 {
		t.Fatalf("a's ack of the lease b holds now: counts %+v; want it late (b's 2 leases stay, none done, 1 late ack)", c)
	}
	if err := b.Ack(ctx, got[kept.URL]); err != nil {
		t.Fatal(err)
	}
	if c, _ := b.Progress(ctx); c.Done != 1 || c.LateAcks != 1 {
		t.Fatalf("b's ack: counts %+v; want it settled (1 done, 1 late ack)", c)
	}
	if err := a.Ack(ctx, kept); err != nil {
		t.Fatal(err)
	}
	if c, _ := b.Progress(ctx); c.Done != 1 || c.LateAcks != 2 {
		t.Errorf("second ack of one URL: counts %+v; want it not settled again (1 done, 2 late acks)", c)
	}
	b.AckAs(ctx, got[lost.URL], Failed)
	c, _ = b.Progress(ctx)
	if c.Done != 1 || c.Failed != 1 || c.LateAcks != 2 || !c.Finished() {
		t.Errorf("counts %+v, want 1 done, 1 failed, 2 late acks, finished", c)
	}
	if _, _, err := b.Pop(ctx, nil); !errors.Is(err, scrape.ErrDrained) {
		t.Errorf("Pop at the end = %v, want ErrDrained", err)
	}
}

func TestJobEndsForEveryone(t *testing.T) {
	job := redistest.Job(t)
	ctx := context.Background()
	a, b := joinT(t, job, Config{}), joinT(t, job, Config{})
	// Seeding twice is harmless.
	for _, f := range []*Frontier{a, b} {
		if _, err := f.Push(ctx, req("s/1", 0), req("s/2", 0)); err != nil {
			t.Fatal(err)
		}
	}
	r1, _, _ := a.Pop(ctx, nil)
	r2, _, _ := b.Pop(ctx, nil)
	for _, f := range []*Frontier{a, b} {
		if _, _, err := f.Pop(ctx, nil); !errors.Is(err, scrape.ErrNoneReady) {
			t.Fatalf("Pop with two leases live = %v, want ErrNoneReady", err)
		}
	}
	a.Ack(ctx, r1)
	if _, _, err := a.Pop(ctx, nil); !errors.Is(err, scrape.ErrNoneReady) {
		t.Fatalf("Pop with b's lease live = %v, want ErrNoneReady", err)
	}
	b.Ack(ctx, r2)
	for _, f := range []*Frontier{a, b} {
		if _, _, err := f.Pop(ctx, nil); !errors.Is(err, scrape.ErrDrained) {
			t.Fatalf("Pop after the last ack = %v, want ErrDrained", err)
		}
	}
	c, _ := a.Progress(ctx)
	if c.Processes != 2 || c.Done != 2 || c.Seen != 2 {
		t.Errorf("counts %+v, want 2 processes, 2 done, 2 seen", c)
	}
}

func TestRetryWaitsAndCountsAttempts(t *testing.T) {
	job := redistest.Job(t)
	ctx := context.Background()
	f := joinT(t, job, Config{Poll: time.Second})
	f.Push(ctx, req("r/1", 0))
	r, _, _ := f.Pop(ctx, nil)
	const delay = 300 * time.Millisecond
	retried := time.Now()
	if err := f.Retry(ctx, r, retried.Add(delay)); err != nil {
		t.Fatal(err)
	}
	r, wait, err := f.Pop(ctx, nil)
	switch {
	case err == nil:
		// The machine was slow: the retry was due by then. Redis keeps the
		// delay in whole milliseconds, and its clock too.
		if since := time.Since(retried); since < delay-2*time.Millisecond {
			t.Fatalf("Pop %v after the Retry handed it out, before it was due", since)
		}
	case !errors.Is(err, scrape.ErrNoneReady) || wait <= 0 || wait > delay:
		t.Fatalf("Pop before the retry is due = %v, wait %v; want ErrNoneReady with a wait", err, wait)
	default:
		r, err = popWait(t, f, 10*time.Second)
	}
	if err != nil || r.Attempt != 1 {
		t.Fatalf("Pop after the wait = %+v, %v; want attempt 1", r, err)
	}
}

func TestReleaseAndRefusedHostsSkipped(t *testing.T) {
	job := redistest.Job(t)
	ctx := context.Background()
	f := joinT(t, job, Config{})
	f.Push(ctx, req("h1/a", 0), req("h2/a", 0))
	var asked []string
	notH1 := func(host, _ string) (bool, time.Duration) { asked = append(asked, host); return host != "h1", 0 }
	r, _, _ := f.Pop(ctx, notH1)
	if r.URL != "h2/a" || strings.Join(asked, " ") != "h1 h2" {
		t.Fatalf("Pop with h1 refused = %s, asked %v; want h2/a, h1 asked once then h2", r.URL, asked)
	}
	if f.Held() != 1 {
		t.Errorf("Held = %d after a refused and an admitted host, want 1", f.Held())
	}
	if err := f.Release(ctx, r); err != nil {
		t.Fatal(err)
	}
	if f.Held() != 0 {
		t.Errorf("Held = %d after Release", f.Held())
	}
	r, _, _ = f.Pop(ctx, nil)
	if r.URL != "h1/a" {
		t.Fatalf("Pop = %s, want h1/a (first in the queue)", r.URL)
	}
}

func TestIdentityMismatchRefused(t *testing.T) {
	job := redistest.Job(t)
	joinT(t, job, Config{})
	_, err := Open(context.Background(), redistest.Client(t), job, resume.Identity{"start": "http://a.test/", "scope": "any"}, Config{})
	if !errors.Is(err, resume.ErrIdentityMismatch) || !strings.HasPrefix(err.Error(), "redisfrontier: ") || !strings.Contains(err.Error(), `scope is "host" there, "any" here`) || !strings.Contains(err.Error(), job) {
		t.Fatalf("Open with another identity: %v", err)
	}
}
