package executor_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/poolscrape/poolscrape/executor"
)

// Calls sent ahead to a worker (WithSendAhead, on by default) wait there
// while the current one runs: these tests check that a worker still runs
// only WithInFlight of them at once, and what becomes of a waiting call when
// its worker dies, is killed for a timeout, or the call is canceled.

var (
	overlapNow, overlapMax atomic.Int32 // in a worker process

	// taskOverlap runs for d and returns the most calls of it its worker
	// process has run at once so far.
	taskOverlap = executor.Register("sa.overlap", func(_ context.Context, d time.Duration) (int32, error) {
		n := overlapNow.Add(1)
		defer overlapNow.Add(-1)
		for m := overlapMax.Load(); n > m && !overlapMax.CompareAndSwap(m, n); m = overlapMax.Load() {
		}
		time.Sleep(d)
		return overlapMax.Load(), nil
	})
	// taskTouch creates the file at path.
	taskTouch = executor.Register("sa.touch", func(_ context.Context, path string) (int, error) {
		return 0, os.WriteFile(path, nil, 0o600)
	})
)

// With default options a worker runs one call at a time, though the pool
// sends it more.
func TestProcessPoolSendAheadRunsOneAtATime(t *testing.T) {
	p := newPool(t, 1)
	var fs []*executor.Future[int32]
	for range 20 {
		fs = append(fs, executor.Call(p, taskOverlap, 2*time.Millisecond))
	}
	for i, f := range fs {
		if most := mustResult(t, f); most != 1 {
			t.Fatalf("call %d: the worker ran %d calls at once, want 1", i, most)
		}
	}
}

// A call waiting in a worker that dies is sent to its replacement: it never
// ran, so it must neither fail nor hang.
func TestProcessPoolSendAheadWorkerDies(t *testing.T) {
	p := newPool(t, 1)
	pid := mustResult(t, executor.Call(p, taskPid, 0))
	running := executor.Call(p, taskSleep, time.Hour)
	waiting := executor.Call(p, taskPid, 0)
	waitFor(t, "the sleep to run", running.Running)
	if waiting.Running() {
		t.Fatal("the call behind the sleep is running, want it pending")
	}
	if err := sysKill(pid, syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	if _, err := result(t, running); !errors.Is(err, executor.ErrWorkerDied) {
		t.Errorf("running call: %v, want ErrWorkerDied", err)
	}
	if got := mustResult(t, waiting); got == pid || got == 0 {
		t.Errorf("the waiting call ran in pid %d, want the replacement of %d", got, pid)
	}
	if s := p.Stats(); s.Failed != 1 || s.Succeeded != 2 || s.Queued != 0 || s.Running != 0 {
		t.Errorf("Stats = %+v, want 1 failed, 2 succeeded, none queued or running", s)
	}
}

// A call waiting behind one that is killed for its timeout goes to the
// replacement; its own timeout counts from when it starts, not from when it
// was sent.
func TestProcessPoolSendAheadTimeoutKill(t *testing.T) {
	p := newPool(t, 1, executor.WithGracePeriod(100*time.Millisecond))
	pid := mustResult(t, executor.Call(p, taskPid, 0))
	hung := executor.Call(p, taskHang, time.Hour, executor.WithTimeout(300*time.Millisecond))
	waiting := executor.Call(p, taskSleep, time.Millisecond, executor.WithTimeout(200*time.Millisecond))
	if _, err := result(t, hung); !errors.Is(err, executor.ErrTimeout) {
		t.Fatalf("hung call: %v, want ErrTimeout", err)
	}
	got, err := result(t, waiting)
	if err != nil || got == pid {
		t.Errorf("waiting call: pid %d, %v; want it run by the replacement of %d within its timeout", got, err, pid)
	}
}

// A canceled call waiting in a worker is dropped there: it never runs, and
// its worker goes on.
func TestProcessPoolSendAheadCancel(t *testing.T) {
	p := newPool(t, 1)
	marker := filepath.Join(t.TempDir(), "ran")
	running := executor.Call(p, taskSleep, time.Hour)
	waiting := executor.Call(p, taskTouch, marker)
	behind := executor.Call(p, taskPid, 0)
	waitFor(t, "the sleep to run", running.Running)
	if !waiting.Cancel() {
		t.Fatal("Cancel on a waiting call = false")
	}
	running.Cancel()
	if _, err := result(t, running); !errors.Is(err, context.Canceled) {
		t.Errorf("running call: %v, want context.Canceled", err)
	}
	mustResult(t, behind)
	if _, err := os.Stat(marker); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the canceled call ran: %v", err)
	}
	if s := p.Stats(); s.Canceled != 1 || s.Queued != 0 || s.Running != 0 {
		t.Errorf("Stats = %+v, want 1 canceled, none queued or running", s)
	}
}

// Calls go to the least-loaded worker: an idle one before one that is busy,
// though the busy one has room for calls to wait in it.
func TestProcessPoolSendAheadLeastLoaded(t *testing.T) {
	p := newPool(t, 2)
	first := executor.Call(p, taskSleep, time.Hour)
	waitFor(t, "the first sleep to run", first.Running)
	second := executor.Call(p, taskSleep, time.Hour)
	waitFor(t, "the second call to run", second.Running)
	first.Cancel()
	second.Cancel()
	for _, f := range []*executor.Future[int]{first, second} {
		if _, err := result(t, f); !errors.Is(err, context.Canceled) {
			t.Errorf("sleep: %v, want context.Canceled", err)
		}
	}
}

