package executor_test

import (
	"context"
	"runtime"
	"testing"
	"time"

	"github.com/alitto/pond/v2"
	"github.com/poolscrape/poolscrape/executor"
)

// BenchmarkThreadPoolVsPond submits benchBatch trivial tasks returning an
// int and collects every result, once through a ThreadPool's futures
// (Submit + Result) and once through a pond v2 result pool's futures
// (Submit + Wait), both with runtime.NumCPU() workers, alternating in the
// same run. It reports both rates and the ratio ThreadPool/pond (above 1:
// the ThreadPool is faster).
func BenchmarkThreadPoolVsPond(b *testing.B) {
	b.ReportAllocs()
	workers := runtime.NumCPU()
	ours := executor.NewThreadPool(workers)
	theirs := pond.NewResultPool[int](workers)
	b.Cleanup(func() {
		theirs.StopAndWait()
		if err := ours.Shutdown(context.Background()); err != nil {
			b.Error(err)
		}
	})
	var oursTime, pondTime time.Duration
	for b.Loop() {
		oursTime += timeIt(func() { threadPoolFutures(b, ours) })
		pondTime += timeIt(func() { pondFutures(b, theirs) })
	}
	n := float64(b.N * benchBatch)
	b.ReportMetric(n/oursTime.Seconds(), "threadpool-tasks/s")
	b.ReportMetric(n/pondTime.Seconds(), "pond-tasks/s")
	b.ReportMetric(pondTime.Seconds()/oursTime.Seconds(), "ratio")
}

func threadPoolFutures(b *testing.B, p *executor.ThreadPool) {
	futures := make([]*executor.Future[int], benchBatch)
	for i := range futures {
		futures[i] = executor.Submit(p, func(context.Context) (int, error) { return i, nil })
	}
	ctx := context.Background()
	for i, f := range futures {
		if v, err := f.Result(ctx); err != nil || v != i {
			b.Fatalf("task %d: %d, %v", i, v, err)
		}
	}
}

func pondFutures(b *testing.B, p pond.ResultPool[int]) {
	futures := make([]pond.ResultTask[int], benchBatch)
	for i := range futures {
		futures[i] = p.Submit(func() int { return i })
	}
	for i, f := range futures {
		if v, err := f.Wait(); err != nil || v != i {
			b.Fatalf("task %d: %d, %v", i, v, err)
		}
	}
}
