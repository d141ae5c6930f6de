package executor

import (
	"context"
	"testing"
	"time"
)

// The classic loop of Wait(FirstCompleted) over the futures not yet done
// leaves nothing attached to them: each Wait removes its waiters when it
// returns, so a future that outlives many Waits does not collect one per
// call (n Waits over n futures would otherwise hold n²/2).
func TestWaitLoopLeavesNoWaiters(t *testing.T) {
	p := NewThreadPool(4)
	defer p.Shutdown(context.Background())
	gate := make(chan struct{})
	hold := Submit(p, func(context.Context) (int, error) { <-gate; return 0, nil })
	futures := []*Future[int]{hold}
	for i := range 50 {
		futures = append(futures, Submit(p, func(context.Context) (int, error) {
			time.Sleep(time.Duration(i%5) * time.Millisecond)
			return i, nil
		}))
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	pending := futures
	for len(pending) > 1 {
		var err error
		if _, pending, err = Wait(ctx, pending, FirstCompleted); err != nil {
			t.Fatal(err)
		}
	}
	for range AsCompleted(ctx, futures) {
		break // leaves hold unfinished
	}
	hold.mu.Lock()
	n := len(hold.waiters)
	hold.mu.Unlock()
	if n != 0 {
		t.Errorf("after the Waits returned, the unfinished future holds %d waiters, want 0", n)
	}
	close(gate)
}
