package echo

import (
	"testing"

	"github.com/poolscrape/poolscrape/executor"
	"github.com/poolscrape/poolscrape/internal/childtest"
	"github.com/poolscrape/poolscrape/internal/fdlimit"
	"go.uber.org/goleak"
)

// envWorkerFileLimit, set by a test, makes the worker processes it starts
// lower their soft limit on open files (RLIMIT_NOFILE) to its value.
const envWorkerFileLimit = "ECHO_TEST_WORKER_NOFILE"

// TestMain lets this test binary serve as a ProcessPool worker (process mode
// runs connections in worker processes that re-execute it), with the open
// files limit a test asked for (fdlimit.LowerFromEnv), and checks that no test
// leaks a goroutine; it also plays the child roles (idleServerRole).
func TestMain(m *testing.M) {
	if err := fdlimit.LowerFromEnv(envWorkerFileLimit); err != nil {
		panic(err)
	}
	executor.Init()
	childtest.Serve(map[string]func(string) int{idleServerRole: idleServerChild})
	goleak.VerifyTestMain(m)
}
