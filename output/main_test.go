package output

import (
	"os"
	"testing"

	"go.uber.org/goleak"
)

// TestMain checks that no test leaks a goroutine (the writers are used
// from many goroutines). Started with childEnv set, the test binary is
// instead the writer process that TestKilledWriter kills; with
// fsizeChildEnv, the one TestWriteErrorAtEveryByte limits.
func TestMain(m *testing.M) {
	if path := os.Getenv(childEnv); path != "" {
		os.Exit(runChildWriter(path))
	}
	if dir := os.Getenv(fsizeChildEnv); dir != "" {
		os.Exit(runFsizeChild(dir))
	}
	goleak.VerifyTestMain(m)
}
