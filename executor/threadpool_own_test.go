package executor_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/poolscrape/poolscrape/executor"
)

// TestShutdownContextEndsTaskWithOwnContext: a Shutdown whose ctx ends
// first ends the context of a running task that has a WithContext context
// of its own (which does not end), as it does a task without one.
func TestShutdownContextEndsTaskWithOwnContext(t *testing.T) {
	p := executor.NewThreadPool(1)
	own, cancelOwn := context.WithCancel(context.Background())
	defer cancelOwn()
	started, release := make(chan struct{}), make(chan struct{})
	running := executor.Submit(p, func(ctx context.Context) (int, error) {
		close(started)
		select {
		case <-ctx.Done():
			return 0, ctx.Err()
		case <-release:
			return 1, nil
		}
	}, executor.WithContext(own))
	<-started
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	if err := p.Shutdown(ctx); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("Shutdown = %v, want DeadlineExceeded", err)
	}
	wait, stop := context.WithTimeout(context.Background(), 10*time.Second)
	defer stop()
	res, err := running.Result(wait) // bounded: a task left running never returns
	close(release)
	if !errors.Is(err, context.Canceled) {
		t.Errorf("running task with its own context: %d, %v; want its context canceled", res, err)
	}
	shutdown(t, p)
}
