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
				if !errors.Is(err, context.DeadlineExceeded) || f.Canceled() {
					t.Fatalf("call %d to a full queue: err %v, canceled %v: want its context's DeadlineExceeded, not canceled",
						i, err, f.Canceled())
				}
			}
			if s := p.Stats(); s.Rejected != calls || s.Canceled != 0 || s.Submitted != 2 {
				t.Errorf("Stats = %+v, want %d rejected, 0 canceled, 2 submitted", s, calls)
			}
		})
	}
}

// TestCallWithEndedContextIsCanceled checks that a call whose context has
// ended before it is made is canceled, never run, on both pools.
func TestCallWithEndedContextIsCanceled(t *testing.T) {
	bothPools(t, func(t *testing.T, p executor.Executor) {
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		f := executor.Call(p, taskAdd, addArg{A: 1}, executor.WithContext(ctx))
		if _, err := result(t, f); !errors.Is(err, context.Canceled) || !f.Canceled() {
			t.Fatalf("call with an ended context: err %v, canceled %v: want context.Canceled, canceled", err, f.Canceled())
		}
		if s := p.Stats(); s.Submitted != 1 || s.Canceled != 1 || s.Succeeded+s.Failed+s.Rejected != 0 {
			t.Errorf("Stats = %+v, want 1 submitted and canceled, none run or rejected", s)
		}
	})
}
