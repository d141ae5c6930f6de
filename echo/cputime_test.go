package echo

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// treeCPU returns the CPU time the test process and its children (process
// mode's workers) have used, in nanoseconds of run time, the scheduler's own
// exact count (/proc/PID/task/TID/schedstat). On a system without it, it
// returns 0.
func treeCPU() time.Duration {
	self := os.Getpid()
	cpu := processCPU(self)
	for _, child := range childrenOf(self) {
		cpu += processCPU(child)
	}
	return cpu
}

// processCPU sums the run time of pid's threads.
func processCPU(pid int) time.Duration {
	stats, _ := filepath.Glob(fmt.Sprintf("/proc/%d/task/*/schedstat", pid))
	var cpu time.Duration
	for _, s := range stats {
		data, err := os.ReadFile(s)
		if err != nil {
			continue // the thread ended
		}
		f := strings.Fields(string(data))
		if len(f) == 0 {
			continue
		}
		if ns, err := strconv.ParseInt(f[0], 10, 64); err == nil {
			cpu += time.Duration(ns)
		}
	}
	return cpu
}
