//go:build unix && !aix && !darwin && !ios

package executor

import "golang.org/x/sys/unix"

// socketFDs makes a connected pair of Unix stream sockets, close-on-exec
// from the start.
func socketFDs() ([2]int, error) {
	return unix.Socketpair(unix.AF_UNIX, unix.SOCK_STREAM|unix.SOCK_CLOEXEC, 0)
}
