package executor_test

import (
	"os"
	"testing"

	"github.com/poolscrape/poolscrape/executor"
	"github.com/poolscrape/poolscrape/internal/childtest"
	"go.uber.org/goleak"
)

// TestMain lets this test binary serve as a ProcessPool worker, with the
// open files limit a test asked for (lowerFileLimit), and checks that no
// test leaks a goroutine.
func TestMain(m *testing.M) {
	if os.Getenv(envSilentWorker) != "" {
		silentWorker()
	}
	if err := lowerFileLimit(); err != nil {
		panic(err)
	}
	executor.Init()
	childtest.Serve(map[string]func(string) int{parentDeathRole: parentDeathHelper})
	goleak.VerifyTestMain(m)
}
