package executor_test

import (
	"context"
	"errors"
	"iter"
	"slices"
	"sync/atomic"
	"testing"
	"time"

	"github.com/poolscrape/poolscrape/executor"
)

func sleeper(p *executor.ThreadPool, d time.Duration, v int, err error) *executor.Future[int] {
	return executor.Submit(p, func(ctx context.Context) (int, error) {
		select {
		case <-time.After(d):
			return v, err
		case <-ctx.Done():
			return 0, ctx.Err()
		}
	})
}

func TestWaitModes(t *testing.T) {
	p := executor.NewThreadPool(4)
	defer shutdown(t, p)
	boom := errors.New("boom")
	fast := sleeper(p, 0, 1, nil)
	failing := sleeper(p, 20*time.Millisecond, 0, boom)
	slow := sleeper(p, 10*time.Second, 3, nil)
	all := []*executor.Future[int]{slow, failing, fast}

	done, notDone, err := executor.Wait(context.Background(), all, executor.FirstCompleted)
	if err != nil || len(done) < 1 || len(done)+len(notDone) != 3 {
		t.Fatalf("FirstCompleted: done %d, not done %d, %v", len(done), len(notDone), err)
	}
	done, notDone, err = executor.Wait(context.Background(), all, executor.FirstError)
	if err != nil || !slices.Contains(done, failing) || !slices.Equal(notDone, []*executor.Future[int]{slow}) {
		t.Fatalf("FirstError: done %v, not done %v, %v", done, notDone, err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	_, notDone, err = executor.Wait(ctx, all, executor.AllCompleted)
	if !errors.Is(err, context.DeadlineExceeded) || len(notDone) != 1 {
		t.Fatalf("AllCompleted with a deadline: not done %d, %v", len(notDone), err)
	}
	slow.Cancel()
	done, notDone, err = executor.Wait(context.Background(), all, executor.AllCompleted)
	if err != nil || len(done) != 3 || len(notDone) != 0 {
		t.Fatalf("AllCompleted: done %d, not done %d, %v", len(done), len(notDone), err)
	}
}

func TestWaitFirstErrorIgnoresCancellation(t *testing.T) {
	p := executor.NewThreadPool(1)
	defer shutdown(t, p)
	gate := make(chan struct{})
	first, _ := blocked(p, gate)
	canceled := sleeper(p, 0, 0, nil)
	canceled.Cancel()
	go func() { time.Sleep(10 * time.Millisecond); close(gate) }()
	done, notDone, err := executor.Wait(context.Background(), []*executor.Future[int]{first, canceled}, executor.FirstError)
	if err != nil || len(done) != 2 || len(notDone) != 0 {
		t.Fatalf("done %d, not done %d, %v: a cancellation must not count as an error", len(done), len(notDone), err)
	}
}

func TestAsCompletedYieldsInCompletionOrder(t *testing.T) {
	p := executor.NewThreadPool(3)
	defer shutdown(t, p)
	fs := []*executor.Future[int]{
		sleeper(p, 60*time.Millisecond, 3, nil),
		sleeper(p, 0, 1, nil),
		sleeper(p, 30*time.Millisecond, 2, nil),
	}
	var got []int
	for f := range executor.AsCompleted(context.Background(), fs) {
		v, _ := f.Result(context.Background())
		got = append(got, v)
	}
	if !slices.Equal(got, []int{1, 2, 3}) {
		t.Fatalf("completion order %v", got)
	}
}

func TestAsCompletedStopsWhenContextEnds(t *testing.T) {
	p := executor.NewThreadPool(2)
	defer shutdown(t, p)
	slow := sleeper(p, 10*time.Second, 1, nil)
	defer slow.Cancel()
	fs := []*executor.Future[int]{sleeper(p, 0, 1, nil), slow}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	n := 0
	for range executor.AsCompleted(ctx, fs) {
		n++
	}
	if n != 1 || ctx.Err() == nil {
		t.Fatalf("yielded %d, ctx %v", n, ctx.Err())
	}
}

func counting(n int, read *atomic.Int64) iter.Seq[int] {
	return func(yield func(int) bool) {
		for i := range n {
			read.Add(1)
			if !yield(i) {
				return
			}
		}
	}
}

var square = executor.Func(func(_ context.Context, n int) (int, error) {
	if n == 13 {
		return 0, errors.New("unlucky")
	}
	return n * n, nil
})

func TestMapKeepsOrderAndReportsErrors(t *testing.T) {
	p := executor.NewThreadPool(4)
	defer shutdown(t, p)
	var read atomic.Int64
	i := 0
	for v, err := range executor.Map(context.Background(), p, square, counting(100, &read)) {
		if i == 13 {
			if err == nil {
				t.Fatal("the error of input 13 was lost")
			}
		} else if err != nil || v != i*i {
			t.Fatalf("result %d: %d, %v", i, v, err)
		}
		i++
	}
	if i != 100 {
		t.Fatalf("%d results, want 100", i)
	}
}

func TestMapIsLazyAndBounded(t *testing.T) {
	p := executor.NewThreadPool(2)
	defer shutdown(t, p)
	var read atomic.Int64
	var inFlight, peak atomic.Int64
	slowSquare := executor.Func(func(_ context.Context, n int) (int, error) {
		cur := inFlight.Add(1)
		defer inFlight.Add(-1)
		for {
			old := peak.Load()
			if cur <= old || peak.CompareAndSwap(old, cur) {
				break
			}
		}
		time.Sleep(time.Millisecond)
		return n * n, nil
	})
	seen := 0
	for range executor.Map(context.Background(), p, slowSquare, counting(1_000_000_000, &read), executor.Window(5)) {
		seen++
		if seen == 20 {
			break
		}
	}
	if r := read.Load(); r > 20+5+1 {
		t.Fatalf("Map read %d inputs for 20 results with a window of 5: not lazy", r)
	}
	if peak.Load() > 2 {
		t.Fatalf("peak %d tasks at once on a 2-worker pool", peak.Load())
	}
}

func TestMapStopsWhenContextEnds(t *testing.T) {
	p := executor.NewThreadPool(2)
	defer shutdown(t, p)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var read atomic.Int64
	var lastErr error
	n := 0
	for _, err := range executor.Map(ctx, p, square, counting(1_000_000, &read)) {
		n++
		if n == 5 {
			cancel()
		}
		lastErr = err
	}
	if !errors.Is(lastErr, context.Canceled) {
		t.Fatalf("last error %v, want context.Canceled", lastErr)
	}
	if n > 5+1 {
		t.Fatalf("Map yielded %d results after its context ended", n-5)
	}
}
