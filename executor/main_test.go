package executor_test

import (
	"os"
	"testing"

	"github.com/poolscrape/poolscrape/executor"
	"github.com/poolscrape/poolscrape/internal/childtest"
	"github.com/poolscrape/poolscrape/internal/fdlimit"
	"go.uber.org/goleak"
)

// envWorkerFileLimit, set by a test, makes the worker processes it starts
// lower their soft limit on open files (RLIMIT_NOFILE) to its value.
const envWorkerFileLimit = "EXECUTOR_TEST_WORKER_NOFILE"

// childRoles are the roles a child of a test plays (see childtest); the
// tests of some systems add theirs.
var childRoles = map[string]func(string) int{parentDeathRole: parentDeathHelper}

// TestMain lets this test binary serve as a ProcessPool worker, with the
// open files limit a test asked for (fdlimit.LowerFromEnv), and checks that no
// test leaks a goroutine.
func TestMain(m *testing.M) {
	if os.Getenv(envSilentWorker) != "" {
		silentWorker()
	}
	if err := fdlimit.LowerFromEnv(envWorkerFileLimit); err != nil {
		panic(err)
	}
	executor.Init()
	childtest.Serve(childRoles)
	goleak.VerifyTestMain(m)
}
