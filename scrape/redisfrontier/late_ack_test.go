package redisfrontier

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/poolscrape/poolscrape/internal/redistest"
	"github.com/poolscrape/poolscrape/scrape"
)

// TestLateEndOfALeaseLeavesTheNextHoldersLease: process A leases /start and
// claims /target (its redirect), then stalls: its lease expires and process
// B takes /start, claiming /target again. A's late Ack, Retry or Release
// of the lease it no longer holds, and its Unmark of /target before a Retry
// or Release (as the crawler does), change nothing (an ack counts as late):
// B's lease and claim stay B's, so when B dies too, its lease is handed out
// again with /target unmarked, and C, taking /start, can follow the
// redirect.
func TestLateEndOfALeaseLeavesTheNextHoldersLease(t *testing.T) {
	start, target := "http://a.test/start", "http://a.test/target"
	for name, end := range lateEnds(target) {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			job := redistest.Job(t)
			// The leases last 30 s, however slow the machine; they expire
			// by hand (expire) where they are to.
			cfg := Config{}
			a := joinT(t, job, cfg)
			if _, err := a.Push(ctx, req(start, 0)); err != nil {
				t.Fatal(err)
			}
			la := leaseAndClaim(t, a, start, target)
			a.abandon() // A stalls: its lease expires, but A lives on
			expire(t, job, start)

			b := joinT(t, job, cfg)
			leaseAndClaim(t, b, start, target)
			if err := end(ctx, a, la); err != nil {
				t.Fatalf("A's late %s: %v", name, err)
			}
			checkLeftAlone(t, b, "A's", name)
			if _, _, err := joinT(t, job, cfg).Pop(ctx, nil); !errors.Is(err, scrape.ErrNoneReady) {
				t.Errorf("Pop while B holds /start after A's late %s = %v; want ErrNoneReady", name, err)
			}
			b.abandon() // B dies
			expire(t, job, start)
			leaseAndClaim(t, joinT(t, job, cfg), start, target)
		})
	}
}

// leaseAndClaim waits for f to lease want, then claims target by it as a
// fetch following its redirect does, failing unless target was unmarked.
func leaseAndClaim(t *testing.T, f *Frontier, want, target string) scrape.Lease {
	t.Helper()
	l, err := popWait(t, f, 10*time.Second)
	if err != nil || l.URL != want {
		t.Fatalf("%s popped %q, %v; want %s", f.Process(), l.URL, err, want)
	}
	if ok, err := f.MarkSeen(context.Background(), target, l.URL); err != nil || !ok {
		t.Fatalf("%s's MarkSeen(%s) by its lease of %s = %v, %v; want true (unmarked when the lease before was handed out)", f.Process(), target, want, ok, err)
	}
	return l
}

// lateEnds are the ways a crawler ends a lease, by name: Ack, AckAs
// Failed, and Retry and Release after unmarking target (as the crawler
// unmarks a fetch's redirect targets first).
func lateEnds(target string) map[string]func(ctx context.Context, f *Frontier, l scrape.Lease) error {
	return map[string]func(ctx context.Context, f *Frontier, l scrape.Lease) error{
		"ack":    func(ctx context.Context, f *Frontier, l scrape.Lease) error { return f.Ack(ctx, l) },
		"failed": func(ctx context.Context, f *Frontier, l scrape.Lease) error { return f.AckAs(ctx, l, Failed) },
		"retry": func(ctx context.Context, f *Frontier, l scrape.Lease) error {
			if err := f.Unmark(ctx, target); err != nil { // as the crawler does first
				return err
			}
			return f.Retry(ctx, l, time.Now())
		},
		"release": func(ctx context.Context, f *Frontier, l scrape.Lease) error {
			if err := f.Unmark(ctx, target); err != nil {
				return err
			}
			return f.Release(ctx, l)
		},
	}
}

// checkLeftAlone fails unless, after who's late end (by its lateEnds name)
// of a lease handed out again, f's job holds that one lease and its
// redirect claim and nothing queued or settled, an ack counted as late.
func checkLeftAlone(t *testing.T, f *Frontier, who, end string) {
	t.Helper()
	p, err := f.Progress(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	wantLate := int64(0)
	if end == "ack" || end == "failed" {
		wantLate = 1
	}
	if p.Leased != 1 || p.Queued != 0 || p.Done != 0 || p.Failed != 0 || p.LateAcks != wantLate || p.Seen != 2 {
		t.Errorf("after %s late %s: %+v; want the lease and claim of its next holder alone (1 leased, none queued or settled, 2 seen, %d late acks)", who, end, p, wantLate)
	}
}
