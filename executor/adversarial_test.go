package executor_test

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/poolscrape/poolscrape/executor"
)

// Tests that try to break the executor the way a careless or unlucky user
// would: racing Shutdown, Cancel and completion, re-entrant callbacks, odd
// arguments to Wait, AsCompleted and Map, nil functions and pools.

// hammerShutdown submits from many goroutines while Shutdown runs, and
// checks that every future settles, with a result or ErrShutdown, and that
// the pool's counters add up.
func hammerShutdown(t *testing.T, p executor.Executor, submit func(i int) *executor.Future[int]) {
	const goroutines, each = 16, 50
	var wg sync.WaitGroup
	futures := make([]*executor.Future[int], goroutines*each)
	start := make(chan struct{})
	for g := range goroutines {
		wg.Go(func() {
			<-start
			for i := range each {
				futures[g*each+i] = submit(g*each + i)
			}
		})
	}
	close(start)
	time.Sleep(time.Millisecond)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if err := p.Shutdown(ctx); err != nil {
		t.Fatalf("Shutdown: %v", err)
	}
	wg.Wait()
	var ok, shut uint64
	for i, f := range futures {
		v, err := f.Result(ctx)
		switch {
		case err == nil && v == i:
			ok++
		case errors.Is(err, executor.ErrShutdown):
			shut++
		default:
			t.Fatalf("future %d: %d, %v; want %d or ErrShutdown", i, v, err, i)
		}
	}
	s := p.Stats()
	if s.Submitted != ok || s.Succeeded != ok || s.Rejected != shut || s.Queued != 0 || s.Running != 0 {
		t.Errorf("stats %+v; want %d submitted and succeeded, %d rejected", s, ok, shut)
	}
}

func TestShutdownRacesSubmit(t *testing.T) {
	p := executor.NewThreadPool(4)
	hammerShutdown(t, p, func(i int) *executor.Future[int] {
		return executor.Submit(p, func(context.Context) (int, error) { return i, nil })
	})
	if f := executor.Submit(p, func(context.Context) (int, error) { return 1, nil }); !errors.Is(f.Err(), executor.ErrShutdown) {
		t.Errorf("Submit after Shutdown: %v, want ErrShutdown", f.Err())
	}
}

func TestShutdownRacesCall(t *testing.T) {
	p, err := executor.NewProcessPool(2, executor.WithInFlight(4))
	if err != nil {
		t.Fatal(err)
	}
	hammerShutdown(t, p, func(i int) *executor.Future[int] { return executor.Call(p, taskIdentity, i) })
	if kids := children(); len(kids) > 0 {
		t.Errorf("after Shutdown, child processes remain: %v", kids)
	}
	if f := executor.Call(p, taskIdentity, 1); !errors.Is(f.Err(), executor.ErrShutdown) {
		t.Errorf("Call after Shutdown: %v, want ErrShutdown", f.Err())
	}
}

var taskIdentity = executor.Register("adv.identity", func(_ context.Context, n int) (int, error) { return n, nil })

// A Cancel that reports true means the task never ran, however it races
// with the pool starting and finishing it.
func TestCancelRacesCompletion(t *testing.T) {
	p := executor.NewThreadPool(2)
	defer shutdown(t, p)
	const n = 2000
	ran := make([]atomic.Bool, n)
	futures := make([]*executor.Future[int], n)
	canceled := make([]bool, n)
	var wg sync.WaitGroup
	for i := range n {
		futures[i] = executor.Submit(p, func(context.Context) (int, error) {
			ran[i].Store(true)
			return i, nil
		})
		wg.Go(func() { canceled[i] = futures[i].Cancel() })
	}
	wg.Wait()
	for i, f := range futures {
		v, err := f.Result(context.Background())
		switch {
		case canceled[i]:
			if err != context.Canceled || !f.Canceled() || ran[i].Load() {
				t.Fatalf("future %d: Cancel true but Result %d, %v, ran %v", i, v, err, ran[i].Load())
			}
		case err != nil || v != i || !ran[i].Load():
			t.Fatalf("future %d: Cancel false but Result %d, %v, ran %v", i, v, err, ran[i].Load())
		}
	}
	shutdown(t, p)
	if s := p.Stats(); s.Submitted != n || s.Succeeded+s.Canceled != n || s.Running != 0 || s.Queued != 0 {
		t.Errorf("stats %+v: want %d submitted, each counted once as succeeded or canceled", s, n)
	}
}

