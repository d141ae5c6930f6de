package executor

import (
	"context"
	"fmt"
	"iter"
)

// WaitMode says when Wait returns.
type WaitMode int

const (
	// AllCompleted returns when every future is done.
	AllCompleted WaitMode = iota
	// FirstCompleted returns when any future is done.
	FirstCompleted
	// FirstError returns when any future fails with an error other than
	// cancellation, or when every future is done.
	FirstError
)

// String returns the mode's name, as in the Go source, for logs and test
// failures.
func (m WaitMode) String() string {
	switch m {
	case AllCompleted:
		return "AllCompleted"
	case FirstCompleted:
		return "FirstCompleted"
	case FirstError:
		return "FirstError"
	}
	return "WaitMode(?)"
}

// Wait waits for the futures as mode says, or until ctx ends, and returns
// them split into those done and those not done, each in the order given (a
// future given twice counts once but is listed twice). err is ctx's error if
// ctx ended before mode was satisfied, an error naming the first nil future
// if there is one (then Wait waits for nothing), and nil otherwise. Wait with
// no futures returns at once. Wait leaves nothing attached to the futures
// when it returns, so it may be called in a loop over the ones not done.
func Wait[T any](ctx context.Context, futures []*Future[T], mode WaitMode) (done, notDone []*Future[T], err error) {
	for i, f := range futures {
		if f == nil {
			return nil, futures, fmt.Errorf("executor: Wait: futures[%d] is nil", i)
		}
	}
	finished, n, unwatch := watch(futures)
	defer unwatch()
	for range n {
		f, ok := next(ctx, finished)
		if !ok {
			err = ctx.Err()
		}
		if err != nil || mode == FirstCompleted || (mode == FirstError && isFailure(f.Err())) {
			break
		}
	}
	for _, f := range futures {
		if f.Err() == ErrNotDone {
			notDone = append(notDone, f)
		} else {
			done = append(done, f)
		}
	}
	return done, notDone, err
}

// AsCompleted yields the futures as they finish, each once (a future given
// twice is yielded once; nil entries are skipped), in the order they finish
// (those already done first). The iteration ends when all have been yielded,
// when the loop breaks, or when ctx ends: check ctx.Err() after the loop to
// tell the last apart.
func AsCompleted[T any](ctx context.Context, futures []*Future[T]) iter.Seq[*Future[T]] {
	return func(yield func(*Future[T]) bool) {
		finished, n, unwatch := watch(futures)
		defer unwatch()
		for range n {
			f, ok := next(ctx, finished)
			if !ok || !yield(f) {
				return
			}
		}
	}
}

// watch returns a channel that receives each distinct non-nil future once it
// is done, how many it will receive, and a function that stops the watch.
// The channel has room for them all, so that settling a future never blocks,
// even after the caller stopped reading.
func watch[T any](futures []*Future[T]) (<-chan *Future[T], int, func()) {
	distinct := make([]*Future[T], 0, len(futures))
	seen := make(map[*Future[T]]bool, len(futures))
	for _, f := range futures {
		if f != nil && !seen[f] {
			seen[f] = true
			distinct = append(distinct, f)
		}
	}
	ch := make(chan *Future[T], len(distinct))
	for _, f := range distinct {
		f.addWaiter(ch)
	}
	return ch, len(distinct), func() {
		for _, f := range distinct {
			f.removeWaiter(ch)
		}
	}
}

// next receives the next finished future, or reports false if ctx ends
// first. A future that is already there wins over an ended ctx, so that
// futures done before the call are never reported as not done.
func next[T any](ctx context.Context, finished <-chan *Future[T]) (*Future[T], bool) {
	select {
	case f := <-finished:
		return f, true
	default:
	}
	select {
	case f := <-finished:
		return f, true
	case <-ctx.Done():
		return nil, false
	}
}

func isFailure(err error) bool {
	return err != nil && err != ErrNotDone && err != context.Canceled
}
