//go:build unix && !aix && !linux

package executor

import "syscall"

func setPdeathsig(*syscall.SysProcAttr) {}
