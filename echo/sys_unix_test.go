//go:build unix

package echo

import "syscall"

// sysKill sends pid the signal sig.
func sysKill(pid int, sig syscall.Signal) error { return syscall.Kill(pid, sig) }
