package redisfrontier

import (
	"context"
	"errors"
	"testing"

	"github.com/poolscrape/poolscrape/internal/redistest"
	"github.com/poolscrape/poolscrape/scrape"
)

// TestMarkWritten: two processes die, each holding a lease whose record
// it had written: one still leased, one whose lease expired and went back
// to the queue (counted as refetched). Its rerun marks both written: neither is
// handed out again, both are done, and the expired one no longer counts as
// refetched.
func TestMarkWritten(t *testing.T) {
	ctx := context.Background()
	job := redistest.Job(t)
	a := joinT(t, job, Config{})
	if _, err := a.Push(ctx, req("http://a.test/1", 0), req("http://a.test/2", 0), req("http://a.test/3", 0)); err != nil {
		t.Fatal(err)
	}
	expired, _, err := a.Pop(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	b := joinT(t, job, Config{}) // b's lease stays leased
	leased, _, err := b.Pop(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	a.abandon()
	b.abandon()
	// The first lease expires; Progress hands it back to the queue.
	expire(t, job, expired.URL)
	if c, err := a.Progress(ctx); err != nil || c.Refetched != 1 {
		t.Fatalf("progress after the dead process's lease expired: %+v, %v; want 1 refetched", c, err)
	}
	c := joinT(t, job, Config{})
	n, err := c.MarkWritten(ctx, []string{expired.URL, leased.URL, "http://a.test/unknown"})
	if err != nil || n != 2 {
		t.Fatalf("MarkWritten = %d, %v; want 2", n, err)
	}
	var got []string
	for {
		l, _, err := c.Pop(ctx, nil)
		if errors.Is(err, scrape.ErrDrained) {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, l.URL)
		if err := c.Ack(ctx, l); err != nil {
			t.Fatal(err)
		}
	}
	if len(got) != 1 || got[0] == expired.URL || got[0] == leased.URL {
		t.Errorf("handed out %v after MarkWritten of %s and %s: want only the third URL", got, expired.URL, leased.URL)
	}
	p, err := c.Progress(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if p.Done != 3 || p.Refetched != 0 || p.Leased != 0 || p.Queued != 0 {
		t.Errorf("progress %+v: want 3 done, 0 refetched, none queued or leased", p)
	}
}
