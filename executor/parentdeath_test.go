package executor_test

import (
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/poolscrape/poolscrape/executor"
	"github.com/poolscrape/poolscrape/internal/childtest"
)

// parentDeathRole makes this test binary, started by
// TestWorkersExitWhenParentDies (package childtest), a pool owner that the
// test then kills.
const parentDeathRole = "executor-pool-owner"

// parentDeathHelper starts a pool of two workers, one of them busy with a
// task that ignores its context, prints "workers PID PID" and waits to be
// killed.
func parentDeathHelper(string) int {
	p, err := executor.NewProcessPool(2)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	busy := executor.Call(p, taskHang, time.Hour)
	for !busy.Running() {
		time.Sleep(time.Millisecond)
	}
	var pids []string
	for _, kid := range children() {
		pids = append(pids, strings.Fields(kid)[0])
	}
	fmt.Printf("workers %s\n", strings.Join(pids, " "))
	select {}
}

// Workers exit when the process that owns their pool dies, even by SIGKILL,
// which gives it no chance to shut them down: busy or idle, none lingers.
func TestWorkersExitWhenParentDies(t *testing.T) {
	helper := childtest.Start(t, parentDeathRole, "")
	line := helper.ReadLine(t)
	var pids []int
	for _, f := range strings.Fields(strings.TrimPrefix(line, "workers ")) {
		var pid int
		fmt.Sscan(f, &pid)
		pids = append(pids, pid)
	}
	if len(pids) != 2 {
		t.Fatalf("helper reported %q, want two worker pids", line)
	}
	for _, pid := range pids {
		if !alive(pid) {
			t.Fatalf("worker %d not running before its parent died", pid)
		}
	}
	helper.Kill()
	for _, pid := range pids {
		waitFor(t, fmt.Sprintf("worker %d to exit after its parent was killed", pid), func() bool { return !alive(pid) })
	}
}

// alive reports whether pid is a process that has not exited: a zombie, left
// for whichever process adopted it to reap, has.
func alive(pid int) bool {
	stat, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return false
	}
	s := string(stat)
	i := strings.LastIndexByte(s, ')')
	return i >= 0 && !strings.HasPrefix(strings.TrimSpace(s[i+1:]), "Z")
}
