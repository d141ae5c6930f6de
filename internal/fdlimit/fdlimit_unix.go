//go:build unix

// Package fdlimit is a test helper: a test sets an environment variable
// and the worker processes it starts (the test binary run again) lower
// their soft limit on open files to its value, so that running out of
// descriptors can be tested without starving the test itself.
package fdlimit

import (
	"fmt"
	"os"
	"strconv"
	"syscall"
)

// LowerFromEnv lowers this process's soft RLIMIT_NOFILE to the value of the
// environment variable env, if it is set; it fails if the value is not a
// positive number or the limit cannot be set.
func LowerFromEnv(env string) error {
	v := os.Getenv(env)
	if v == "" {
		return nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n <= 0 {
		return fmt.Errorf("%s=%q: want a positive number", env, v)
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
