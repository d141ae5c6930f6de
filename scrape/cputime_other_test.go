//go:build !unix

package scrape

import (
	"errors"
	"time"
)

// processCPU is not measured here: getrusage is Unix's.
func processCPU() (time.Duration, error) {
	return 0, errors.New("process CPU time is measured on Unix only")
}
