//go:build !unix

package executor_test

import (
	"errors"
	"syscall"
)

// sysKill sends pid the signal sig: not on this system, which runs no
// ProcessPool (the tests that would call it fail earlier).
func sysKill(pid int, sig syscall.Signal) error { return errors.ErrUnsupported }

func sysWrite(fd int, b []byte) (int, error) { return 0, errors.ErrUnsupported }
