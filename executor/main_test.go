package executor_test

import (
	"os"
	"testing"

	"github.com/poolscrape/poolscrape/executor"
	"go.uber.org/goleak"
)

// TestMain lets this test binary serve as a ProcessPool worker, and checks
// that no test leaks a goroutine.
func TestMain(m *testing.M) {
	if os.Getenv(envSilentWorker) != "" {
		silentWorker()
	}
	executor.Init()
	if os.Getenv(envParentDeathHelper) != "" {
		os.Exit(parentDeathHelper())
	}
	goleak.VerifyTestMain(m)
}
