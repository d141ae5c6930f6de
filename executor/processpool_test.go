package executor_test

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/poolscrape/poolscrape/executor"
)

func TestProcessPoolCallStruct(t *testing.T) {
	p := newPool(t, 2)
	got := mustResult(t, executor.Call(p, taskAdd, addArg{A: 2, B: 40, Label: "sum"}))
	if got.Sum != 42 || got.Label != "SUM" {
		t.Fatalf("pp.add = %+v, want Sum 42, Label SUM", got)
	}
	if got.Pid == os.Getpid() || got.Pid == 0 {
		t.Fatalf("task ran in pid %d, want a worker process (we are %d)", got.Pid, os.Getpid())
	}
	if p.Workers() != 2 {
		t.Errorf("Workers() = %d, want 2", p.Workers())
	}
	s := p.Stats()
	if s.Submitted != 1 || s.Succeeded != 1 || s.WorkersAlive != 2 || s.Running != 0 {
		t.Errorf("Stats = %+v, want 1 submitted and succeeded, 2 workers alive", s)
	}
}

func TestProcessPoolManyConcurrentCalls(t *testing.T) {
	p := newPool(t, 2, executor.WithInFlight(4))
	const goroutines, each = 8, 150
	var wg sync.WaitGroup
	errs := make(chan error, goroutines)
	pids := sync.Map{}
	for g := range goroutines {
		wg.Go(func() {
			futures := make([]*executor.Future[addResult], each)
			for i := range each {
				futures[i] = executor.Call(p, taskAdd, addArg{A: g, B: i, Label: fmt.Sprint(i)})
			}
			for i, f := range futures {
				v, err := result(t, f)
				if err != nil || v.Sum != g+i || v.Label != fmt.Sprint(i) {
					errs <- fmt.Errorf("call %d/%d = %+v, %v", g, i, v, err)
					return
				}
				pids.Store(v.Pid, true)
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	n := 0
	pids.Range(func(any, any) bool { n++; return true })
	if n != 2 {
		t.Errorf("calls ran in %d worker processes, want both workers used", n)
	}
	if s := p.Stats(); s.Succeeded != goroutines*each || s.Failed != 0 {
		t.Errorf("Stats = %+v, want %d succeeded", s, goroutines*each)
	}
}

func TestProcessPoolWorkerKilled(t *testing.T) {
	p := newPool(t, 1)
	pid := mustResult(t, executor.Call(p, taskPid, 0))
	f := executor.Call(p, taskSleep, time.Hour)
	waitFor(t, "the sleep to run", f.Running)
	if err := sysKill(pid, syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	_, err := result(t, f)
	var we *executor.WorkerExitError
	if !errors.Is(err, executor.ErrWorkerDied) || !errors.As(err, &we) {
		t.Fatalf("Result = %v, want a *WorkerExitError matching ErrWorkerDied", err)
	}
	if we.Signal != syscall.SIGKILL || we.Pid != pid || we.ExitCode != -1 || !strings.Contains(err.Error(), "SIGKILL") {
		t.Errorf("error %q (%+v) should name SIGKILL and pid %d", err, we, pid)
	}
	next := mustResult(t, executor.Call(p, taskPid, 0))
	if next == pid {
		t.Errorf("call after the kill ran in the dead worker's pid %d", pid)
	}
	if s := p.Stats(); s.WorkerRestarts < 1 || s.Failed != 1 || s.WorkersAlive != 1 {
		t.Errorf("Stats = %+v, want a restart, 1 failed, 1 worker alive", s)
	}
}

func TestProcessPoolTaskCallsExit(t *testing.T) {
	p := newPool(t, 2)
	_, err := result(t, executor.Call(p, taskExit, 3))
	var we *executor.WorkerExitError
	if !errors.As(err, &we) || we.ExitCode != 3 || !strings.Contains(err.Error(), "exit status 3") {
		t.Fatalf("Result = %v, want a WorkerExitError naming exit status 3", err)
	}
	if got := mustResult(t, executor.Call(p, taskAdd, addArg{A: 1, B: 2})); got.Sum != 3 {
		t.Errorf("pool after the exit: pp.add = %+v", got)
	}
}

// A worker whose other calls were running when it died fails those only.
func TestProcessPoolDeathFailsOnlyItsCalls(t *testing.T) {
	p := newPool(t, 2, executor.WithInFlight(2))
	pids := map[int]bool{}
	var sleeps []*executor.Future[int]
	for range 3 {
		sleeps = append(sleeps, executor.Call(p, taskSleep, 300*time.Millisecond))
	}
	_, err := result(t, executor.Call(p, taskExit, 7))
	if !errors.Is(err, executor.ErrWorkerDied) {
		t.Fatalf("exit task: %v", err)
	}
	died, lived := 0, 0
	for _, f := range sleeps {
		pid, err := result(t, f)
		switch {
		case errors.Is(err, executor.ErrWorkerDied):
			died++
		case err == nil:
			lived++
			pids[pid] = true
		default:
			t.Errorf("sleep: %v", err)
		}
	}
	// The exit went to the least-loaded worker, sharing it with one sleep.
	if died != 1 || lived != 2 || len(pids) != 1 {
		t.Errorf("died %d, lived %d in %d workers; want 1 and 2 in 1", died, lived, len(pids))
	}
}

func TestProcessPoolTimeoutKillsHungWorker(t *testing.T) {
	p := newPool(t, 1, executor.WithGracePeriod(200*time.Millisecond))
	pid := mustResult(t, executor.Call(p, taskPid, 0))
	_, err := result(t, executor.Call(p, taskHang, time.Hour, executor.WithTimeout(100*time.Millisecond)))
	if !errors.Is(err, executor.ErrTimeout) || !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("Result = %v, want ErrTimeout", err)
	}
	// The worker is killed after the grace period and replaced.
	waitFor(t, "the hung worker to be killed", func() bool { return !processExists(pid) })
	next := mustResult(t, executor.Call(p, taskPid, 0))
	if next == pid {
		t.Fatalf("the hung worker %d still serves", pid)
	}
	if s := p.Stats(); s.WorkerRestarts != 1 || s.Failed != 1 {
		t.Errorf("Stats = %+v, want 1 restart and 1 failure", s)
	}
}

// Other calls on a worker killed for a timeout fail with ErrWorkerDied,
// naming the reason.
func TestProcessPoolTimeoutKillFailsNeighbours(t *testing.T) {
	p := newPool(t, 1, executor.WithInFlight(2), executor.WithGracePeriod(100*time.Millisecond))
	neighbour := executor.Call(p, taskSleep, time.Hour)
	_, err := result(t, executor.Call(p, taskHang, time.Hour, executor.WithTimeout(50*time.Millisecond)))
	if !errors.Is(err, executor.ErrTimeout) {
		t.Fatalf("hung call: %v, want ErrTimeout", err)
	}
	_, err = result(t, neighbour)
	var we *executor.WorkerExitError
	if !errors.As(err, &we) || !strings.Contains(we.Reason, `"pp.hang" ran past its timeout`) {
		t.Fatalf("neighbour: %v, want a WorkerExitError naming the hung task", err)
	}
}

// A task that honours its context ends at its timeout without a kill.
func TestProcessPoolTimeoutCooperative(t *testing.T) {
	p := newPool(t, 1, executor.WithGracePeriod(time.Minute))
	pid := mustResult(t, executor.Call(p, taskPid, 0))
	_, err := result(t, executor.Call(p, taskSleep, time.Hour, executor.WithTimeout(50*time.Millisecond)))
	if !errors.Is(err, executor.ErrTimeout) {
		t.Fatalf("Result = %v, want ErrTimeout", err)
	}
	if got := mustResult(t, executor.Call(p, taskPid, 0)); got != pid {
		t.Errorf("worker %d replaced by %d; a task that honours cancellation must not cost its worker", pid, got)
	}
}

func TestProcessPoolCancel(t *testing.T) {
	p := newPool(t, 1)
	running := executor.Call(p, taskSleep, time.Hour)
	pending := executor.Call(p, taskAdd, addArg{A: 1})
	waitFor(t, "the sleep to run", running.Running)
	if !pending.Cancel() || !pending.Canceled() {
		t.Fatalf("Cancel on a pending future = false")
	}
	if _, err := result(t, pending); err != context.Canceled {
		t.Errorf("canceled pending Result = %v, want context.Canceled", err)
	}
	if running.Cancel() {
		t.Errorf("Cancel on a running future = true, want false")
	}
	_, err := result(t, running)
	if !errors.Is(err, context.Canceled) {
		t.Errorf("canceled running Result = %v, want context.Canceled", err)
	}
	if s := p.Stats(); s.Canceled != 1 || s.Queued != 0 || s.Running != 0 {
		t.Errorf("Stats = %+v, want 1 canceled, none queued or running", s)
	}
}

func TestProcessPoolWithContext(t *testing.T) {
	p := newPool(t, 1)
	ctx, cancel := context.WithCancel(context.Background())
	running := executor.Call(p, taskSleep, time.Hour, executor.WithContext(ctx))
	queued := executor.Call(p, taskSleep, time.Hour, executor.WithContext(ctx))
	waitFor(t, "the first call to run", running.Running)
	cancel()
	for _, f := range []*executor.Future[int]{running, queued} {
		if _, err := result(t, f); !errors.Is(err, context.Canceled) {
			t.Errorf("Result = %v, want context.Canceled", err)
		}
	}
	if !queued.Canceled() {
		t.Errorf("the queued call was sent, want it canceled before")
	}
}

func TestProcessPoolPanic(t *testing.T) {
	p := newPool(t, 1)
	pid := mustResult(t, executor.Call(p, taskPid, 0))
	_, err := result(t, executor.Call(p, taskPanic, "boom"))
	var pe *executor.PanicError
	if !errors.As(err, &pe) || pe.Value != "boom" || !strings.Contains(string(pe.Stack), "panic") {
		t.Fatalf("Result = %v, want a PanicError with value boom and a stack", err)
	}
	if got := mustResult(t, executor.Call(p, taskPid, 0)); got != pid {
		t.Errorf("a panic cost the worker: pid %d, then %d", pid, got)
	}
}

func TestProcessPoolTaskError(t *testing.T) {
	p := newPool(t, 1)
	_, err := result(t, executor.Call(p, taskFail, "no such page"))
	if err == nil || err.Error() != "no such page" {
		t.Fatalf("Result = %v, want the task's error text", err)
	}
	if s := p.Stats(); s.Failed != 1 {
		t.Errorf("Stats = %+v, want 1 failed", s)
	}
}

func TestProcessPoolBadInput(t *testing.T) {
	p := newPool(t, 1, executor.WithMaxFrame(1024))
	parentOnly := parentOnlyTask()
	cases := []struct {
		name string
		err  error
		want error
		text string
	}{
		{"Func", errOf(executor.Call(p, executor.Func(func(context.Context, int) (int, error) { return 0, nil }), 1)),
			executor.ErrUnknownTask, "Register"},
		{"not registered in worker", errOf(executor.Call(p, parentOnly, 1)), executor.ErrUnknownTask, "pp.parent-only"},
		{"func field", errOf(executor.Call(p, taskFuncArg, funcArg{N: 1, Fn: func() {}})), executor.ErrEncode, "Fn"},
		{"chan argument", errOf(executor.Call(p, taskChanArg, make(chan int))), executor.ErrEncode, "pp.chanarg"},
		{"argument over the frame limit", errOf(executor.Call(p, taskEcho, make([]byte, 2000))), executor.ErrEncode, "frame limit"},
		{"result over the frame limit", errOf(executor.Call(p, taskBytes, 2000)), executor.ErrEncode, "pp.bytes"},
	}
	for _, c := range cases {
		if !errors.Is(c.err, c.want) || !strings.Contains(fmt.Sprint(c.err), c.text) {
			t.Errorf("%s: error %v, want %v naming %q", c.name, c.err, c.want, c.text)
		}
	}
	if got := mustResult(t, executor.Call(p, taskEcho, []byte("still here"))); string(got) != "still here" {
		t.Errorf("pool after bad input: echo = %q", got)
	}
}

// parentOnlyTask is registered only when a test asks for it, in the
// parent: the workers never run tests, so they do not know it.
var parentOnlyTask = sync.OnceValue(func() executor.Task[int, int] {
	return executor.Register("pp.parent-only", func(context.Context, int) (int, error) { return 1, nil })
})

func errOf[T any](f *executor.Future[T]) error {
	_, err := f.Result(context.Background())
	return err
}

// A worker that writes a malformed frame is killed and replaced.
func TestProcessPoolMalformedFrameFromWorker(t *testing.T) {
	stderr := &lockedBuffer{}
	p := newPool(t, 1, executor.WithStderr(stderr))
	pid := mustResult(t, executor.Call(p, taskPid, 0))
	_, err := result(t, executor.Call(p, taskCorrupt, 0))
	var we *executor.WorkerExitError
	if !errors.As(err, &we) || we.Pid != pid || !strings.Contains(we.Reason, "broke the protocol") {
		t.Fatalf("Result = %v, want a WorkerExitError saying the worker broke the protocol", err)
	}
	if got := mustResult(t, executor.Call(p, taskPid, 0)); got == pid {
		t.Errorf("the corrupt worker still serves")
	}
	if !strings.Contains(stderr.String(), "broke the protocol") {
		t.Errorf("stderr %q does not report the broken worker", stderr.String())
	}
}

func TestProcessPoolQueueFull(t *testing.T) {
	p := newPool(t, 1, executor.WithQueueSize(1), executor.WithNonBlocking())
	running := executor.Call(p, taskSleep, time.Hour)
	queued := executor.Call(p, taskAdd, addArg{A: 1})
	_, err := result(t, executor.Call(p, taskAdd, addArg{A: 2}))
	if !errors.Is(err, executor.ErrQueueFull) {
		t.Fatalf("third call: %v, want ErrQueueFull", err)
	}
	running.Cancel()
	if got := mustResult(t, queued); got.Sum != 1 {
		t.Errorf("queued call = %+v", got)
	}
	if s := p.Stats(); s.Rejected != 1 {
		t.Errorf("Stats = %+v, want 1 rejected", s)
	}
}

func TestProcessPoolQueueBlocks(t *testing.T) {
	p := newPool(t, 1, executor.WithQueueSize(1))
	running := executor.Call(p, taskSleep, time.Hour)
	executor.Call(p, taskAdd, addArg{A: 1})
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	_, err := result(t, executor.Call(p, taskAdd, addArg{A: 2}, executor.WithContext(ctx)))
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("call to a full queue: %v, want the WithContext deadline", err)
	}
	running.Cancel()
}

func TestProcessPoolStderrPrefixed(t *testing.T) {
	stderr := &lockedBuffer{}
	p, err := executor.NewProcessPool(1, executor.WithStderr(stderr))
	if err != nil {
		t.Fatal(err)
	}
	mustResult(t, executor.Call(p, taskStderr, "hello from a task"))
	if err := p.Shutdown(context.Background()); err != nil {
		t.Fatal(err)
	}
	out := stderr.String()
	for _, want := range []string{"worker 1: hello from a task\n", "worker 1: hello from a task-stdout\n"} {
		if !strings.Contains(out, want) {
			t.Errorf("stderr %q lacks %q", out, want)
		}
	}
}

func TestProcessPoolMaxTasksPerWorker(t *testing.T) {
	p := newPool(t, 1, executor.WithMaxTasksPerWorker(2))
	var pids []int
	for range 6 {
		pids = append(pids, mustResult(t, executor.Call(p, taskPid, 0)))
	}
	for i := 0; i < 6; i += 2 {
		if pids[i] != pids[i+1] || (i > 0 && pids[i] == pids[i-1]) {
			t.Fatalf("pids %v: want a new worker every 2 calls", pids)
		}
	}
	waitFor(t, "the retired workers to be reaped", func() bool { return p.Stats().WorkersAlive == 1 })
	if s := p.Stats(); s.WorkerRestarts != 3 {
		t.Errorf("Stats = %+v, want 3 restarts", s)
	}
}

// A retiring worker finishes its calls in flight before it exits.
func TestProcessPoolRetireFinishesInFlight(t *testing.T) {
	p := newPool(t, 1, executor.WithInFlight(3), executor.WithMaxTasksPerWorker(3))
	var fs []*executor.Future[int]
	for range 6 {
		fs = append(fs, executor.Call(p, taskSleep, 50*time.Millisecond))
	}
	seen := map[int]int{}
	for _, f := range fs {
		seen[mustResult(t, f)]++
	}
	if len(seen) != 2 {
		t.Errorf("calls per worker pid: %v, want 3 in each of 2 workers", seen)
	}
}

func TestProcessPoolInitializerOncePerWorker(t *testing.T) {
	p := newPool(t, 2, executor.WithInitializer(initCount), executor.WithInFlight(2))
	var fs []*executor.Future[[2]int]
	for range 20 {
		fs = append(fs, executor.Call(p, taskInitRuns, 0))
	}
	pids := map[int]bool{}
	for _, f := range fs {
		got := mustResult(t, f)
		pids[got[0]] = true
		if got[1] != 1 {
			t.Fatalf("worker %d ran its initializer %d times, want 1", got[0], got[1])
		}
	}
	if len(pids) != 2 {
		t.Errorf("calls ran in %d workers, want 2", len(pids))
	}
}

func TestProcessPoolInitializerFails(t *testing.T) {
	stderr := &lockedBuffer{}
	p, err := executor.NewProcessPool(2, executor.WithInitializer(initBroken), executor.WithStderr(stderr))
	if err == nil {
		p.Shutdown(context.Background())
		t.Fatal("NewProcessPool with a failing initializer succeeded")
	}
	if !strings.Contains(err.Error(), `"pp.init-broken"`) || !strings.Contains(err.Error(), "the database is gone") {
		t.Errorf("error %q should name the initializer and its error", err)
	}
	if kids := children(); len(kids) > 0 {
		t.Errorf("failed NewProcessPool left processes: %v", kids)
	}
}

// A replacement whose initializer fails is retried with a delay until it
// succeeds; the pool serves again then.
func TestProcessPoolReplacementInitializerRetried(t *testing.T) {
	failFile := filepath.Join(t.TempDir(), "fail")
	t.Setenv("PP_INIT_FAIL_FILE", failFile)
	stderr := &lockedBuffer{}
	p := newPool(t, 1, executor.WithInitializer(initFlaky), executor.WithStderr(stderr))
	pid := mustResult(t, executor.Call(p, taskPid, 0))
	if err := os.WriteFile(failFile, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	sysKill(pid, syscall.SIGKILL)
	waitFor(t, "two failed replacements", func() bool {
		return strings.Count(stderr.String(), "flaky initializer told to fail") >= 2
	})
	queued := executor.Call(p, taskPid, 0)
	os.Remove(failFile)
	if got := mustResult(t, queued); got == pid {
		t.Errorf("call served by the dead worker")
	}
	if !strings.Contains(stderr.String(), "trying again in") {
		t.Errorf("stderr %q does not report the retry", stderr.String())
	}
}

func TestProcessPoolFilesPipeAndTempFile(t *testing.T) {
	p := newPool(t, 1)
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	tmp, err := os.CreateTemp(t.TempDir(), "out")
	if err != nil {
		t.Fatal(err)
	}
	f := executor.Call(p, taskWriteFiles, "hello", executor.WithFiles(w, tmp))
	w.Close() // the caller may close its copies once Call returns
	tmp.Close()
	if n := mustResult(t, f); n != 2 {
		t.Fatalf("task saw %d files, want 2", n)
	}
	// The worker closed its copies when the task returned: EOF follows.
	got, err := io.ReadAll(r)
	if err != nil || !strings.HasPrefix(string(got), "hello from ") {
		t.Errorf("pipe read %q, %v", got, err)
	}
	data, err := os.ReadFile(tmp.Name())
	if err != nil || !strings.HasPrefix(string(data), "hello from ") {
		t.Errorf("temp file holds %q, %v", data, err)
	}
}

func TestProcessPoolFilesSocket(t *testing.T) {
	p := newPool(t, 1)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	client, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer client.Close()
	server, err := ln.Accept()
	if err != nil {
		t.Fatal(err)
	}
	sf, err := server.(*net.TCPConn).File()
	server.Close()
	if err != nil {
		t.Fatal(err)
	}
	f := executor.Call(p, taskServeConn, "echo: ", executor.WithFiles(sf))
	sf.Close()
	fmt.Fprintf(client, "ping\n")
	line, err := bufio.NewReader(client).ReadString('\n')
	if err != nil || line != "echo: PING\n" {
		t.Fatalf("reply %q, %v", line, err)
	}
	mustResult(t, f)
}

// Many calls in flight per worker, each with its own descriptor, and no
// descriptor left behind on either side.
func TestProcessPoolFilesManyInFlight(t *testing.T) {
	p := newPool(t, 2, executor.WithInFlight(16))
	before, _ := countFDs()
	workerFDs := map[int]int{}
	for range 4 {
		n := mustResult(t, executor.Call(p, taskOpenFDs, 0))
		workerFDs[n]++
	}
	const calls = 200
	readers := make([]*os.File, calls)
	futures := make([]*executor.Future[int], calls)
	for i := range calls {
		r, w, err := os.Pipe()
		if err != nil {
			t.Fatal(err)
		}
		readers[i] = r
		futures[i] = executor.Call(p, taskWriteFiles, fmt.Sprint("call ", i), executor.WithFiles(w))
		w.Close()
	}
	for i := range calls {
		if n := mustResult(t, futures[i]); n != 1 {
			t.Fatalf("call %d saw %d files", i, n)
		}
		got, err := io.ReadAll(readers[i])
		readers[i].Close()
		if want := fmt.Sprintf("call %d from ", i); err != nil || !strings.HasPrefix(string(got), want) {
			t.Fatalf("call %d wrote %q, %v; want %q...", i, got, err, want)
		}
	}
	if after, _ := countFDs(); after != before {
		t.Errorf("parent has %d descriptors open, %d before the calls", after, before)
	}
	for range 4 {
		n := mustResult(t, executor.Call(p, taskOpenFDs, 0))
		if workerFDs[n] == 0 {
			t.Errorf("a worker has %d descriptors open, before the calls %v", n, workerFDs)
		}
	}
}

// Files of a call canceled while queued are closed in the parent at once.
func TestProcessPoolFilesOfCanceledCall(t *testing.T) {
	p := newPool(t, 1)
	running := executor.Call(p, taskSleep, time.Hour)
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	queued := executor.Call(p, taskWriteFiles, "never", executor.WithFiles(w))
	w.Close()
	if !queued.Cancel() {
		t.Fatal("Cancel on a queued call = false")
	}
	if got, err := io.ReadAll(r); err != nil || len(got) != 0 {
		t.Errorf("pipe of a canceled call: %q, %v; want EOF at once", got, err)
	}
	running.Cancel()
}

func TestProcessPoolShutdownWaitsForRunning(t *testing.T) {
	p, err := executor.NewProcessPool(2)
	if err != nil {
		t.Fatal(err)
	}
	var fs []*executor.Future[int]
	for range 4 {
		fs = append(fs, executor.Call(p, taskSleep, 100*time.Millisecond))
	}
	if err := p.Shutdown(context.Background()); err != nil {
		t.Fatalf("Shutdown: %v", err)
	}
	for i, f := range fs {
		if err := f.Err(); err != nil {
			t.Errorf("call %d after Shutdown: %v, want it finished", i, err)
		}
	}
	if _, err := result(t, executor.Call(p, taskPid, 0)); !errors.Is(err, executor.ErrShutdown) {
		t.Errorf("Call after Shutdown: %v, want ErrShutdown", err)
	}
	if err := p.Shutdown(context.Background()); err != nil {
		t.Errorf("second Shutdown: %v", err)
	}
	if s := p.Stats(); s.WorkersAlive != 0 || s.Succeeded != 4 || s.Rejected != 1 {
		t.Errorf("Stats = %+v, want no worker alive, 4 succeeded, 1 rejected", s)
	}
	if kids := children(); len(kids) > 0 {
		t.Errorf("child processes after Shutdown: %v", kids)
	}
}

func TestProcessPoolShutdownContextEnds(t *testing.T) {
	p, err := executor.NewProcessPool(1)
	if err != nil {
		t.Fatal(err)
	}
	pid := mustResult(t, executor.Call(p, taskPid, 0))
	running := executor.Call(p, taskHang, time.Hour)
	queued := executor.Call(p, taskPid, 0)
	waitFor(t, "the hang to run", running.Running)
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	if err := p.Shutdown(ctx); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("Shutdown = %v, want its context's error", err)
	}
	if _, err := result(t, running); !errors.Is(err, executor.ErrWorkerDied) {
		t.Errorf("running call: %v, want ErrWorkerDied", err)
	}
	if !queued.Canceled() {
		t.Errorf("queued call not canceled: %v", queued.Err())
	}
	if processExists(pid) {
		t.Errorf("worker %d alive after Shutdown", pid)
	}
	if kids := children(); len(kids) > 0 {
		t.Errorf("child processes after Shutdown: %v", kids)
	}
}

func TestProcessPoolShutdownNow(t *testing.T) {
	p, err := executor.NewProcessPool(1)
	if err != nil {
		t.Fatal(err)
	}
	running := executor.Call(p, taskSleep, 100*time.Millisecond)
	queued := executor.Call(p, taskSleep, time.Hour)
	if err := p.ShutdownNow(context.Background()); err != nil {
		t.Fatal(err)
	}
	if running.Err() != nil || !queued.Canceled() {
		t.Errorf("running: %v, queued canceled: %v; want the running call done and the queued one canceled",
			running.Err(), queued.Canceled())
	}
}

func TestProcessPoolCancelPending(t *testing.T) {
	p := newPool(t, 1)
	running := executor.Call(p, taskSleep, time.Hour)
	var queued []*executor.Future[int]
	for range 3 {
		queued = append(queued, executor.Call(p, taskPid, 0))
	}
	if n := p.CancelPending(); n != 3 {
		t.Errorf("CancelPending = %d, want 3", n)
	}
	for _, f := range queued {
		if !f.Canceled() {
			t.Errorf("queued future not canceled")
		}
	}
	running.Cancel()
	mustResult(t, executor.Call(p, taskPid, 0)) // still accepting
}

func TestProcessPoolNilAndBadOptions(t *testing.T) {
	if _, err := result(t, executor.Call((*executor.ProcessPool)(nil), taskPid, 0)); err == nil {
		t.Error("Call on a nil pool succeeded")
	}
	if _, err := executor.NewProcessPool(1, executor.WithMaxFrame(-1)); err == nil || !strings.Contains(err.Error(), "WithMaxFrame") {
		t.Errorf("NewProcessPool(WithMaxFrame(-1)) = %v, want an error naming it", err)
	}
}
