package echo

import (
	"testing"

	"github.com/poolscrape/poolscrape/executor"
	"github.com/poolscrape/poolscrape/internal/childtest"
	"go.uber.org/goleak"
)

// TestMain lets this test binary serve as a ProcessPool worker (process mode
// runs connections in worker processes that re-execute it), with the open
// files limit a test asked for (lowerFileLimit), and checks that no test
// leaks a goroutine; it also plays the child roles (idleServerRole).
func TestMain(m *testing.M) {
	if err := lowerFileLimit(); err != nil {
		panic(err)
	}
	executor.Init()
	childtest.Serve(map[string]func(string) int{idleServerRole: idleServerChild})
	goleak.VerifyTestMain(m)
}