// Callbacks may use the future they are given, and others, freely: Result,
// Err, Cancel and AddDoneCallback (which runs at once) from inside a
// callback neither deadlock nor run anything twice.
func TestReentrantCallbacks(t *testing.T) {
	p := executor.NewThreadPool(2)
	defer shutdown(t, p)
	gate := make(chan struct{})
	f := executor.Submit(p, func(context.Context) (int, error) { <-gate; return 7, nil })
	var order []string
	var mu sync.Mutex
	note := func(s string) { mu.Lock(); order = append(order, s); mu.Unlock() }
	f.AddDoneCallback(func(f *executor.Future[int]) {
		v, err := f.Result(context.Background())
		note(fmt.Sprintf("first %d %v", v, err))
		if f.Cancel() {
			note("canceled a finished future")
		}
		f.AddDoneCallback(func(f *executor.Future[int]) { note("nested at once") })
		note("first end")
	})
	last := make(chan struct{})
	f.AddDoneCallback(func(f *executor.Future[int]) { note(fmt.Sprintf("second %v", f.Err())); close(last) })
	close(gate)
	<-last // Result returns once the future is done, before its callbacks have run
	f.AddDoneCallback(func(*executor.Future[int]) { note("after") })
	want := "first 7 <nil>|nested at once|first end|second <nil>|after"
	mu.Lock()
	got := strings.Join(order, "|")
	mu.Unlock()
	if got != want {
		t.Errorf("callbacks ran as %q, want %q", got, want)
	}
}

// A future given twice to Wait or AsCompleted counts once: Wait does not
// wait for a second completion that never comes, AsCompleted yields it
// once. A nil slice is fine; a nil future is an error, not a panic.
func TestWaitDuplicatesAndNil(t *testing.T) {
	p := executor.NewThreadPool(2)
	defer shutdown(t, p)
	a := executor.Submit(p, func(context.Context) (int, error) { time.Sleep(5 * time.Millisecond); return 1, nil })
	b := executor.Submit(p, func(context.Context) (int, error) { return 2, nil })
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	done, notDone, err := executor.Wait(ctx, []*executor.Future[int]{a, a, b}, executor.AllCompleted)
	if err != nil || len(done) != 3 || len(notDone) != 0 {
		t.Errorf("Wait with a duplicate: %d done, %d not, %v", len(done), len(notDone), err)
	}
	n := 0
	for range executor.AsCompleted(ctx, []*executor.Future[int]{b, a, nil, a, b}) {
		n++
	}
	if n != 2 {
		t.Errorf("AsCompleted over two futures given twice and a nil yielded %d, want 2", n)
	}
	if done, notDone, err := executor.Wait[int](ctx, nil, executor.AllCompleted); err != nil || done != nil || notDone != nil {
		t.Errorf("Wait(nil) = %v, %v, %v", done, notDone, err)
	}
	if _, _, err := executor.Wait(ctx, []*executor.Future[int]{a, nil}, executor.AllCompleted); err == nil || !strings.Contains(err.Error(), "futures[1] is nil") {
		t.Errorf("Wait with a nil future: %v, want an error naming futures[1]", err)
	}
}

// Map with a window larger than its input runs it all and stops.
func TestMapWindowLargerThanInput(t *testing.T) {
	p := executor.NewThreadPool(2)
	defer shutdown(t, p)
	sq := executor.Func(func(_ context.Context, n int) (int, error) { return n * n, nil })
	var got []int
	for v, err := range executor.Map(context.Background(), p, sq, counting(5, new(atomic.Int64)), executor.Window(100)) {
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, v)
	}
	if fmt.Sprint(got) != "[0 1 4 9 16]" {
		t.Errorf("Map = %v", got)
	}
}

