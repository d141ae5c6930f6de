package executor

import (
	"context"
	"errors"
	"fmt"
	"iter"
)

// MapOption configures Map.
type MapOption func(*mapConfig)

type mapConfig struct {
	window int
	call   []CallOption
}

// Window sets how many tasks Map keeps in flight at most (default: twice the
// tasks the pool runs at once, which on a ProcessPool is its workers times
// WithInFlight).
func Window(n int) MapOption { return func(c *mapConfig) { c.window = n } }

// MapCallOptions applies opts, such as WithTimeout, to every task Map runs.
// A WithContext among them is overridden: the tasks' context is Map's.
func MapCallOptions(opts ...CallOption) MapOption {
	return func(c *mapConfig) { c.call = append(c.call, opts...) }
}

// Map runs t on ex for each value of in and yields the results in input
// order, each with its task's error. Unlike Python's map, it reads in lazily:
// at most a window of tasks (see Window) is in flight, so an endless or huge
// input is fine. A failed task does not stop the iteration; breaking out of
// the loop, or ctx ending, cancels the tasks still in flight (after ctx ends,
// Map yields ctx's error once and stops). A panic in the input iterator
// reaches the loop that ranges over Map, after the tasks in flight are
// cancelled. If the pool shuts down, Map yields ErrShutdown once and stops,
// rather than once for each value left in an endless input. On a nil
// Executor, Map yields one error and stops.
func Map[A, R any](ctx context.Context, ex Executor, t Task[A, R], in iter.Seq[A], opts ...MapOption) iter.Seq2[R, error] {
	if isNilExecutor(ex) {
		return func(yield func(R, error) bool) {
			var zero R
			yield(zero, fmt.Errorf("executor: Map on a nil Executor %T", ex))
		}
	}
	cfg := mapConfig{window: 2 * ex.capacity()}
	for _, o := range opts {
		o(&cfg)
	}
	cfg.window = max(cfg.window, 1)
	return func(yield func(R, error) bool) {
		ctx, cancel := context.WithCancel(ctx)
		defer cancel()
		next, stop := iter.Pull(in)
		defer stop()
		// Map's own context comes last, so that breaking the loop always
		// cancels the tasks in flight.
		callOpts := append(append([]CallOption(nil), cfg.call...), WithContext(ctx))
		var inflight ring[*Future[R]]
		exhausted := false
		fill := func() {
			for !exhausted && inflight.len() < cfg.window && ctx.Err() == nil {
				a, ok := next()
				if !ok {
					exhausted = true
					return
				}
				inflight.push(Call(ex, t, a, callOpts...))
			}
		}
		fill()
		for {
			f, ok := inflight.pop()
			if !ok {
				return
			}
			v, err := f.Result(ctx)
			if ctx.Err() != nil {
				var zero R
				yield(zero, ctx.Err())
				return
			}
			if errors.Is(err, ErrShutdown) {
				yield(v, err) // every later task would fail the same way
				return
			}
			fill()
			if !yield(v, err) {
				return
			}
		}
	}
}
