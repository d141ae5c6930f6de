package echo

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"

	"github.com/poolscrape/poolscrape/internal/echotest"
)

// TestProcessWorkerKilled kills a worker process with SIGKILL while
// connections on every worker are busy: only that worker's connections end,
// it is replaced, and new connections are served.
func TestProcessWorkerKilled(t *testing.T) {
	const conns = 40
	srv, addr := startServer(t, Config{Mode: ModeProcess, Workers: 2})
	before := childPids(t)
	if len(before) != 2 {
		t.Fatalf("want 2 worker processes, found %v", before)
	}
	var served, failed atomic.Int64
	stop := make(chan struct{})
	var wg sync.WaitGroup
	for i := range conns {
		c := echotest.Dial(t, addr)
		wg.Go(func() {
			for n := 0; ; n++ {
				select {
				case <-stop:
					return
				default:
				}
				if err := echotest.RoundTrip(c, []byte(fmt.Sprintf("conn %d trip %d", i, n))); err != nil {
					failed.Add(1)
					return
				}
				served.Add(1)
			}
		})
	}
	waitFor(t, "all connections busy", func() bool { return srv.Stats().Active == conns && served.Load() > 10*conns })
	victim := before[0]
	if err := sysKill(victim, syscall.SIGKILL); err != nil {
		t.Fatalf("kill worker %d: %v", victim, err)
	}
	waitFor(t, "the killed worker's connections ended", func() bool { return failed.Load() > 0 })
	waitFor(t, "the worker replaced", func() bool { return srv.PoolStats().WorkerRestarts == 1 })
	for range 10 {
		if err := echotest.RoundTrip(echotest.Dial(t, addr), []byte("after the kill")); err != nil {
			t.Fatalf("new connection after a worker died: %v", err)
		}
	}
	close(stop)
	wg.Wait()
	lost := failed.Load()
	if lost == conns {
		t.Errorf("all %d connections ended: a worker's death touched the other's", conns)
	}
	if st := srv.Stats(); st.Errors < uint64(lost) {
		t.Errorf("stats %v: want at least %d errors for the lost connections", st, lost)
	}
	t.Logf("worker %d killed: %d of %d connections lost, %d round trips served", victim, lost, conns, served.Load())
}

// childPids lists this process's child processes: the pool's workers.
func childPids(t *testing.T) []int {
	t.Helper()
	tasks, err := filepath.Glob("/proc/self/task/*/children")
	if err != nil {
		t.Fatal(err)
	}
	var pids []int
	for _, f := range tasks {
		b, err := os.ReadFile(f)
		if err != nil {
			continue // the thread ended
		}
		for _, s := range strings.Fields(string(b)) {
			pid, err := strconv.Atoi(s)
			if err == nil {
				pids = append(pids, pid)
			}
		}
	}
	return pids
}