// A panic in Map's input reaches the caller's loop; the tasks in flight are
// canceled and no goroutine is left behind (TestMain's goleak checks).
func TestMapInputPanics(t *testing.T) {
	p := executor.NewThreadPool(2)
	defer shutdown(t, p)
	var started atomic.Int64
	slow := executor.Func(func(ctx context.Context, n int) (int, error) {
		started.Add(1)
		<-ctx.Done()
		return 0, ctx.Err()
	})
	in := func(yield func(int) bool) {
		for i := range 3 {
			if !yield(i) {
				return
			}
		}
		panic("input broke")
	}
	got := func() (r any) {
		defer func() { r = recover() }()
		for range executor.Map(context.Background(), p, slow, in, executor.Window(8)) {
			t.Error("Map yielded before its input panicked")
		}
		return nil
	}()
	if fmt.Sprint(got) != "input broke" {
		t.Fatalf("recovered %v, want the input's panic", got)
	}
}

var taskMaybeNil = executor.Register("adv.maybenil", func(_ context.Context, p *addArg) (*addResult, error) {
	if p == nil {
		return nil, nil
	}
	return &addResult{Sum: p.A + p.B}, nil
})

var taskNilAny = executor.Register("adv.nilany", func(_ context.Context, n int) (any, error) { return nil, nil })

// A nil pointer crosses to a worker and back as nil: gob alone would panic
// on it.
func TestProcessPoolNilPointers(t *testing.T) {
	p := newPool(t, 1)
	if v, err := result(t, executor.Call(p, taskMaybeNil, nil)); v != nil || err != nil {
		t.Errorf("nil argument: %v, %v; want nil, nil", v, err)
	}
	if v, err := result(t, executor.Call(p, taskMaybeNil, &addArg{A: 1, B: 2})); err != nil || v == nil || v.Sum != 3 {
		t.Errorf("non-nil argument: %+v, %v; want Sum 3", v, err)
	}
	if v, err := result(t, executor.Call(p, taskNilAny, 0)); v != nil || err != nil {
		t.Errorf("nil any result: %v, %v; want nil, nil", v, err)
	}
}

// Nil functions and nil pools fail the future with a clear error.
func TestNilFuncAndPool(t *testing.T) {
	p := executor.NewThreadPool(1)
	defer shutdown(t, p)
	if err := executor.Submit[int](p, nil).Err(); err == nil || !strings.Contains(err.Error(), "nil function") {
		t.Errorf("Submit(nil fn): %v", err)
	}
	var np *executor.ThreadPool
	if err := executor.Submit(np, func(context.Context) (int, error) { return 1, nil }).Err(); err == nil || !strings.Contains(err.Error(), "nil *ThreadPool") {
		t.Errorf("Submit on nil pool: %v", err)
	}
	if err := executor.Call(np, taskIdentity, 1).Err(); err == nil || !strings.Contains(err.Error(), "nil Executor") {
		t.Errorf("Call on nil *ThreadPool: %v", err)
	}
	var npp *executor.ProcessPool
	if err := executor.Call(npp, taskIdentity, 1).Err(); err == nil {
		t.Errorf("Call on nil *ProcessPool: no error")
	}
	for _, ex := range []executor.Executor{nil, np, npp} {
		n := 0
		for _, err := range executor.Map(context.Background(), ex, taskIdentity, counting(3, new(atomic.Int64))) {
			n++
			if err == nil || !strings.Contains(err.Error(), "nil Executor") {
				t.Errorf("Map on %T(nil): %v", ex, err)
			}
		}
		if n != 1 {
			t.Errorf("Map on %T(nil) yielded %d times, want once", ex, n)
		}
	}
}

// Map over an endless input stops, after one ErrShutdown, once its pool has
// shut down: it does not yield an error per input value forever.
func TestMapStopsAtShutdown(t *testing.T) {
	p := executor.NewThreadPool(2)
	id := executor.Func(func(_ context.Context, n int) (int, error) { return n, nil })
	endless := func(yield func(int) bool) {
		for i := 0; yield(i); i++ {
		}
	}
	var shut, ok int
	for v, err := range executor.Map(context.Background(), p, id, endless) {
		switch {
		case err == nil && v == ok:
			ok++
			if ok == 10 {
				shutdown(t, p)
			}
		case errors.Is(err, executor.ErrShutdown):
			shut++
		default:
			t.Fatalf("Map yielded %d, %v after %d results", v, err, ok)
		}
		if shut > 1 {
			t.Fatal("Map yielded ErrShutdown twice")
		}
	}
	if ok < 10 || shut != 1 {
		t.Errorf("Map yielded %d results and %d ErrShutdown, want at least 10 and 1", ok, shut)
	}
}

