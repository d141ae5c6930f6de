package redisfrontier

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/poolscrape/poolscrape/internal/redistest"
	"github.com/poolscrape/poolscrape/scrape"
)

// TestGateHoldsAcrossProcesses runs two "processes" (own clients, own
// Frontier) taking slots for one host: never more than perHost in flight
// together, and no two starts closer than the delay.
func TestGateHoldsAcrossProcesses(t *testing.T) {
	job := redistest.Job(t)
	const perHost, delay, grants = 2, 40 * time.Millisecond, 16
	gates := []*Gate{
		joinT(t, job, Config{}).NewGate(GateConfig{PerHost: perHost, Delay: delay, Poll: 2 * time.Millisecond}),
		joinT(t, job, Config{}).NewGate(GateConfig{PerHost: perHost, Delay: delay, Poll: 2 * time.Millisecond}),
	}
	type grant struct{ called, got time.Time }
	var (
		mu       sync.Mutex
		starts   []grant
		inFlight atomic.Int32
		most     atomic.Int32
		wg       sync.WaitGroup
	)
	ctx := context.Background()
	for w := 0; w < 6; w++ {
		g := gates[w%2]
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				mu.Lock()
				enough := len(starts) >= grants
				mu.Unlock()
				if enough {
					return
				}
				called := time.Now()
				ok, wait, err := g.TryAcquire(ctx, "h.test", time.Now())
				if err != nil {
					t.Error(err)
					return
				}
				if !ok {
					time.Sleep(wait)
					continue
				}
				got := time.Now()
				n := inFlight.Add(1)
				for m := most.Load(); n > m && !most.CompareAndSwap(m, n); m = most.Load() {
				}
				mu.Lock()
				starts = append(starts, grant{called, got})
				mu.Unlock()
				time.Sleep(60 * time.Millisecond) // the fetch
				inFlight.Add(-1)
				if err := g.Release(ctx, "h.test", scrape.Outcome{Fetched: true}); err != nil {
					t.Error(err)
					return
				}
			}
		}()
	}
	wg.Wait()
	if m := most.Load(); m > perHost {
		t.Errorf("%d requests in flight at once, want at most %d", m, perHost)
	}
	// Grant i happened in Redis between its call and its return; two grants
	// at least delay apart mean one's return is at least delay after the
	// other's call.
	for i := range starts {
		for j := i + 1; j < len(starts); j++ {
			a, b := starts[i], starts[j]
			if a.got.Sub(b.called) < delay && b.got.Sub(a.called) < delay {
				t.Errorf("grants %d and %d less than %v apart: %v..%v and %v..%v", i, j, delay,
					a.called.Format(".000000"), a.got.Format(".000000"), b.called.Format(".000000"), b.got.Format(".000000"))
			}
		}
	}
}

func TestGateCrawlDelayAndDeadSlots(t *testing.T) {
	job := redistest.Job(t)
	ctx := context.Background()
	a := joinT(t, job, Config{LeaseTimeout: 300 * time.Millisecond})
	b := joinT(t, job, Config{LeaseTimeout: 300 * time.Millisecond})
	ga, gb := a.NewGate(GateConfig{Poll: time.Millisecond}), b.NewGate(GateConfig{Poll: time.Millisecond})
	// A Crawl-delay of a minute: no slow machine lets it pass before gb asks.
	if err := ga.SetCrawlDelay(ctx, "c.test", time.Minute); err != nil {
		t.Fatal(err)
	}
	if ok, _, _ := ga.TryAcquire(ctx, "c.test", time.Now()); !ok {
		t.Fatal("first acquire refused")
	}
	ga.Release(ctx, "c.test", scrape.Outcome{Fetched: true})
	ok, wait, _ := gb.TryAcquire(ctx, "c.test", time.Now())
	if ok || wait <= 0 || wait > time.Minute {
		t.Fatalf("acquire within the Crawl-delay = %v, wait %v; want refused with a wait up to a minute", ok, wait)
	}
	// a takes the only slot of d.test and dies: the slot comes back.
	if ok, _, _ := ga.TryAcquire(ctx, "d.test", time.Now()); !ok {
		t.Fatal("acquire of d.test refused")
	}
	a.abandon()
	deadline := time.Now().Add(10 * time.Second)
	for {
		ok, wait, err := gb.TryAcquire(ctx, "d.test", time.Now())
		if err != nil {
			t.Fatal(err)
		}
		if ok {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("a dead process's slot never came back")
		}
		time.Sleep(wait)
	}
}
