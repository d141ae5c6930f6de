package executor

import (
	"context"
	"fmt"
	"os"
	"runtime/debug"
	"sync"
	"time"
)

type futureState uint8

const (
	statePending futureState = iota
	stateRunning
	stateFinished
	stateCanceled
)

// Future is the pending result of a task submitted to a pool. It is safe for
// concurrent use. A Future is settled exactly once: with the task's result,
// with an error, or by cancellation.
type Future[T any] struct {
	mu        sync.Mutex
	state     futureState
	val       T
	err       error
	done      chan struct{}
	callbacks []func(*Future[T])
	// cbBuf backs callbacks for the first two, so that the usual future
	// (a callback or two) allocates nothing for them. Cleared once they
	// have run, so that a settled future keeps nothing they captured.
	cbBuf [2]func(*Future[T])
	// waiters are the channels of the Wait and AsCompleted calls watching
	// the future: each gets the future once it settles. Unlike callbacks,
	// a waiter is removed when its call returns, so that a loop of Waits
	// over a long-lived future does not pile them up.
	waiters []chan<- *Future[T]
	// stop ends a running task: it cancels the task's context on a
	// ThreadPool and asks the worker to cancel it on a ProcessPool.
	stop func()
	// unlink, if set, stops the context.AfterFunc that cancels the future
	// when its WithContext context ends; it is called once the future
	// settles, before the callbacks.
	unlink func() bool
	// counters, if set, counts a cancellation of the pending future.
	counters *counters

	// Set by Submit for a ThreadPool task. fn and parent are dropped (see
	// take) when the task starts, is rejected or is taken off the queue,
	// so that a settled future holds nothing the task captured.
	tctx    taskContext
	fn      func(context.Context) (T, error)
	parent  context.Context
	timeout time.Duration
}

func newFuture[T any]() *Future[T] {
	return &Future[T]{}
}

// failedFuture returns a future already settled with err.
func failedFuture[T any](err error) *Future[T] {
	f := newFuture[T]()
	var zero T
	f.settle(zero, err)
	return f
}

// Result waits until the future is done or ctx ends. It returns the task's
// value and error; context.Canceled if the future was canceled before it
// ran; or, when ctx ends first, the zero value and ctx's error (the task goes
// on: cancel it with Cancel).
func (f *Future[T]) Result(ctx context.Context) (T, error) {
	f.mu.Lock()
	if f.settledLocked() {
		v, err := f.val, f.err
		f.mu.Unlock()
		return v, err
	}
	done := f.doneLocked()
	f.mu.Unlock()
	select {
	case <-done:
	case <-ctx.Done():
		var zero T
		return zero, ctx.Err()
	}
	return f.val, f.err
}

// Done returns a channel that is closed when the future is settled: finished,
// failed or canceled.
func (f *Future[T]) Done() <-chan struct{} {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.doneLocked()
}

// doneLocked returns the done channel, making it on first use. f.mu must be
// held.
func (f *Future[T]) doneLocked() chan struct{} {
	if f.done == nil {
		if f.settledLocked() {
			f.done = closedChan
		} else {
			f.done = make(chan struct{})
		}
	}
	return f.done
}

func (f *Future[T]) settledLocked() bool {
	return f.state == stateFinished || f.state == stateCanceled
}

// Err returns the task's error without waiting: ErrNotDone while the future
// is not done, nil if the task succeeded, and context.Canceled if it was
// canceled.
func (f *Future[T]) Err() error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if !f.settledLocked() {
		return ErrNotDone
	}
	return f.err
}

// Cancel cancels a pending future: its task will never run, and Result
// returns context.Canceled. It reports true if the future is canceled when
// Cancel returns. On a running future, Cancel cancels the task's context (a
// task that honours it ends early) and reports false, as Python does: the
// future settles with whatever the task returns. (On a ProcessPool a call
// runs from the moment its worker takes it, a little before its task begins:
// if the cancellation reaches the worker in between, the task never begins and
// the future fails with an error matching context.Canceled.) On a finished
// future it does nothing and reports false.
func (f *Future[T]) Cancel() bool {
	f.mu.Lock()
	switch f.state {
	case stateCanceled:
		f.mu.Unlock()
		return true
	case stateRunning:
		stop := f.stop
		f.mu.Unlock()
		if stop != nil {
			stop()
		} else {
			f.tctx.cancel(context.Canceled)
		}
		return false
	case stateFinished:
		f.mu.Unlock()
		return false
	}
	var zero T
	f.val, f.err = zero, context.Canceled
	f.state = stateCanceled
	if f.counters != nil {
		f.counters.canceled.Add(1) // before Result returns, so Stats agree
	}
	cbs, unlink := f.finishLocked()
	f.mu.Unlock()
	f.runCallbacks(cbs, unlink)
	return true
}

// Canceled reports whether the future was canceled before its task ran.
func (f *Future[T]) Canceled() bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.state == stateCanceled
}

// Running reports whether the task is running now.
func (f *Future[T]) Running() bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.state == stateRunning
}