// Init outside a worker process returns at once, however often it is
// called; NewProcessPool with no or a negative worker count starts one per
// CPU.
func TestInitTwiceAndDefaultWorkers(t *testing.T) {
	executor.Init()
	executor.Init()
	for _, n := range []int{0, -3} {
		t.Run(fmt.Sprint(n), func(t *testing.T) {
			p := newPool(t, n)
			if p.Workers() != runtime.NumCPU() || p.Stats().WorkersAlive != runtime.NumCPU() {
				t.Errorf("NewProcessPool(%d): %d workers, %d alive; want %d", n, p.Workers(), p.Stats().WorkersAlive, runtime.NumCPU())
			}
			if got := mustResult(t, executor.Call(p, taskIdentity, 5)); got != 5 {
				t.Errorf("NewProcessPool(%d): Call = %d", n, got)
			}
		})
	}
}

// Futures already done when Wait or AsCompleted is called count as done even
// if ctx has ended too.
func TestWaitDoneBeatsEndedContext(t *testing.T) {
	p := executor.NewThreadPool(2)
	defer shutdown(t, p)
	var futures []*executor.Future[int]
	for i := range 20 {
		futures = append(futures, executor.Submit(p, func(context.Context) (int, error) { return i, nil }))
	}
	waitAll(t, futures)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	for range 20 {
		done, notDone, err := executor.Wait(ctx, futures, executor.AllCompleted)
		if err != nil || len(done) != 20 || len(notDone) != 0 {
			t.Fatalf("Wait on done futures with an ended ctx: %d done, %d not, %v", len(done), len(notDone), err)
		}
		n := 0
		for range executor.AsCompleted(ctx, futures) {
			n++
		}
		if n != 20 {
			t.Fatalf("AsCompleted on done futures with an ended ctx yielded %d of 20", n)
		}
	}
}

// Cancel racing with a ProcessPool's dispatch and completion: a Cancel that
// reports true means the call never ran; afterwards every accepted call is
// counted once, as succeeded, failed or canceled.
func TestProcessPoolCancelRacesCompletion(t *testing.T) {
	p, err := executor.NewProcessPool(2, executor.WithInFlight(2))
	if err != nil {
		t.Fatal(err)
	}
	const n = 400
	futures := make([]*executor.Future[int], n)
	canceled := make([]bool, n)
	var wg sync.WaitGroup
	for i := range n {
		futures[i] = executor.Call(p, taskIdentity, i)
		wg.Go(func() { canceled[i] = futures[i].Cancel() })
	}
	wg.Wait()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if err := p.Shutdown(ctx); err != nil {
		t.Fatal(err)
	}
	var nCanceled uint64
	for i, f := range futures {
		v, err := f.Result(ctx)
		switch {
		case canceled[i]:
			nCanceled++
			if err != context.Canceled || !f.Canceled() {
				t.Fatalf("call %d: Cancel true but Result %d, %v", i, v, err)
			}
		case err != nil && !errors.Is(err, context.Canceled), err == nil && v != i:
			t.Fatalf("call %d: Result %d, %v", i, v, err)
		}
	}
	s := p.Stats()
	if s.Submitted != n || s.Canceled != nCanceled || s.Succeeded+s.Failed+s.Canceled != n || s.Running != 0 || s.Queued != 0 {
		t.Errorf("stats %+v: want %d submitted, %d canceled, all counted once", s, n, nCanceled)
	}
}

// Shutdown of an idle ThreadPool succeeds even with a ctx that has ended:
// there is nothing to wait for.
func TestShutdownIdleWithEndedContext(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	for range 50 {
		p := executor.NewThreadPool(2)
		mustResult(t, executor.Submit(p, func(context.Context) (int, error) { return 1, nil }))
		waitFor(t, "the worker goroutine to exit", func() bool { return p.Stats().WorkersAlive == 0 })
		if err := p.Shutdown(ctx); err != nil {
			t.Fatalf("Shutdown of an idle pool with an ended ctx: %v", err)
		}
	}
}
