package executor

import (
	"context"
	"runtime"
	"strings"
	"testing"
)

// TestTaskContextAfterFuncNoGoroutine: context.AfterFunc on a running task's
// context starts no goroutine to wait for it (a served connection would pay
// one each), runs its function when the context ends, and its stop works.
func TestTaskContextAfterFuncNoGoroutine(t *testing.T) {
	p := NewThreadPool(1)
	defer p.Shutdown(context.Background())
	parent, cancel := context.WithCancel(context.Background())
	defer cancel()
	registered, fired := make(chan struct{}), make(chan struct{})
	var waiters int
	var stopped bool
	f := Submit(p, func(ctx context.Context) (struct{}, error) {
		stopped = context.AfterFunc(ctx, func() { t.Error("a stopped AfterFunc ran") })()
		context.AfterFunc(ctx, func() { close(fired) })
		waiters = goroutinesIn("context.(*cancelCtx).propagateCancel")
		close(registered)
		<-ctx.Done()
		return struct{}{}, nil
	}, WithContext(parent))
	<-registered
	cancel()
	<-fired
	if _, err := f.Result(context.Background()); err != nil {
		t.Fatal(err)
	}
	if waiters != 0 {
		t.Errorf("context.AfterFunc on a task's context started %d goroutines waiting for it, want 0", waiters)
	}
	if !stopped {
		t.Error("stop of an AfterFunc on a live task context returned false")
	}
}

// goroutinesIn counts the goroutines whose stack holds fn.
func goroutinesIn(fn string) int {
	buf := make([]byte, 1<<20)
	buf = buf[:runtime.Stack(buf, true)]
	n := 0
	for _, g := range strings.Split(string(buf), "\n\n") {
		if strings.Contains(g, fn) {
			n++
		}
	}
	return n
}
