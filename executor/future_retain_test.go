package executor_test

import (
	"context"
	"runtime"
	"testing"
	"time"
	"weak"

	"github.com/poolscrape/poolscrape/executor"
)

// payload is what a task's closure captures: a finished future must not
// keep it alive.
type payload struct{ data [1 << 16]byte }

// collected reports whether the object behind w has been garbage-collected,
// after a GC.
func collected(w weak.Pointer[payload]) bool {
	runtime.GC()
	return w.Value() == nil
}

func TestFinishedFutureDropsItsClosure(t *testing.T) {
	p := executor.NewThreadPool(1)
	defer shutdown(t, p)
	cases := map[string]func(obj *payload) *executor.Future[int]{
		"Submit": func(obj *payload) *executor.Future[int] {
			return executor.Submit(p, func(context.Context) (int, error) { return int(obj.data[0]), nil })
		},
		"Submit with WithTimeout": func(obj *payload) *executor.Future[int] {
			return executor.Submit(p, func(context.Context) (int, error) { return int(obj.data[0]), nil },
				executor.WithTimeout(time.Hour))
		},
		"Call": func(obj *payload) *executor.Future[int] {
			task := executor.Func(func(_ context.Context, obj *payload) (int, error) { return int(obj.data[0]), nil })
			return executor.Call(p, task, obj)
		},
	}
	closed := executor.NewThreadPool(1)
	shutdown(t, closed)
	cases["Submit after Shutdown"] = func(obj *payload) *executor.Future[int] {
		return executor.Submit(closed, func(context.Context) (int, error) { return int(obj.data[0]), nil })
	}
	for name, submit := range cases {
		t.Run(name, func(t *testing.T) {
			w, f := submitCapturing(submit)
			result(t, f)
			// The worker goroutine may still be on its way out of the
			// task; the future is referenced throughout.
			waitFor(t, "the task's captured object to be collected while its future is referenced", func() bool {
				return collected(w)
			})
			runtime.KeepAlive(f)
		})
	}
}

// submitCapturing submits a task that captures a new payload, and returns a
// weak pointer to the payload: the caller holds no other reference.
func submitCapturing(submit func(*payload) *executor.Future[int]) (weak.Pointer[payload], *executor.Future[int]) {
	obj := &payload{}
	return weak.Make(obj), submit(obj)
}

// TestTimedOutFutureDropsItsClosure checks the timeout path: the future
// settles when the timeout passes, and lets go of the closure once the task
// has returned.
func TestTimedOutFutureDropsItsClosure(t *testing.T) {
	p := executor.NewThreadPool(1)
	defer shutdown(t, p)
	release := make(chan struct{})
	returned := make(chan struct{})
	w, f := submitCapturing(func(obj *payload) *executor.Future[int] {
		return executor.Submit(p, func(context.Context) (int, error) {
			defer close(returned)
			<-release // ignores its context
			return int(obj.data[0]), nil
		}, executor.WithTimeout(time.Millisecond))
	})
	if _, err := result(t, f); err == nil {
		t.Fatal("a task past its timeout succeeded")
	}
	close(release)
	<-returned
	waitFor(t, "the timed-out task's captured object to be collected while its future is referenced", func() bool {
		return collected(w)
	})
	runtime.KeepAlive(f)
}
