//go:build unix

package executor_test

import "syscall"

// sysKill sends pid the signal sig.
func sysKill(pid int, sig syscall.Signal) error { return syscall.Kill(pid, sig) }

// sysWrite writes b to the descriptor fd.
func sysWrite(fd int, b []byte) (int, error) { return syscall.Write(fd, b) }
