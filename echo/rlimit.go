package echo

import (
	"fmt"

	"golang.org/x/sys/unix"
)

// RaiseFileLimit raises the soft limit on open files (RLIMIT_NOFILE) to the
// hard limit, since every connection is a file descriptor and the usual soft
// limit of 1024 is too few for thousands of them. It returns the new limit.
func RaiseFileLimit() (uint64, error) {
	var lim unix.Rlimit
	if err := unix.Getrlimit(unix.RLIMIT_NOFILE, &lim); err != nil {
		return 0, fmt.Errorf("echo: read the open-files limit: %w", err)
	}
	if lim.Cur >= lim.Max {
		return lim.Cur, nil
	}
	lim.Cur = lim.Max
	if err := unix.Setrlimit(unix.RLIMIT_NOFILE, &lim); err != nil {
		return 0, fmt.Errorf("echo: raise the open-files limit to %d: %w", lim.Max, err)
	}
	return lim.Cur, nil
}