// AddDoneCallback arranges for fn to be called with the future once it is
// settled. If the future is already settled, fn runs at once in the caller's
// goroutine; otherwise it runs in the goroutine that settles the future,
// after the callbacks added before it. That goroutine is:
//
//   - for a future canceled before its task ran, the one that cancels it:
//     the caller of Cancel, CancelPending, ShutdownNow, or Shutdown whose
//     ctx ended; for a WithContext context that ends, a goroutine of the
//     context's own (context.AfterFunc) or, on a ThreadPool, the worker
//     goroutine that takes the task;
//   - on a ThreadPool, the pool's worker goroutine that ran the task, or,
//     when its WithTimeout passes first, a goroutine of the timeout's own;
//   - on a ProcessPool, the pool's goroutine that reads the results of the
//     worker process the call was sent to (for its result, and when that
//     worker dies), or a goroutine of its own when its WithTimeout passes
//     first or the kernel refuses to send its WithFiles files (ErrFiles);
//     never the goroutine that writes to a worker.
//
// A future that Call or Submit fails before returning it (ErrShutdown,
// ErrQueueFull, ErrEncode, ...) is settled already. A callback must not
// block: on a ThreadPool it holds up the worker goroutine it runs on; on the
// goroutine that reads a ProcessPool worker's results it holds up that
// worker's later results and the calls waiting in it (WithSendAhead), though
// no other worker's. A callback that panics is recovered and reported on
// standard error; it never kills a worker, and the callbacks after it still
// run.
func (f *Future[T]) AddDoneCallback(fn func(*Future[T])) {
	f.mu.Lock()
	if f.state == statePending || f.state == stateRunning {
		if f.callbacks == nil {
			f.callbacks = f.cbBuf[:0]
		}
		f.callbacks = append(f.callbacks, fn)
		f.mu.Unlock()
		return
	}
	f.mu.Unlock()
	f.runCallback(fn)
}

// addWaiter arranges for f to be sent on ch once it settles, at once if it
// has. ch must have room for it.
func (f *Future[T]) addWaiter(ch chan<- *Future[T]) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.settledLocked() {
		ch <- f
		return
	}
	f.waiters = append(f.waiters, ch)
}

// removeWaiter undoes addWaiter if f has not settled.
func (f *Future[T]) removeWaiter(ch chan<- *Future[T]) {
	f.mu.Lock()
	defer f.mu.Unlock()
	for i, w := range f.waiters {
		if w == ch {
			last := len(f.waiters) - 1
			f.waiters[i], f.waiters[last] = f.waiters[last], nil
			f.waiters = f.waiters[:last]
			return
		}
	}
}

// start moves a pending future to running, with stop as the way to end it.
// It reports false if the future was canceled meanwhile.
func (f *Future[T]) start(stop func()) bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.state != statePending {
		return false
	}
	f.state = stateRunning
	f.stop = stop
	return true
}

// settle finishes the future with v and err unless it is already settled,
// runs its callbacks, and reports whether it was this call that settled it.
func (f *Future[T]) settle(v T, err error) bool {
	f.mu.Lock()
	if f.settledLocked() {
		f.mu.Unlock()
		return false
	}
	f.val, f.err = v, err
	f.state = stateFinished
	cbs, unlink := f.finishLocked()
	f.mu.Unlock()
	f.runCallbacks(cbs, unlink)
	return true
}

// finishLocked closes done, notifies the waiters and takes the callbacks
// and unlink. f.mu must be held.
func (f *Future[T]) finishLocked() ([]func(*Future[T]), func() bool) {
	f.stop = nil
	unlink := f.unlink
	f.unlink = nil
	if f.done != nil {
		close(f.done)
	}
	for _, ch := range f.waiters {
		ch <- f // never blocks: each waiter's channel has room for all
	}
	f.waiters = nil
	cbs := f.callbacks
	f.callbacks = nil
	return cbs, unlink
}

// setUnlink records the stop of the context.AfterFunc that cancels f when
// its WithContext context ends, or calls it if f has settled already.
func (f *Future[T]) setUnlink(unlink func() bool) {
	f.mu.Lock()
	if !f.settledLocked() {
		f.unlink = unlink
		f.mu.Unlock()
		return
	}
	f.mu.Unlock()
	unlink()
}

// runCallbacks calls unlink, if any, then runs the callbacks finishLocked
// took and drops them: cbs may be f.cbBuf, which nothing else touches once
// the future is settled.
func (f *Future[T]) runCallbacks(cbs []func(*Future[T]), unlink func() bool) {
	if unlink != nil {
		unlink()
	}
	for i, cb := range cbs {
		f.runCallback(cb)
		cbs[i] = nil
	}
}

func (f *Future[T]) runCallback(cb func(*Future[T])) {
	defer func() {
		if v := recover(); v != nil {
			fmt.Fprintf(os.Stderr, "executor: done-callback panicked: %v\n%s", v, debug.Stack())
		}
	}()
	cb(f)
}
