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
// tasks the pool holds on its workers at once, which on a ProcessPool is its
// workers times the sum of WithInFlight and WithSendAhead, and on a
// ProcessPool at least ProcessMapWindow).
func Window(n int) MapOption { return func(c *mapConfig) { c.window = n } }

// ProcessMapWindow is the smallest default window (see Window) of a Map on a
// ProcessPool. Its calls and results cross a socket, and a deeper window lets
// the pool write many calls and read many results per system call instead of
// one, where twice the workers' slots (20 with 2 workers and the default
// options) would leave Map at about two thirds of the rate of submitting
// every call at once. It stays a bound: Map never reads more than this many
// values ahead of the results it has yielded.
const ProcessMapWindow = 256

// defaultWindow is Map's window on ex when no Window option is given.
func defaultWindow(ex Executor) int {
	w := 2 * ex.capacity()
	if _, ok := ex.(*ProcessPool); ok {
		w = max(w, ProcessMapWindow)
	}
	return w
}

// MapCallOptions applies opts, such as WithTimeout, to every task Map runs.
// A WithContext among them is overridden: the tasks' context is Map's.
func MapCallOptions(opts ...CallOption) MapOption {
	return func(c *mapConfig) { c.call = append(c.call, opts...) }
}

// Map runs t on ex for each value of in and yields the results in input
// order, each with its task's error. Unlike Python's map, it reads in lazily:
// at most a window of tasks (see Window) is in flight, so an endless or huge
// input is fine. It begins by reading a window of values and submitting their
// tasks; then it yields each result as soon as it is ready, and reads the next
// value and submits its task only when the loop body is done with that result.
// So when the result of value i (counting from 0) is yielded, at most i+window
// values have been read, and a loop that breaks reads no more. A failed task
// does not stop the iteration; breaking out of the loop, or ctx ending,
// cancels the tasks still in flight. Once ctx has ended, Map yields ctx's
// error once and stops, unless the input was complete and every result
// yielded before: a ctx that ended before the loop began yields just its
// error, and an input that ends because ctx did never looks complete. A panic
// in the input iterator reaches the loop that ranges over Map, after the tasks
// in flight are canceled. If the pool shuts down, Map yields ErrShutdown once
// and stops, rather than once for each value left in an endless input. On a
// nil Executor, Map yields one error and stops.
func Map[A, R any](ctx context.Context, ex Executor, t Task[A, R], in iter.Seq[A], opts ...MapOption) iter.Seq2[R, error] {
	if isNilExecutor(ex) {
		return func(yield func(R, error) bool) {
			var zero R
			yield(zero, fmt.Errorf("executor: Map on a nil Executor %T", ex))
		}
	}
	cfg := mapConfig{window: defaultWindow(ex)}
	for _, o := range opts {
		o(&cfg)
	}
	cfg.window = max(cfg.window, 1)
	return func(yield func(R, error) bool) {
		ctx, cancel := context.WithCancel(ctx)
		defer cancel()
		next, stop := iter.Pull(in)
		defer stop()
		m := &mapRun[A, R]{ctx: ctx, ex: ex, t: t, next: next, window: cfg.window,
			// Map's own context comes last, so that breaking the loop
			// always cancels the tasks in flight.
			opts: append(append([]CallOption(nil), cfg.call...), WithContext(ctx)),
		}
		m.run(yield)
	}
}

// mapRun is one iteration of a Map.
type mapRun[A, R any] struct {
	ctx      context.Context
	ex       Executor
	t        Task[A, R]
	next     func() (A, bool)
	window   int
	opts     []CallOption
	inflight ring[*Future[R]]
	complete bool // the input ended while ctx was live
}

func (m *mapRun[A, R]) run(yield func(R, error) bool) {
	var zero R
	m.fill()
	for {
		f, ok := m.inflight.pop()
		if !ok {
			// fill stops short of a full window only when the input
			// is complete or ctx has ended.
			if !m.complete {
				yield(zero, m.ctx.Err())
			}
			return
		}
		v, err := f.Result(m.ctx)
		if m.ctx.Err() != nil {
			yield(zero, m.ctx.Err())
			return
		}
		if errors.Is(err, ErrShutdown) {
			yield(v, err) // every later task would fail the same way
			return
		}
		// Yield first: the result is ready, and its task's place in
		// the window is free only once the loop has taken it.
		if !yield(v, err) {
			return
		}
		m.fill()
	}
}

// fill reads the input and starts its tasks until the window is full, the
// input ends or ctx ends. A value or an end of input that comes after ctx
// ended is dropped: it may be the input's answer to ctx ending, and the
// stream stops there anyway.
func (m *mapRun[A, R]) fill() {
	for !m.complete && m.inflight.len() < m.window && m.ctx.Err() == nil {
		a, ok := m.next()
		if m.ctx.Err() != nil {
			return
		}
		if !ok {
			m.complete = true
			return
		}
		m.inflight.push(Call(m.ex, m.t, a, m.opts...))
	}
}
