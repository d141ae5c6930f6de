//go:build unix

package warc

import (
	"os"
	"syscall"
)

// lock takes an exclusive advisory lock on f, without waiting: two
// processes never append to one WARC file.
func lock(f *os.File) error {
	return syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB)
}
