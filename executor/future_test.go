package executor_test

import (
	"context"
	"errors"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/poolscrape/poolscrape/executor"
)

// blocked submits a task that waits for gate (or its context) and returns a
// channel closed when it has started.
func blocked(p *executor.ThreadPool, gate <-chan struct{}) (*executor.Future[int], <-chan struct{}) {
	started := make(chan struct{})
	f := executor.Submit(p, func(ctx context.Context) (int, error) {
		close(started)
		select {
		case <-gate:
			return 1, nil
		case <-ctx.Done():
			return 0, ctx.Err()
		}
	})
	return f, started
}

func TestCancelPendingFutureNeverRuns(t *testing.T) {
	p := executor.NewThreadPool(1)
	defer shutdown(t, p)
	gate := make(chan struct{})
	first, started := blocked(p, gate)
	<-started
	ran := false
	pending := executor.Submit(p, func(context.Context) (int, error) { ran = true; return 2, nil })
	if !pending.Cancel() || !pending.Canceled() {
		t.Fatal("Cancel of a pending future did not cancel it")
	}
	if !pending.Cancel() {
		t.Error("a second Cancel should still report true")
	}
	close(gate)
	if _, err := first.Result(context.Background()); err != nil {
		t.Fatal(err)
	}
	if _, err := pending.Result(context.Background()); !errors.Is(err, context.Canceled) {
		t.Fatalf("Result = %v, want context.Canceled", err)
	}
	shutdown(t, p)
	if ran {
		t.Fatal("a canceled pending task ran")
	}
	if got := p.Stats().Canceled; got != 1 {
		t.Errorf("Canceled = %d, want 1", got)
	}
}

func TestCancelRunningFutureCancelsItsContext(t *testing.T) {
	p := executor.NewThreadPool(1)
	defer shutdown(t, p)
	f, started := blocked(p, nil)
	<-started
	if !f.Running() {
		t.Error("Running() = false for a started task")
	}
	if f.Cancel() {
		t.Error("Cancel of a running future reported true")
	}
	if _, err := f.Result(context.Background()); !errors.Is(err, context.Canceled) {
		t.Fatalf("Result = %v, want the task's context.Canceled", err)
	}
	if f.Canceled() {
		t.Error("a future that ran reports Canceled")
	}
	if f.Cancel() {
		t.Error("Cancel of a finished future reported true")
	}
}

func TestErrDoesNotBlock(t *testing.T) {
	p := executor.NewThreadPool(1)
	defer shutdown(t, p)
	gate := make(chan struct{})
	f, started := blocked(p, gate)
	<-started
	if err := f.Err(); !errors.Is(err, executor.ErrNotDone) {
		t.Fatalf("Err() = %v, want ErrNotDone", err)
	}
	close(gate)
	<-f.Done()
	if err := f.Err(); err != nil {
		t.Fatalf("Err() after success = %v", err)
	}
}

func TestResultHonoursContext(t *testing.T) {
	p := executor.NewThreadPool(1)
	defer shutdown(t, p)
	gate := make(chan struct{})
	defer close(gate)
	f, _ := blocked(p, gate)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Millisecond)
	defer cancel()
	if _, err := f.Result(ctx); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("Result = %v, want DeadlineExceeded", err)
	}
}

func TestDoneCallbacksRunInOrderOnce(t *testing.T) {
	p := executor.NewThreadPool(1)
	defer shutdown(t, p)
	gate := make(chan struct{})
	f, _ := blocked(p, gate)
	var mu sync.Mutex
	var order []int
	for i := range 3 {
		f.AddDoneCallback(func(*executor.Future[int]) {
			mu.Lock()
			order = append(order, i)
			mu.Unlock()
		})
	}
	close(gate)
	<-f.Done()
	shutdown(t, p) // callbacks run before the worker finishes
	mu.Lock()
	defer mu.Unlock()
	if !slices.Equal(order, []int{0, 1, 2}) {
		t.Fatalf("callback order %v", order)
	}
}

func TestDoneCallbackOnFinishedFutureRunsAtOnce(t *testing.T) {
	p := executor.NewThreadPool(1)
	defer shutdown(t, p)
	f := executor.Submit(p, func(context.Context) (int, error) { return 5, nil })
	<-f.Done()
	got := 0
	f.AddDoneCallback(func(f *executor.Future[int]) { got, _ = f.Result(context.Background()) })
	if got != 5 {
		t.Fatalf("callback on a done future did not run in the caller's goroutine (got %d)", got)
	}
}

func TestPanickingCallbackIsRecovered(t *testing.T) {
	p := executor.NewThreadPool(1)
	defer shutdown(t, p)
	gate := make(chan struct{})
	f, _ := blocked(p, gate)
	after := make(chan struct{})
	f.AddDoneCallback(func(*executor.Future[int]) { panic("callback boom") })
	f.AddDoneCallback(func(*executor.Future[int]) { close(after) })
	close(gate)
	<-after
	g := executor.Submit(p, func(context.Context) (int, error) { return 3, nil })
	if v, err := g.Result(context.Background()); v != 3 || err != nil {
		t.Fatalf("pool after a panicking callback: %d, %v", v, err)
	}
}

func TestCallbackOnCancel(t *testing.T) {
	p := executor.NewThreadPool(1)
	defer shutdown(t, p)
	gate := make(chan struct{})
	defer close(gate)
	blocked(p, gate)
	f := executor.Submit(p, func(context.Context) (int, error) { return 1, nil })
	called := false
	f.AddDoneCallback(func(f *executor.Future[int]) { called = f.Canceled() })
	f.Cancel()
	if !called {
		t.Fatal("callback did not run in the goroutine that canceled")
	}
}

func TestCallRegisteredTaskOnThreadPool(t *testing.T) {
	p := executor.NewThreadPool(2)
	defer shutdown(t, p)
	f := executor.Call(p, double, 21)
	if v, err := f.Result(context.Background()); v != 42 || err != nil {
		t.Fatalf("Call = %d, %v", v, err)
	}
	var zero executor.Task[int, int]
	if err := executor.Call(p, zero, 1).Err(); !errors.Is(err, executor.ErrUnknownTask) {
		t.Fatalf("zero Task: %v, want ErrUnknownTask", err)
	}
}

var double = executor.Register("executor_test.double", func(_ context.Context, n int) (int, error) {
	return 2 * n, nil
})
