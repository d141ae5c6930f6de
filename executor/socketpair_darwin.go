//go:build darwin || ios

package executor

import "syscall"

// socketFDs makes a connected pair of Unix stream sockets, close-on-exec.
// Darwin's socketpair takes no SOCK_CLOEXEC, so, as the standard library
// does, it holds syscall.ForkLock while the descriptors are not yet marked,
// so that no process started meanwhile inherits them.
func socketFDs() ([2]int, error) {
	syscall.ForkLock.RLock()
	defer syscall.ForkLock.RUnlock()
	fds, err := syscall.Socketpair(syscall.AF_UNIX, syscall.SOCK_STREAM, 0)
	if err != nil {
		return fds, err
	}
	syscall.CloseOnExec(fds[0])
	syscall.CloseOnExec(fds[1])
	return fds, nil
}