// Many calls, some canceled at once, with a worker killed midway: every
// future settles (with its result, context.Canceled, or ErrWorkerDied for a
// call the dead worker had started), no worker breaks the protocol, and the
// counters add up.
func TestProcessPoolSendAheadStress(t *testing.T) {
	stderr := &lockedBuffer{}
	p := newPool(t, 2, executor.WithStderr(stderr))
	const n = 2000
	fs := make([]*executor.Future[int], n)
	var victim int
	for i := range fs {
		fs[i] = executor.Call(p, taskIdentity, i)
		if i%7 == 3 {
			fs[i].Cancel()
		}
		if i == n/2 {
			victim = mustResult(t, executor.Call(p, taskPid, 0))
			sysKill(victim, syscall.SIGKILL)
		}
	}
	var ok, canceled, died uint64
	for i, f := range fs {
		v, err := result(t, f)
		switch {
		case err == nil && v == i:
			ok++
		case errors.Is(err, context.Canceled) && f.Canceled():
			canceled++
		case errors.Is(err, executor.ErrWorkerDied):
			died++
		default:
			t.Fatalf("call %d: %d, %v", i, v, err)
		}
	}
	if strings.Contains(stderr.String(), "protocol") {
		t.Errorf("a worker broke the protocol:\n%s", stderr.String())
	}
	waitFor(t, "the counters to settle", func() bool { s := p.Stats(); return s.Running == 0 && s.Queued == 0 })
	s := p.Stats()
	if s.Canceled != canceled || s.Succeeded != ok+1 || s.Failed != died || s.Submitted != n+1 {
		t.Errorf("Stats = %+v; counted %d ok, %d canceled, %d died of %d", s, ok, canceled, died, n)
	}
	t.Logf("%d ok, %d canceled, %d died with worker %d", ok, canceled, died, victim)
}

// A call waiting behind a long one goes to a worker that falls idle: the
// pool asks the busy worker to give it back, unstarted.
func TestProcessPoolSendAheadIdleWorkerTakesWaitingCall(t *testing.T) {
	p := newPool(t, 2)
	long := executor.Call(p, taskSleep, time.Hour)
	waitFor(t, "the long call to run", long.Running)
	short := executor.Call(p, taskSleep, time.Hour)
	waitFor(t, "the second call to run", short.Running)
	// Both workers are busy: one of these waits behind each sleep.
	behind := []*executor.Future[int]{executor.Call(p, taskPid, 0), executor.Call(p, taskPid, 0)}
	short.Cancel()
	for i, f := range behind {
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		_, err := f.Result(ctx)
		cancel()
		if err != nil {
			t.Fatalf("call %d waiting behind a sleep: %v; want it run by the worker that fell idle", i, err)
		}
	}
	if !long.Running() {
		t.Error("the long call stopped running")
	}
	long.Cancel()
	result(t, long)
	if s := p.Stats(); s.Queued != 0 || s.Running != 0 || s.Succeeded != 2 {
		t.Errorf("Stats = %+v, want 2 succeeded, none queued or running", s)
	}
}

// Rounds of calls, each drained before the next, so that workers fall idle
// and take back calls waiting in each other at the end of every round, with
// several calls running in each worker: every call succeeds. (A call given
// back while the result before it was being written was once counted as
// started, and failed with context.Canceled.)
func TestProcessPoolSendAheadRoundsWithGiveBacks(t *testing.T) {
	p := newPool(t, 2, executor.WithInFlight(8))
	for round := range 50 {
		fs := make([]*executor.Future[int], 300)
		for i := range fs {
			fs[i] = executor.Call(p, taskIdentity, i)
		}
		for i, f := range fs {
			if v, err := result(t, f); err != nil || v != i {
				t.Fatalf("round %d, call %d: %d, %v", round, i, v, err)
			}
		}
	}
}

// A call that passes files waits in the pool, not in a busy worker: when
// that worker dies, the call goes to its replacement with its files.
func TestProcessPoolSendAheadFilesWaitInPool(t *testing.T) {
	p := newPool(t, 1)
	pid := mustResult(t, executor.Call(p, taskPid, 0))
	running := executor.Call(p, taskSleep, time.Hour)
	waitFor(t, "the sleep to run", running.Running)
	tmp, err := os.CreateTemp(t.TempDir(), "out")
	if err != nil {
		t.Fatal(err)
	}
	withFile := executor.Call(p, taskWriteFiles, "hello", executor.WithFiles(tmp))
	tmp.Close()
	if err := sysKill(pid, syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	if n := mustResult(t, withFile); n != 1 {
		t.Fatalf("the call saw %d files, want 1", n)
	}
	data, err := os.ReadFile(tmp.Name())
	if err != nil || !strings.HasPrefix(string(data), "hello from ") || strings.Contains(string(data), fmt.Sprint(pid)) {
		t.Errorf("file holds %q, %v; want a line from the replacement of %d", data, err, pid)
	}
	result(t, running)
}
