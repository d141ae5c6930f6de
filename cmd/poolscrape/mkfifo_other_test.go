//go:build !unix

package main

import (
	"errors"
	"fmt"
	"runtime"
)

// mkfifo fails: named pipes in the file system are Unix's.
func mkfifo(string) error {
	return fmt.Errorf("no named pipes on %s: %w", runtime.GOOS, errors.ErrUnsupported)
}
