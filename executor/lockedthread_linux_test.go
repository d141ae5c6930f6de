package executor

import (
	"context"
	"fmt"
	"os"
	"runtime"
	"testing"
	"time"

	"golang.org/x/sys/unix"
)

var (
	threadTestPid   = Register("internal.pid", func(context.Context, int) (int, error) { return os.Getpid(), nil })
	threadTestBlock = Register("internal.block", func(ctx context.Context, _ int) (int, error) {
		<-ctx.Done()
		return 0, ctx.Err()
	})
)

// A worker started from a goroutine locked to its OS thread goes on serving
// after that goroutine exits without unlocking, which ends the thread: a
// worker's life must not hang on the thread that happened to fork it (as
// Linux's Pdeathsig makes it).
func TestWorkerOutlivesSpawningThread(t *testing.T) {
	p, err := NewProcessPool(1)
	if err != nil {
		t.Fatal(err)
	}
	defer p.Shutdown(context.Background())
	// Keep the first worker busy, so that the next call goes to the one
	// started on the locked thread.
	busy := Call(p, threadTestBlock, 0)
	defer busy.Cancel()
	for !busy.Running() {
		time.Sleep(time.Millisecond)
	}
	type spawned struct {
		tid, pid int
		err      error
	}
	// spawnLocked starts a worker from a goroutine locked to its thread,
	// which exits with the goroutine. On the main thread the runtime wedges
	// the thread instead of ending it, so a goroutine that finds itself
	// there unlocks and reports ok false, and the test tries again.
	spawnLocked := func() (s spawned, ok bool) {
		ch := make(chan spawned, 1)
		go func() {
			runtime.LockOSThread() // never unlocked (but on the main thread): the thread exits with the goroutine
			if unix.Gettid() == os.Getpid() {
				runtime.UnlockOSThread()
				ch <- spawned{tid: -1}
				return
			}
			w, err := p.startWorker()
			s := spawned{tid: unix.Gettid(), err: err}
			if w != nil {
				s.pid = w.cmd.Process.Pid
			}
			ch <- s
		}()
		s = <-ch
		return s, s.tid != -1
	}
	var s spawned
	for ok := false; !ok; {
		s, ok = spawnLocked()
	}
	if s.err != nil {
		t.Fatal(s.err)
	}
	task := fmt.Sprintf("/proc/self/task/%d", s.tid)
	for deadline := time.Now().Add(30 * time.Second); ; time.Sleep(time.Millisecond) {
		if _, err := os.Stat(task); os.IsNotExist(err) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("thread %d never exited", s.tid)
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	got, err := Call(p, threadTestPid, 0).Result(ctx)
	if err != nil || got != s.pid {
		t.Fatalf("call after the spawning thread exited: pid %d, %v; want worker %d to answer", got, err, s.pid)
	}
	if st := p.Stats(); st.WorkerRestarts != 0 {
		t.Errorf("stats %+v: want no worker restarts", st)
	}
}
