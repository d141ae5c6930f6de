//go:build unix

package executor_test

import (
	"fmt"
	"os"
	"strconv"
	"syscall"
)

// sysKill sends pid the signal sig.
func sysKill(pid int, sig syscall.Signal) error { return syscall.Kill(pid, sig) }

// sysWrite writes b to the descriptor fd.
func sysWrite(fd int, b []byte) (int, error) { return syscall.Write(fd, b) }

// envWorkerFileLimit, set by a test, makes the worker processes it starts
// lower their soft limit on open files (RLIMIT_NOFILE) to its value.
const envWorkerFileLimit = "EXECUTOR_TEST_WORKER_NOFILE"

// lowerFileLimit applies envWorkerFileLimit, if set, to this process.
func lowerFileLimit() error {
	v := os.Getenv(envWorkerFileLimit)
	if v == "" {
		return nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n <= 0 {
		return fmt.Errorf("%s=%q: want a positive number", envWorkerFileLimit, v)
	}
	var lim syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_NOFILE, &lim); err != nil {
		return err
	}
	setLimit(&lim.Cur, n)
	return syscall.Setrlimit(syscall.RLIMIT_NOFILE, &lim)
}

// setLimit sets an Rlimit field, signed on some systems, unsigned on others.
func setLimit[T int64 | uint64](field *T, n int) { *field = T(n) }
