package echo

import (
	"testing"

	"github.com/poolscrape/poolscrape/executor"
	"go.uber.org/goleak"
)

// TestMain lets this test binary serve as a ProcessPool worker (process mode
// runs connections in worker processes that re-execute it), and checks that
// no test leaks a goroutine.
func TestMain(m *testing.M) {
	executor.Init()
	goleak.VerifyTestMain(m)
}
