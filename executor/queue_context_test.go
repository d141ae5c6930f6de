package executor_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/poolscrape/poolscrape/executor"
)

// TestFullQueueSubmitContextEnds checks that a Call blocked on a full
// bounded queue fails with its context's own error when that context ends,
// on both pools, and is counted once, as rejected.
func TestFullQueueSubmitContextEnds(t *testing.T) {
	pools := map[string]func(t *testing.T) executor.Executor{
		"ThreadPool": func(t *testing.T) executor.Executor {
			p := executor.NewThreadPool(1, executor.WithQueueSize(1))
			t.Cleanup(func() { shutdown(t, p) })
			return p
		},
		"ProcessPool": func(t *testing.T) executor.Executor {
			return newPool(t, 1, executor.WithQueueSize(1))
		},
	}
	for name, newPool := range pools {
		t.Run(name, func(t *testing.T) {
			p := newPool(t)
			sleeps, stopSleeps := context.WithCancel(context.Background())
			defer stopSleeps()
			running := executor.Call(p, taskSleep, time.Hour, executor.WithContext(sleeps))
			waitFor(t, "the first call to run", running.Running)
			executor.Call(p, taskSleep, time.Hour, executor.WithContext(sleeps)) // fills the queue
			const calls = 20
			for i := range calls {
				ctx, cancel := context.WithTimeout(context.Background(), time.Millisecond)
				f := executor.Call(p, taskAdd, addArg{A: i}, executor.WithContext(ctx))
				_, err := result(t, f)
				cancel()
				if !errors.Is(err, context.DeadlineExceeded) || f.Cancelled() {
					t.Fatalf("call %d to a full queue: err %v, cancelled %v: want its context's DeadlineExceeded, not cancelled",
						i, err, f.Cancelled())
				}
			}
			if s := p.Stats(); s.Rejected != calls || s.Cancelled != 0 || s.Submitted != 2 {
				t.Errorf("Stats = %+v, want %d rejected, 0 cancelled, 2 submitted", s, calls)
			}
		})
	}
}

// TestCallWithEndedContextIsCancelled checks that a call whose context has
// ended before it is made is cancelled, never run, on both pools.
func TestCallWithEndedContextIsCancelled(t *testing.T) {
	bothPools(t, func(t *testing.T, p executor.Executor) {
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		f := executor.Call(p, taskAdd, addArg{A: 1}, executor.WithContext(ctx))
		if _, err := result(t, f); !errors.Is(err, context.Canceled) || !f.Cancelled() {
			t.Fatalf("call with an ended context: err %v, cancelled %v: want context.Canceled, cancelled", err, f.Cancelled())
		}
		if s := p.Stats(); s.Submitted != 1 || s.Cancelled != 1 || s.Succeeded+s.Failed+s.Rejected != 0 {
			t.Errorf("Stats = %+v, want 1 submitted and cancelled, none run or rejected", s)
		}
	})
}
