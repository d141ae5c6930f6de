package executor_test

import (
	"context"
	"errors"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/poolscrape/poolscrape/executor"
)

func shutdown(t *testing.T, p executor.Executor) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := p.Shutdown(ctx); err != nil {
		t.Errorf("Shutdown: %v", err)
	}
}

func TestThreadPoolRunsEveryTask(t *testing.T) {
	p := executor.NewThreadPool(4)
	defer shutdown(t, p)
	var futures []*executor.Future[int]
	for i := range 1000 {
		futures = append(futures, executor.Submit(p, func(context.Context) (int, error) { return i * i, nil }))
	}
	for i, f := range futures {
		v, err := f.Result(context.Background())
		if err != nil || v != i*i {
			t.Fatalf("future %d: got %d, %v; want %d", i, v, err, i*i)
		}
	}
	s := p.Stats()
	if s.Submitted != 1000 || s.Succeeded != 1000 || s.Failed != 0 {
		t.Errorf("stats: %+v", s)
	}
}

func TestThreadPoolBoundsConcurrency(t *testing.T) {
	const workers = 3
	p := executor.NewThreadPool(workers)
	defer shutdown(t, p)
	var running, peak atomic.Int64
	var futures []*executor.Future[struct{}]
	for range 50 {
		futures = append(futures, executor.Submit(p, func(context.Context) (struct{}, error) {
			n := running.Add(1)
			for {
				old := peak.Load()
				if n <= old || peak.CompareAndSwap(old, n) {
					break
				}
			}
			time.Sleep(time.Millisecond)
			running.Add(-1)
			return struct{}{}, nil
		}))
	}
	waitAll(t, futures)
	if got := peak.Load(); got > workers || got < 2 {
		t.Errorf("peak concurrency %d, want 2..%d", got, workers)
	}
}

func waitAll[T any](t *testing.T, futures []*executor.Future[T]) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	for _, f := range futures {
		if _, err := f.Result(ctx); err != nil {
			t.Fatalf("Result: %v", err)
		}
	}
}

func TestThreadPoolDefaultWorkers(t *testing.T) {
	p := executor.NewThreadPool(0)
	defer shutdown(t, p)
	if p.Workers() < 1 {
		t.Errorf("Workers() = %d", p.Workers())
	}
}

func TestPanicFailsOnlyItsFuture(t *testing.T) {
	p := executor.NewThreadPool(1)
	defer shutdown(t, p)
	bad := executor.Submit(p, func(context.Context) (int, error) { panic("boom") })
	good := executor.Submit(p, func(context.Context) (int, error) { return 7, nil })
	_, err := bad.Result(context.Background())
	var pe *executor.PanicError
	if !errors.As(err, &pe) || pe.Value != "boom" || !strings.Contains(string(pe.Stack), "threadpool_test.go") {
		t.Fatalf("panicking task: err = %v, want a PanicError with value and stack", err)
	}
	if v, err := good.Result(context.Background()); v != 7 || err != nil {
		t.Fatalf("task after the panic: %d, %v", v, err)
	}
}

func TestSubmitAfterShutdown(t *testing.T) {
	p := executor.NewThreadPool(2)
	shutdown(t, p)
	f := executor.Submit(p, func(context.Context) (int, error) { return 1, nil })
	if _, err := f.Result(context.Background()); !errors.Is(err, executor.ErrShutdown) {
		t.Fatalf("err = %v, want ErrShutdown", err)
	}
	if p.Stats().Rejected != 1 {
		t.Errorf("Rejected = %d, want 1", p.Stats().Rejected)
	}
	shutdown(t, p) // a second Shutdown is fine
}

func TestShutdownWaitsForQueuedAndRunning(t *testing.T) {
	p := executor.NewThreadPool(2)
	var done atomic.Int64
	for range 20 {
		executor.Submit(p, func(context.Context) (int, error) {
			time.Sleep(2 * time.Millisecond)
			done.Add(1)
			return 0, nil
		})
	}
	shutdown(t, p)
	if done.Load() != 20 {
		t.Fatalf("Shutdown returned with %d of 20 tasks done", done.Load())
	}
	if s := p.Stats(); s.WorkersAlive != 0 || s.Queued != 0 || s.Running != 0 {
		t.Errorf("after Shutdown: %+v", s)
	}
}

func TestShutdownContextEndsFirst(t *testing.T) {
	p := executor.NewThreadPool(1)
	release := make(chan struct{})
	running := executor.Submit(p, func(ctx context.Context) (int, error) {
		select {
		case <-ctx.Done():
			return 0, ctx.Err()
		case <-release:
			return 1, nil
		}
	})
	queued := executor.Submit(p, func(context.Context) (int, error) { return 2, nil })
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	if err := p.Shutdown(ctx); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("Shutdown = %v, want DeadlineExceeded", err)
	}
	if _, err := running.Result(context.Background()); !errors.Is(err, context.Canceled) {
		t.Errorf("running task: %v, want its context canceled", err)
	}
	if !queued.Canceled() {
		t.Errorf("queued future not canceled")
	}
	close(release)
	shutdown(t, p)
}

func TestShutdownNowCancelsPending(t *testing.T) {
	p := executor.NewThreadPool(1)
	gate := make(chan struct{})
	first := executor.Submit(p, func(context.Context) (int, error) { <-gate; return 1, nil })
	var rest []*executor.Future[int]
	for range 5 {
		rest = append(rest, executor.Submit(p, func(context.Context) (int, error) { return 2, nil }))
	}
	go func() { time.Sleep(10 * time.Millisecond); close(gate) }()
	if err := p.ShutdownNow(context.Background()); err != nil {
		t.Fatal(err)
	}
	if v, err := first.Result(context.Background()); v != 1 || err != nil {
		t.Errorf("running task: %d, %v", v, err)
	}
	for _, f := range rest {
		if _, err := f.Result(context.Background()); !errors.Is(err, context.Canceled) {
			t.Errorf("queued task: %v, want context.Canceled", err)
		}
	}
	if got := p.Stats().Canceled; got != 5 {
		t.Errorf("Canceled = %d, want 5", got)
	}
}

