package executor

import (
	"context"
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
// them split into those done and those not done, each in the order given.
// err is ctx's error if ctx ended before mode was satisfied, and nil
// otherwise. Wait with no futures returns at once.
func Wait[T any](ctx context.Context, futures []*Future[T], mode WaitMode) (done, notDone []*Future[T], err error) {
	finished := notify(futures)
	for remaining := len(futures); remaining > 0; remaining-- {
		var f *Future[T]
		select {
		case f = <-finished:
		case <-ctx.Done():
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

// AsCompleted yields the futures as they finish, each once, in the order they
// finish (those already done first). The iteration ends when all have been
// yielded, when the loop breaks, or when ctx ends: check ctx.Err() after the
// loop to tell the last apart.
func AsCompleted[T any](ctx context.Context, futures []*Future[T]) iter.Seq[*Future[T]] {
	return func(yield func(*Future[T]) bool) {
		finished := notify(futures)
		for range futures {
			select {
			case f := <-finished:
				if !yield(f) {
					return
				}
			case <-ctx.Done():
				return
			}
		}
	}
}

// notify returns a channel that receives each future once it is done. The
// channel holds them all, so the callbacks that fill it never block, even
// after the caller stopped reading.
func notify[T any](futures []*Future[T]) <-chan *Future[T] {
	ch := make(chan *Future[T], len(futures))
	for _, f := range futures {
		f.AddDoneCallback(func(f *Future[T]) { ch <- f })
	}
	return ch
}

func isFailure(err error) bool {
	return err != nil && err != ErrNotDone && err != context.Canceled
}
