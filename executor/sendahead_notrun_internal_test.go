//go:build linux

package executor

import (
	"context"
	"errors"
	"net"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"golang.org/x/sys/unix"
)

var (
	// notRunWatch waits until its context ends, then writes a byte to the
	// file it is passed: the test sees that its worker has read the
	// cancel frame for it, and every frame sent before.
	notRunWatch = Register("notrun.watch", func(ctx context.Context, _ int) (int, error) {
		<-ctx.Done()
		_, err := Files(ctx)[0].Write([]byte{1})
		return 0, err
	})
	// notRunGate writes a byte to the file it is passed once it runs, then
	// waits until its context ends and returns its error.
	notRunGate = Register("notrun.gate", func(ctx context.Context, _ int) (int, error) {
		if _, err := Files(ctx)[0].Write([]byte{1}); err != nil {
			return 0, err
		}
		<-ctx.Done()
		return 0, ctx.Err()
	})
	// notRunBig returns n bytes: a result frame larger than the socket
	// holds, whose write blocks while the pool does not read.
	notRunBig = Register("notrun.big", func(_ context.Context, n int) ([]byte, error) {
		return make([]byte, n), nil
	})
	// notRunTouch creates the file at path, whatever its context says.
	notRunTouch = Register("notrun.touch", func(_ context.Context, path string) (int, error) {
		return 0, os.WriteFile(path, nil, 0o600)
	})
)

// A call sent ahead whose context is canceled after its worker has taken it
// to run (the call before it ended and its result is being written) but
// before its task began is dropped: the task never runs, and the future
// fails with context.Canceled, counted once as canceled.
//
// The test holds that window open: the pool's reader is kept in a
// done-callback while the call before, big, writes a result larger than the
// socket holds, so the worker, which has taken the next call already, blocks
// writing it. Bytes waiting on the pool's end of the socket show that it got
// there; a second running call, watch, whose cancel frame goes after the
// victim's, shows when the worker has read the victim's.
func TestSendAheadCanceledAtItsTurnNeverRuns(t *testing.T) {
	p, err := NewProcessPool(1, WithInFlight(2))
	if err != nil {
		t.Fatal(err)
	}
	defer p.Shutdown(context.Background())
	pr, pw := pipe(t)
	watch := Call(p, notRunWatch, 0, WithFiles(pw))
	gr, gw := pipe(t)
	gate := Call(p, notRunGate, 0, WithFiles(gw))
	big := Call(p, notRunBig, 8<<20)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	marker := filepath.Join(t.TempDir(), "ran")
	victim := Call(p, notRunTouch, marker, WithContext(ctx))
	canceled := make(chan struct{})
	victim.AddDoneCallback(func(*Future[int]) { close(canceled) }) // after the pool's own
	waitCond(t, "two calls running, two waiting in the worker", func() bool {
		p.mu.Lock()
		defer p.mu.Unlock()
		return len(p.ready) == 1 && p.ready[0].running == 2 && len(p.ready[0].ahead) == 2
	})
	conn := p.ready[0].conn

	release := make(chan struct{})
	var once sync.Once
	open := func() { once.Do(func() { close(release) }) }
	defer open()
	gate.AddDoneCallback(func(*Future[int]) { <-release }) // holds the pool's reader
	readByte(t, gr, "gate")
	gate.Cancel()
	waitCond(t, "the worker to block writing big's result", func() bool { return unreadBytes(t, conn) > 0 })

	cancel()
	<-canceled
	if !victim.Canceled() {
		t.Fatalf("victim: %v, want it canceled while the pool counts it waiting", victim.Err())
	}
	watch.Cancel()
	readByte(t, pr, "watch")
	open()

	if _, err := big.Result(context.Background()); err != nil {
		t.Fatalf("big: %v", err)
	}
	if _, err := watch.Result(context.Background()); err != nil {
		t.Fatalf("watch: %v", err)
	}
	if err := p.Shutdown(context.Background()); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(marker); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the call canceled before its task began ran (stat: %v)", err)
	}
	if err := victim.Err(); err != context.Canceled {
		t.Errorf("victim: %v, want context.Canceled", err)
	}
	if s := p.Stats(); s.Canceled != 1 || s.Succeeded != 2 || s.Failed != 1 || s.Running != 0 || s.Queued != 0 {
		t.Errorf("Stats = %+v, want 1 canceled (victim), 2 succeeded (big, watch), 1 failed (gate), none running or queued", s)
	}
}

// pipe returns a pipe whose write end goes to a task (and is closed here).
func pipe(t *testing.T) (r, w *os.File) {
	t.Helper()
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { r.Close(); w.Close() })
	return r, w
}

// readByte reads the byte that the task named who writes to r.
func readByte(t *testing.T, r *os.File, who string) {
	t.Helper()
	if _, err := r.Read(make([]byte, 1)); err != nil {
		t.Fatalf("read %s's byte: %v", who, err)
	}
}

// unreadBytes returns how many bytes wait to be read on conn.
func unreadBytes(t *testing.T, conn *net.UnixConn) int {
	t.Helper()
	rc, err := conn.SyscallConn()
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	var ioErr error
	if err := rc.Control(func(fd uintptr) { n, ioErr = unix.IoctlGetInt(int(fd), unix.SIOCINQ) }); err != nil {
		t.Fatal(err)
	}
	if ioErr != nil {
		t.Fatalf("SIOCINQ: %v", ioErr)
	}
	return n
}

// waitCond polls cond until it holds, failing the test after a minute.
func waitCond(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(time.Minute)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(time.Millisecond)
	}
}
