package executor_test

import (
	"context"
	"testing"

	"github.com/poolscrape/poolscrape/executor"
)

// maxSubmitAllocs is the ceiling of TestSubmitWithContextAllocations: a
// Submit with a WithContext context and a done-callback (the crawler's
// fetch, which a hard stop cancels and whose callback hands the page on)
// took 12 allocations before the first two callbacks were stored in the
// future, the context's unlink stopped costing a callback, and a task handed
// straight to a worker stopped registering a context.AfterFunc (6), and
// before a running task with its own context stopped registering one on
// the pool's context (the pool keeps a set of them: ownContexts); it
// takes 3.
const maxSubmitAllocs = 3

// TestSubmitWithContextAllocations: submitting a task with WithContext,
// adding a done-callback and waiting for its result stays under
// maxSubmitAllocs allocations, callbacks and the task's closure included.
func TestSubmitWithContextAllocations(t *testing.T) {
	p := executor.NewThreadPool(1)
	defer shutdown(t, p)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	task := func(context.Context) (int, error) { return 1, nil }
	called := 0
	cb := func(*executor.Future[int]) { called++ }
	executor.Submit(p, task).Result(ctx) // start the worker
	allocs := testing.AllocsPerRun(200, func() {
		f := executor.Submit(p, task, executor.WithContext(ctx))
		f.AddDoneCallback(cb)
		if _, err := f.Result(ctx); err != nil {
			t.Fatal(err)
		}
		<-f.Done()
	})
	if allocs > maxSubmitAllocs {
		t.Errorf("Submit with WithContext and a callback: %.1f allocations, want at most %d", allocs, maxSubmitAllocs)
	}
	t.Logf("%.1f allocations", allocs)
}
