//go:build unix && !aix

package executor_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"sync/atomic"
	"testing"

	"github.com/poolscrape/poolscrape/executor"
)

// taskHoldFile writes a byte to the file it was passed, then holds the file
// until its context ends.
var taskHoldFile = executor.Register("pp.holdfile", func(ctx context.Context, _ int) (int, error) {
	files := executor.Files(ctx)
	if len(files) != 1 {
		return 0, fmt.Errorf("got %d files, want 1", len(files))
	}
	if _, err := files[0].Write([]byte{1}); err != nil {
		return 0, err
	}
	<-ctx.Done()
	return 1, nil
})

// A worker out of descriptors fails only the calls whose files it could not
// receive, with ErrFiles, and goes on serving: it is not replaced, and once
// it has room again files reach it.
func TestWorkerOutOfDescriptors(t *testing.T) {
	const limit, calls = 32, 64
	t.Setenv(envWorkerFileLimit, fmt.Sprint(limit))
	p := newPool(t, 1, executor.WithInFlight(calls))
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	var wrote atomic.Int64 // bytes the holding tasks wrote
	reading := make(chan struct{})
	go func() {
		defer close(reading)
		b := make([]byte, calls)
		for {
			n, err := r.Read(b)
			wrote.Add(int64(n))
			if err != nil {
				return
			}
		}
	}()
	defer func() { r.Close(); <-reading }()
	ctx, release := context.WithCancel(context.Background())
	defer release()
	futures := make([]*executor.Future[int], calls)
	for i := range futures {
		futures[i] = executor.Call(p, taskHoldFile, i, executor.WithFiles(w), executor.WithContext(ctx))
	}
	// Each call either holds its file in the worker (and wrote a byte to
	// it) or failed.
	failed := 0
	waitFor(t, "every call to hold its file or fail", func() bool {
		failed = 0
		for _, f := range futures {
			if f.Err() != executor.ErrNotDone {
				failed++
			}
		}
		return int64(failed)+wrote.Load() == calls
	})
	if failed == 0 {
		t.Fatalf("all %d calls got their file: the worker's limit of %d descriptors was never reached", calls, limit)
	}
	for _, f := range futures {
		if err := f.Err(); err != executor.ErrNotDone && !errors.Is(err, executor.ErrFiles) {
			t.Fatalf("call failed with %v, want ErrFiles", err)
		}
	}
	release()
	for _, f := range futures {
		<-f.Done()
	}
	held := wrote.Load()
	again, stop := context.WithCancel(context.Background())
	defer stop()
	f := executor.Call(p, taskHoldFile, 0, executor.WithFiles(w), executor.WithContext(again))
	waitFor(t, "a file to reach the worker after the others let go of theirs", func() bool { return wrote.Load() > held })
	stop()
	<-f.Done()
	if st := p.Stats(); st.WorkerRestarts != 0 || st.WorkersAlive != 1 {
		t.Errorf("stats %+v: want no restarts and the one worker alive", st)
	}
	t.Logf("%d of %d calls could not pass their file", failed, calls)
}
