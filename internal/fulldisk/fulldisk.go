// Package fulldisk gives tests a small real filesystem to fill, where
// writes fail with ENOSPC as on a full disk. It is for tests only.
package fulldisk

import (
	"os/exec"
	"strconv"
	"testing"
)

// Mount mounts a tmpfs of size bytes on a new temporary directory and
// returns the directory; it is unmounted when the test ends. Mounting needs
// the right to (root, CAP_SYS_ADMIN): without it the test is skipped.
func Mount(t testing.TB, size int) string {
	t.Helper()
	dir := t.TempDir()
	opt := "size=" + strconv.Itoa(size)
	if out, err := exec.Command("mount", "-t", "tmpfs", "-o", opt, "poolscrape-test", dir).CombinedOutput(); err != nil {
		t.Skipf("cannot mount a tmpfs: %v %s", err, out)
	}
	t.Cleanup(func() {
		if out, err := exec.Command("umount", dir).CombinedOutput(); err != nil {
			t.Errorf("umount %s: %v %s", dir, err, out)
		}
	})
	return dir
}
