package executor_test

import (
	"context"
	"sync"
	"testing"

	"github.com/poolscrape/poolscrape/executor"
)

// BenchmarkBaselineGoroutineWaitGroup is the baseline for
// BenchmarkThreadPoolSubmitResult: a bare goroutine per task and a WaitGroup.
func BenchmarkBaselineGoroutineWaitGroup(b *testing.B) {
	results := make([]int, b.N)
	var wg sync.WaitGroup
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			results[i] = i
		}(i)
	}
	wg.Wait()
}

// BenchmarkThreadPoolSubmitResult submits b.N trivial tasks and then reads
// every result.
func BenchmarkThreadPoolSubmitResult(b *testing.B) {
	p := executor.NewThreadPool(0)
	defer p.Shutdown(context.Background())
	futures := make([]*executor.Future[int], b.N)
	ctx := context.Background()
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		futures[i] = executor.Submit(p, func(context.Context) (int, error) { return i, nil })
	}
	for _, f := range futures {
		if _, err := f.Result(ctx); err != nil {
			b.Fatal(err)
		}
	}
}
