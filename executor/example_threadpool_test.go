package executor_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/poolscrape/poolscrape/executor"
)

func ExampleSubmit() {
	p := executor.NewThreadPool(4)
	defer p.Shutdown(context.Background())

	f := executor.Submit(p, func(ctx context.Context) (string, error) {
		return strings.ToUpper("hello"), nil
	})
	v, err := f.Result(context.Background())
	fmt.Println(v, err)
	// Output: HELLO <nil>
}

func ExampleFuture_AddDoneCallback() {
	p := executor.NewThreadPool(2)

	lengths := make(chan int, 1)
	f := executor.Submit(p, func(ctx context.Context) (string, error) {
		return "fetched page", nil
	})
	// The callback runs in the worker that finishes the task, or at once if
	// the task is already done. It must not block.
	f.AddDoneCallback(func(f *executor.Future[string]) {
		page, err := f.Result(context.Background())
		if err == nil {
			lengths <- len(page)
		}
	})
	p.Shutdown(context.Background())
	fmt.Println(<-lengths)
	// Output: 12
}

func ExampleAsCompleted() {
	p := executor.NewThreadPool(4)
	defer p.Shutdown(context.Background())

	var futures []*executor.Future[int]
	for _, n := range []int{3, 1, 2} {
		futures = append(futures, executor.Submit(p, func(ctx context.Context) (int, error) {
			return n * 10, nil
		}))
	}
	var got []int
	for f := range executor.AsCompleted(context.Background(), futures) {
		v, _ := f.Result(context.Background())
		got = append(got, v)
	}
	slices.Sort(got) // completion order varies from run to run
	fmt.Println(got)
	// Output: [10 20 30]
}

func ExampleMap() {
	p := executor.NewThreadPool(4)
	defer p.Shutdown(context.Background())

	words := slices.Values([]string{"go", "map", "lazily"})
	length := executor.Func(func(ctx context.Context, s string) (int, error) {
		return len(s), nil
	})
	// Results come in input order; at most Window tasks are in flight.
	for n, err := range executor.Map(context.Background(), p, length, words, executor.Window(2)) {
		fmt.Println(n, err)
	}
	// Output:
	// 2 <nil>
	// 3 <nil>
	// 6 <nil>
}

func ExampleWait() {
	p := executor.NewThreadPool(2)
	defer p.Shutdown(context.Background())

	futures := []*executor.Future[int]{
		executor.Submit(p, func(ctx context.Context) (int, error) { return 1, nil }),
		executor.Submit(p, func(ctx context.Context) (int, error) { return 2, nil }),
	}
	done, notDone, err := executor.Wait(context.Background(), futures, executor.AllCompleted)
	fmt.Println(len(done), len(notDone), err)
	// Output: 2 0 <nil>
}

// The queue options are both a ThreadOption and a ProcessOption; the other
// pool options are ProcessOptions, which NewThreadPool does not take.
func ExampleWithQueueSize() {
	p := executor.NewThreadPool(1, executor.WithQueueSize(1), executor.WithNonBlocking())
	defer p.Shutdown(context.Background())

	gate := make(chan struct{})
	block := func(ctx context.Context) (int, error) { <-gate; return 0, nil }
	executor.Submit(p, block)           // runs
	queued := executor.Submit(p, block) // waits in the queue
	full := executor.Submit(p, block)   // finds no room
	fmt.Println(errors.Is(full.Err(), executor.ErrQueueFull))
	fmt.Println(queued.Cancel(), queued.Canceled())
	close(gate)
	s := p.Stats()
	fmt.Println("rejected", s.Rejected, "canceled", s.Canceled)
	// Output:
	// true
	// true true
	// rejected 1 canceled 1
}
