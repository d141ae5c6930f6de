package executor

import "syscall"

// setPdeathsig has Linux send the worker SIGKILL if the pool's process dies.
func setPdeathsig(attr *syscall.SysProcAttr) { attr.Pdeathsig = syscall.SIGKILL }
