//go:build !unix

package echo

import (
	"errors"
	"syscall"
)

// sysKill sends pid the signal sig: not on this system, which runs no
// ProcessPool (the tests that would call it fail earlier).
func sysKill(pid int, sig syscall.Signal) error { return errors.ErrUnsupported }
