package executor

import (
	"context"
	"testing"
	"time"
)

// benchSleep sleeps for d or until its context ends.
var benchSleep = Register("bench.sleep", func(ctx context.Context, d time.Duration) (int, error) {
	select {
	case <-time.After(d):
		return 0, nil
	case <-ctx.Done():
		return 0, ctx.Err()
	}
})

// With default options the next call is sent to the worker while the current
// one runs, and the worker holds it: it answers its cancellation at once,
// while the call before it still runs.
func TestSendAheadDefault(t *testing.T) {
	p, err := NewProcessPool(1)
	if err != nil {
		t.Fatal(err)
	}
	defer p.Shutdown(context.Background())
	running := Call(p, benchSleep, time.Hour)
	waiting := Call(p, benchInc, 1)
	sent := func() int {
		p.mu.Lock()
		defer p.mu.Unlock()
		n := 0
		for _, w := range p.ready {
			n += len(w.ahead)
		}
		return n
	}
	if got := sent(); got != 1 || p.queue.len() != 0 {
		t.Fatalf("%d calls sent ahead, %d queued; want the second call sent to the busy worker", got, p.queue.len())
	}
	if !waiting.Cancel() {
		t.Fatal("Cancel of the waiting call = false")
	}
	deadline := time.Now().Add(time.Minute)
	for sent() != 0 {
		if time.Now().After(deadline) {
			t.Fatal("the worker never answered the cancellation of the call waiting in it")
		}
		time.Sleep(time.Millisecond)
	}
	if !running.Running() {
		t.Error("the first call stopped running")
	}
	running.Cancel()
	if _, err := running.Result(context.Background()); err == nil {
		t.Error("the canceled sleep succeeded")
	}
}

// An unsend frame for a call that has started leaves it running: only a
// cancel frame cancels a running call.
func TestUnsendLeavesRunningCall(t *testing.T) {
	p, err := NewProcessPool(1)
	if err != nil {
		t.Fatal(err)
	}
	defer p.Shutdown(context.Background())
	running := Call(p, benchSleep, time.Hour)
	for !running.Running() {
		time.Sleep(time.Millisecond)
	}
	p.mu.Lock()
	w := p.ready[0]
	for id := range w.calls {
		w.out.unsend(id)
	}
	p.mu.Unlock()
	// A call behind it, canceled: its answer comes after the unsend's.
	waiting := Call(p, benchInc, 1)
	waiting.Cancel()
	deadline := time.Now().Add(time.Minute)
	for {
		p.mu.Lock()
		n := len(w.ahead)
		p.mu.Unlock()
		if n == 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the worker never answered the cancellation")
		}
		time.Sleep(time.Millisecond)
	}
	if !running.Running() {
		t.Fatalf("the running call ended after an unsend: %v", running.Err())
	}
	running.Cancel()
	running.Result(context.Background())
}
