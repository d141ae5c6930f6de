package executor_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/poolscrape/poolscrape/executor"
)

// wordCount is a task that worker processes run. Tasks are registered at
// package level, so that the workers, which run this same program, have
// them too.
var wordCount = executor.Register("example.wordcount", func(_ context.Context, text string) (int, error) {
	return len(strings.Fields(text)), nil
})

// A program that uses a ProcessPool calls executor.Init first thing in main
// (this test binary does it in TestMain); a worker that does not start
// serving within WithStartTimeout fails NewProcessPool with ErrWorkerStart.
func ExampleNewProcessPool() {
	pool, err := executor.NewProcessPool(2, executor.WithInFlight(4), executor.WithStartTimeout(time.Minute))
	if err != nil {
		fmt.Println(err)
		return
	}
	defer pool.Shutdown(context.Background())

	var futures []*executor.Future[int]
	for _, text := range []string{"one", "two words", "and now three"} {
		futures = append(futures, executor.Call(pool, wordCount, text))
	}
	for _, f := range futures {
		n, err := f.Result(context.Background())
		fmt.Println(n, err)
	}
	// Output:
	// 1 <nil>
	// 2 <nil>
	// 3 <nil>
}

var crash = executor.Register("example.crash", func(context.Context, int) (int, error) {
	os.Exit(3)
	return 0, nil
})

// A worker that dies fails only the futures it was running, saying how it
// died; it is replaced and the pool goes on.
func ExampleWorkerExitError() {
	pool, err := executor.NewProcessPool(1)
	if err != nil {
		fmt.Println(err)
		return
	}
	defer pool.Shutdown(context.Background())

	_, err = executor.Call(pool, crash, 0).Result(context.Background())
	var we *executor.WorkerExitError
	fmt.Println(errors.Is(err, executor.ErrWorkerDied), errors.As(err, &we) && we.ExitCode == 3)

	n, err := executor.Call(pool, wordCount, "still serving").Result(context.Background())
	fmt.Println(n, err)
	// Output:
	// true true
	// 2 <nil>
}

var readFile = executor.Register("example.readfile", func(ctx context.Context, prefix string) (string, error) {
	files := executor.Files(ctx)
	if len(files) != 1 {
		return "", fmt.Errorf("want 1 file, got %d", len(files))
	}
	data, err := io.ReadAll(files[0])
	return prefix + string(data), err
})

// Open files reach a task in a worker process with WithFiles; the task finds
// them with Files.
func ExampleWithFiles() {
	pool, err := executor.NewProcessPool(1)
	if err != nil {
		fmt.Println(err)
		return
	}
	defer pool.Shutdown(context.Background())

	r, w, err := os.Pipe()
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Fprint(w, "hello, worker")
	w.Close()
	f := executor.Call(pool, readFile, "read: ", executor.WithFiles(r), executor.WithTimeout(time.Minute))
	r.Close() // the worker has its own copy
	fmt.Println(f.Result(context.Background()))
	// Output: read: hello, worker <nil>
}