func TestBoundedQueueBlocks(t *testing.T) {
	p := executor.NewThreadPool(1, executor.WithQueueSize(2))
	defer shutdown(t, p)
	gate := make(chan struct{})
	block := func(context.Context) (int, error) { <-gate; return 0, nil }
	executor.Submit(p, block) // running
	executor.Submit(p, block) // queued 1
	executor.Submit(p, block) // queued 2
	submitted := make(chan struct{})
	go func() {
		executor.Submit(p, block)
		close(submitted)
	}()
	select {
	case <-submitted:
		t.Fatal("Submit to a full queue did not block")
	case <-time.After(30 * time.Millisecond):
	}
	close(gate)
	<-submitted
}

func TestBoundedQueueBlockingHonoursContext(t *testing.T) {
	p := executor.NewThreadPool(1, executor.WithQueueSize(1))
	defer shutdown(t, p)
	gate := make(chan struct{})
	defer close(gate)
	block := func(context.Context) (int, error) { <-gate; return 0, nil }
	executor.Submit(p, block)
	executor.Submit(p, block)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	f := executor.Submit(p, block, executor.WithContext(ctx))
	if _, err := f.Result(context.Background()); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err = %v, want DeadlineExceeded", err)
	}
}

func TestBoundedQueueNonBlocking(t *testing.T) {
	p := executor.NewThreadPool(1, executor.WithQueueSize(1), executor.WithNonBlocking())
	defer shutdown(t, p)
	gate := make(chan struct{})
	block := func(context.Context) (int, error) { <-gate; return 0, nil }
	executor.Submit(p, block)
	executor.Submit(p, block)
	f := executor.Submit(p, block)
	if err := f.Err(); !errors.Is(err, executor.ErrQueueFull) {
		t.Fatalf("err = %v, want ErrQueueFull", err)
	}
	close(gate)
}

func TestTimeoutOnThreadPool(t *testing.T) {
	p := executor.NewThreadPool(1)
	defer shutdown(t, p)
	f := executor.Submit(p, func(ctx context.Context) (int, error) {
		<-ctx.Done()
		return 0, ctx.Err()
	}, executor.WithTimeout(20*time.Millisecond))
	_, err := f.Result(context.Background())
	if !errors.Is(err, executor.ErrTimeout) || !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err = %v, want ErrTimeout and DeadlineExceeded", err)
	}
}

func TestTimeoutSettlesEvenIfTaskIgnoresIt(t *testing.T) {
	p := executor.NewThreadPool(1)
	defer shutdown(t, p)
	release := make(chan struct{})
	f := executor.Submit(p, func(context.Context) (int, error) {
		<-release
		return 1, nil
	}, executor.WithTimeout(10*time.Millisecond))
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	_, err := f.Result(ctx)
	close(release)
	if !errors.Is(err, executor.ErrTimeout) {
		t.Fatalf("err = %v, want ErrTimeout while the task still ran", err)
	}
}

func TestWithContextCancelsPendingAndRunning(t *testing.T) {
	p := executor.NewThreadPool(1)
	defer shutdown(t, p)
	ctx, cancel := context.WithCancel(context.Background())
	started := make(chan struct{})
	running := executor.Submit(p, func(ctx context.Context) (int, error) {
		close(started)
		<-ctx.Done()
		return 0, ctx.Err()
	}, executor.WithContext(ctx))
	pending := executor.Submit(p, func(context.Context) (int, error) { return 1, nil }, executor.WithContext(ctx))
	<-started
	cancel()
	if _, err := running.Result(context.Background()); !errors.Is(err, context.Canceled) {
		t.Errorf("running: %v", err)
	}
	if _, err := pending.Result(context.Background()); !errors.Is(err, context.Canceled) || !pending.Canceled() {
		t.Errorf("pending: %v, canceled %v", err, pending.Canceled())
	}
}

func TestTaskContextValuesAndFiles(t *testing.T) {
	p := executor.NewThreadPool(1)
	defer shutdown(t, p)
	type key struct{}
	ctx := context.WithValue(context.Background(), key{}, "v")
	f := executor.Submit(p, func(ctx context.Context) (string, error) {
		s, _ := ctx.Value(key{}).(string)
		return s, nil
	}, executor.WithContext(ctx))
	if v, err := f.Result(context.Background()); v != "v" || err != nil {
		t.Fatalf("value through WithContext: %q, %v", v, err)
	}
}

func TestManySubmittersRace(t *testing.T) {
	p := executor.NewThreadPool(4, executor.WithQueueSize(16))
	defer shutdown(t, p)
	var wg sync.WaitGroup
	var sum atomic.Int64
	for g := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 200 {
				f := executor.Submit(p, func(context.Context) (int, error) { return g*1000 + i, nil })
				f.AddDoneCallback(func(f *executor.Future[int]) {
					v, _ := f.Result(context.Background())
					sum.Add(int64(v))
				})
			}
		}()
	}
	wg.Wait()
	shutdown(t, p)
	var want int64
	for g := range 8 {
		for i := range 200 {
			want += int64(g*1000 + i)
		}
	}
	if sum.Load() != want {
		t.Fatalf("sum of callbacks = %d, want %d", sum.Load(), want)
	}
}
