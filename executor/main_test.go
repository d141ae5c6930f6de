package executor_test

import (
	"os"
	"testing"

	"github.com/poolscrape/poolscrape/executor"
	"github.com/poolscrape/poolscrape/internal/childtest"
	"go.uber.org/goleak"
)

// TestMain lets this test binary serve as a ProcessPool worker, and checks
// that no test leaks a goroutine.
func TestMain(m *testing.M) {
	if os.Getenv(envSilentWorker) != "" {
		silentWorker()
	}
	executor.Init()
	childtest.Serve(map[string]func(string) int{parentDeathRole: parentDeathHelper})
	goleak.VerifyTestMain(m)
}
