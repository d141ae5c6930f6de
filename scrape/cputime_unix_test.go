//go:build unix

package scrape

import (
	"syscall"
	"time"
)

// processCPU returns the CPU time (user and system) this process has used,
// all its threads included.
func processCPU() (time.Duration, error) {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0, err
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano()), nil
}
