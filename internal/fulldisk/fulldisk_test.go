package fulldisk

import (
	"errors"
	"os"
	"path/filepath"
	"syscall"
	"testing"

	"go.uber.org/goleak"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// TestMountFills writes past the filesystem's size: ENOSPC.
func TestMountFills(t *testing.T) {
	dir := Mount(t, 64<<10)
	err := os.WriteFile(filepath.Join(dir, "big"), make([]byte, 128<<10), 0o644)
	if !errors.Is(err, syscall.ENOSPC) {
		t.Errorf("writing 128 KiB to a 64 KiB tmpfs: %v, want ENOSPC", err)
	}
}
