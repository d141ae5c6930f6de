package scrape

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"
)

var bg = context.Background()

func admitAll(string, string) (bool, time.Duration) { return true, 0 }

// TestFrontierPushIsAtomic pushes the same URLs from many goroutines: each
// is queued once.
func TestFrontierPushIsAtomic(t *testing.T) {
	f := NewMemoryFrontier()
	var wg sync.WaitGroup
	var mu sync.Mutex
	total := 0
	for g := 0; g < 8; g++ {
		wg.Go(func() {
			for i := 0; i < 500; i++ {
				n, err := f.Push(bg, Request{URL: fmt.Sprintf("http://h/%d", i), Depth: 1})
				if err != nil {
					t.Error(err)
				}
				mu.Lock()
				total += n
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	c, _ := f.Counts(bg)
	if total != 500 || c.Seen != 500 || c.Queued != 500 || c.Duplicates != 7*500 {
		t.Fatalf("added %d, counts %+v; want 500 added, 3500 duplicates", total, c)
	}
}

// TestFrontierDepthOrderAndWindow: lowest depth first, and depth d waits
// until nothing at depth d-2 or less is unfinished.
func TestFrontierDepthOrderAndWindow(t *testing.T) {
	f := NewMemoryFrontier()
	f.Push(bg, Request{URL: "http://h/a"})
	a, _, err := f.Pop(bg, admitAll)
	if err != nil || a.URL != "http://h/a" {
		t.Fatalf("pop a: %v %v", a, err)
	}
	f.Push(bg, Request{URL: "http://h/b", Depth: 1}, Request{URL: "http://h/c2", Depth: 2})
	b, _, err := f.Pop(bg, admitAll)
	if err != nil || b.URL != "http://h/b" {
		t.Fatalf("pop b: %v %v", b, err)
	}
	if l, _, err := f.Pop(bg, admitAll); !errors.Is(err, ErrNoneReady) {
		t.Fatalf("depth 2 handed out (%v) while depth 0 is leased", l)
	}
	f.Ack(bg, a)
	if l, _, err := f.Pop(bg, admitAll); err != nil || l.URL != "http://h/c2" {
		t.Fatalf("after ack of depth 0: %v %v", l, err)
	}
}

// TestFrontierLowersDepth: a queued URL seen again nearer the start moves to
// the smaller depth, with the new referrer.
func TestFrontierLowersDepth(t *testing.T) {
	f := NewMemoryFrontier()
	f.Push(bg, Request{URL: "http://h/x", Depth: 3, Referrer: "far"}, Request{URL: "http://h/y", Depth: 2})
	f.Push(bg, Request{URL: "http://h/x", Depth: 1, Referrer: "near"})
	l, _, err := f.Pop(bg, admitAll)
	if err != nil || l.URL != "http://h/x" || l.Depth != 1 || l.Referrer != "near" {
		t.Fatalf("got %+v, %v; want /x at depth 1 from near", l, err)
	}
	f.Ack(bg, l)
	l, _, _ = f.Pop(bg, admitAll)
	f.Ack(bg, l)
	if _, _, err := f.Pop(bg, admitAll); !errors.Is(err, ErrDrained) {
		t.Fatalf("stale slot handed out again: %v", err)
	}
}

// TestFrontierBusyHostDoesNotBlock: a host the gate refuses does not hold up
// another host's requests.
func TestFrontierBusyHostDoesNotBlock(t *testing.T) {
	f := NewMemoryFrontier()
	f.Push(bg, Request{URL: "http://busy/1"}, Request{URL: "http://busy/2"}, Request{URL: "http://free/1"})
	admit := func(host, _ string) (bool, time.Duration) { return host != "busy", 0 }
	l, _, err := f.Pop(bg, admit)
	if err != nil || l.URL != "http://free/1" {
		t.Fatalf("got %v, %v; want http://free/1", l, err)
	}
	if _, wait, err := f.Pop(bg, admit); !errors.Is(err, ErrNoneReady) || wait != 0 {
		t.Fatalf("got %v wait %v; want ErrNoneReady and no timer", err, wait)
	}
}

// TestFrontierRetryWaits: a retried request comes back only after its
// not-before time, with Attempt raised.
func TestFrontierRetryWaits(t *testing.T) {
	f := NewMemoryFrontier()
	f.Push(bg, Request{URL: "http://h/r"})
	l, _, _ := f.Pop(bg, admitAll)
	f.Retry(bg, l, time.Now().Add(50*time.Millisecond))
	_, wait, err := f.Pop(bg, admitAll)
	if !errors.Is(err, ErrNoneReady) || wait <= 0 || wait > 50*time.Millisecond {
		t.Fatalf("right after retry: %v, wait %v", err, wait)
	}
	time.Sleep(wait)
	l2, _, err := f.Pop(bg, admitAll)
	if err != nil || l2.URL != l.URL || l2.Attempt != 1 {
		t.Fatalf("after the wait: %+v, %v", l2, err)
	}
}

// TestFrontierMarkSeen: a URL claimed by a redirect is never queued.
func TestFrontierMarkSeen(t *testing.T) {
	f := NewMemoryFrontier()
	if ok, _ := f.MarkSeen(bg, "http://h/t", "http://h/"); !ok {
		t.Fatal("first MarkSeen reported seen")
	}
	if ok, _ := f.MarkSeen(bg, "http://h/t", "http://h/"); ok {
		t.Fatal("second MarkSeen reported new")
	}
	if n, _ := f.Push(bg, Request{URL: "http://h/t"}); n != 0 {
		t.Fatal("a URL claimed by a redirect was queued")
	}
}

func TestSeenSet(t *testing.T) {
	var s seenSet
	for i := uint64(0); i < 100000; i++ {
		if !s.add(i * 0x9E3779B97F4A7C15) {
			t.Fatalf("%d reported present", i)
		}
	}
	for i := uint64(0); i < 100000; i++ {
		if s.add(i * 0x9E3779B97F4A7C15) {
			t.Fatalf("%d reported absent", i)
		}
	}
	if s.len() != 100000 {
		t.Fatalf("len %d", s.len())
	}
}
