package executor_test

import (
	"bytes"
	"context"
	"runtime"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/poolscrape/poolscrape/executor"
	"go.uber.org/goleak"
)

// goroutineID returns the id of the calling goroutine. Ids are never reused.
func goroutineID(t *testing.T) uint64 {
	buf := make([]byte, 64)
	buf = buf[:runtime.Stack(buf, false)]
	buf, ok := bytes.CutPrefix(buf, []byte("goroutine "))
	if i := bytes.IndexByte(buf, ' '); ok && i > 0 {
		if id, err := strconv.ParseUint(string(buf[:i]), 10, 64); err == nil {
			return id
		}
	}
	t.Errorf("no goroutine id in %q", buf)
	return 0
}

// idTask returns a task that reports the id of the goroutine it runs on.
func idTask(t *testing.T) func(context.Context) (uint64, error) {
	return func(context.Context) (uint64, error) { return goroutineID(t), nil }
}

// TestThreadPoolReusesParkedWorker runs tasks one after another, each
// submitted once the one before it has finished: they all run on the first
// task's goroutine, parked between them, instead of each on a new one.
func TestThreadPoolReusesParkedWorker(t *testing.T) {
	p := executor.NewThreadPool(1)
	executor.SetIdleTimeout(p, time.Hour)
	defer shutdown(t, p)
	ids := map[uint64]int{}
	for range 100 {
		id, err := executor.Submit(p, idTask(t)).Result(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		ids[id]++
	}
	if len(ids) != 1 {
		t.Errorf("100 tasks in turn ran on %d goroutines, want 1: %v", len(ids), ids)
	}
	if s := p.Stats(); s.WorkersAlive != 1 || s.Running != 0 {
		t.Errorf("idle pool with a parked worker: %+v, want WorkersAlive 1, Running 0", s)
	}
}

// burst runs n tasks at once on p, each blocked until all n have started,
// and returns the ids of the goroutines they ran on.
func burst(t *testing.T, p *executor.ThreadPool, n int) map[uint64]bool {
	t.Helper()
	var started sync.WaitGroup
	started.Add(n)
	all := make(chan struct{})
	futures := make([]*executor.Future[uint64], n)
	for i := range futures {
		futures[i] = executor.Submit(p, func(context.Context) (uint64, error) {
			id := goroutineID(t)
			started.Done()
			<-all
			return id, nil
		})
	}
	started.Wait()
	close(all)
	ids := map[uint64]bool{}
	for _, f := range futures {
		id, err := f.Result(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		ids[id] = true
	}
	if len(ids) != n {
		t.Fatalf("%d tasks running at once on %d goroutines", n, len(ids))
	}
	return ids
}

// TestThreadPoolBurstReusesWorkers runs a burst of tasks that fills every
// worker, and then another: the second burst runs on the goroutines of the
// first.
func TestThreadPoolBurstReusesWorkers(t *testing.T) {
	const workers = 4
	p := executor.NewThreadPool(workers)
	executor.SetIdleTimeout(p, time.Hour)
	defer shutdown(t, p)
	first := burst(t, p, workers)
	if got := p.Stats().WorkersAlive; got != workers {
		t.Errorf("WorkersAlive after a burst = %d, want %d (parked)", got, workers)
	}
	for id := range burst(t, p, workers) {
		if !first[id] {
			t.Errorf("a task of the second burst ran on a new goroutine %d, not on one of %v", id, first)
		}
	}
}

// TestThreadPoolShutdownEndsParkedWorkers shuts down a pool whose workers
// are parked for an hour: Shutdown makes them exit at once instead of
// waiting for them to time out, and returns with its goroutines gone.
func TestThreadPoolShutdownEndsParkedWorkers(t *testing.T) {
	opt := goleak.IgnoreCurrent()
	p := executor.NewThreadPool(4)
	executor.SetIdleTimeout(p, time.Hour)
	burst(t, p, 4)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if err := p.Shutdown(ctx); err != nil {
		t.Fatalf("Shutdown of a pool with only parked workers: %v", err)
	}
	if s := p.Stats(); s.WorkersAlive != 0 {
		t.Errorf("after Shutdown: %+v", s)
	}
	goleak.VerifyNone(t, opt)
}

// TestThreadPoolParkedWorkersTimeOut leaves a pool unshut after a burst:
// its parked workers exit after the idle timeout.
func TestThreadPoolParkedWorkersTimeOut(t *testing.T) {
	opt := goleak.IgnoreCurrent()
	p := executor.NewThreadPool(4)
	executor.SetIdleTimeout(p, 10*time.Millisecond)
	defer shutdown(t, p)
	burst(t, p, 4)
	deadline := time.Now().Add(10 * time.Second)
	for p.Stats().WorkersAlive != 0 {
		if time.Now().After(deadline) {
			t.Fatalf("parked workers still alive 10 s after a 10 ms idle timeout: %+v", p.Stats())
		}
		time.Sleep(time.Millisecond)
	}
	goleak.VerifyNone(t, opt)
	// The pool still works: a new worker starts.
	if _, err := executor.Submit(p, idTask(t)).Result(context.Background()); err != nil {
		t.Fatal(err)
	}
}

// TestThreadPoolReapRacesSubmit submits from several goroutines to a pool
// whose workers time out as soon as they park, so that workers exit while
// tasks arrive: every task runs.
func TestThreadPoolReapRacesSubmit(t *testing.T) {
	p := executor.NewThreadPool(3, executor.WithQueueSize(4))
	executor.SetIdleTimeout(p, time.Nanosecond)
	var wg sync.WaitGroup
	var mu sync.Mutex
	var futures []*executor.Future[uint64]
	for range 4 {
		wg.Go(func() {
			for i := range 500 {
				f := executor.Submit(p, idTask(t))
				if i%50 == 0 {
					_, _ = f.Result(context.Background()) // let workers park
				}
				mu.Lock()
				futures = append(futures, f)
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	waitAll(t, futures)
	shutdown(t, p)
	if s := p.Stats(); s.Succeeded != 2000 || s.WorkersAlive != 0 || s.Queued != 0 {
		t.Errorf("stats: %+v", s)
	}
}
