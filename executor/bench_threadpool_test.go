package executor_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/poolscrape/poolscrape/executor"
)

// BenchmarkThreadPoolSubmitResult measures Submit plus Result on trivial
// tasks against its baseline in the same run: a bare goroutine per task and
// a WaitGroup. It reports both rates and their ratio (goal: >= 0.5).
func BenchmarkThreadPoolSubmitResult(b *testing.B) {
	b.ReportAllocs()
	var baseline, pool time.Duration
	for b.Loop() {
		baseline += timeIt(goroutinePerTask)
		pool += timeIt(submitResult)
	}
	n := float64(b.N * benchBatch)
	b.ReportMetric(n/baseline.Seconds(), "baseline-tasks/s")
	b.ReportMetric(n/pool.Seconds(), "pool-tasks/s")
	b.ReportMetric(baseline.Seconds()/pool.Seconds(), "ratio")
}

const benchBatch = 10000

func timeIt(fn func()) time.Duration {
	start := time.Now()
	fn()
	return time.Since(start)
}

func goroutinePerTask() {
	results := make([]int, benchBatch)
	var wg sync.WaitGroup
	for i := range benchBatch {
		wg.Add(1)
		go func() {
			defer wg.Done()
			results[i] = i
		}()
	}
	wg.Wait()
}

var benchPool = executor.NewThreadPool(0)

func submitResult() {
	futures := make([]*executor.Future[int], benchBatch)
	for i := range benchBatch {
		futures[i] = executor.Submit(benchPool, func(context.Context) (int, error) { return i, nil })
	}
	ctx := context.Background()
	for _, f := range futures {
		if _, err := f.Result(ctx); err != nil {
			panic(err)
		}
	}
}
