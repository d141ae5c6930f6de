package executor_test

import (
	"context"
	"errors"
	"iter"
	"testing"

	"github.com/poolscrape/poolscrape/executor"
)

// bothPools runs test on a ThreadPool and on a ProcessPool of one worker
// each, as subtests.
func bothPools(t *testing.T, test func(t *testing.T, p executor.Executor)) {
	t.Run("ThreadPool", func(t *testing.T) {
		p := executor.NewThreadPool(1)
		defer shutdown(t, p)
		test(t, p)
	})
	t.Run("ProcessPool", func(t *testing.T) {
		test(t, newPool(t, 1))
	})
}

func TestMapWithEndedContextYieldsItsErrorOnce(t *testing.T) {
	bothPools(t, func(t *testing.T, p executor.Executor) {
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		read := 0
		in := func(yield func(addArg) bool) {
			for i := range 10 {
				read++
				if !yield(addArg{A: i}) {
					return
				}
			}
		}
		var errs []error
		for _, err := range executor.Map(ctx, p, taskAdd, in) {
			errs = append(errs, err)
		}
		if len(errs) != 1 || !errors.Is(errs[0], context.Canceled) {
			t.Fatalf("Map with an ended context yielded errors %v, want context.Canceled once", errs)
		}
		if read != 0 {
			t.Errorf("Map read %d inputs after its context had ended", read)
		}
		if s := p.Stats(); s.Submitted != 0 {
			t.Errorf("Stats = %+v, want nothing submitted", s)
		}
	})
}

// TestMapContextEndingWhileNothingInFlight ends Map's context while the
// input, which honours the context, waits for its second value: nothing is in
// flight then, and the input ends because the context did. The stream must
// not look complete.
func TestMapContextEndingWhileNothingInFlight(t *testing.T) {
	bothPools(t, func(t *testing.T, p executor.Executor) {
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		waiting := make(chan struct{})
		var in iter.Seq[addArg] = func(yield func(addArg) bool) {
			if !yield(addArg{A: 1, B: 1}) {
				return
			}
			close(waiting)
			<-ctx.Done() // an input that stops when the context ends
		}
		go func() {
			<-waiting
			cancel()
		}()
		var sums []int
		var errs []error
		for r, err := range executor.Map(ctx, p, taskAdd, in, executor.Window(1)) {
			sums = append(sums, r.Sum)
			errs = append(errs, err)
		}
		last := len(errs) - 1
		if last < 0 || !errors.Is(errs[last], context.Canceled) {
			t.Fatalf("Map whose context ended mid-stream yielded sums %v, errors %v: want context.Canceled last", sums, errs)
		}
		for i, err := range errs[:last] {
			if err != nil {
				t.Errorf("result %d: %v", i, err)
			}
		}
	})
}
