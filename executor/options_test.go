package executor_test

import (
	"testing"
	"time"

	"github.com/poolscrape/poolscrape/executor"
)

// The options both pools honour are both kinds of option; the compiler
// refuses a process option given to NewThreadPool, since it is not a
// ThreadOption.
var (
	_ executor.ThreadOption  = executor.WithQueueSize(1)
	_ executor.ProcessOption = executor.WithQueueSize(1)
	_ executor.ThreadOption  = executor.WithNonBlocking()
	_ executor.ProcessOption = executor.WithNonBlocking()
)

// TestProcessOptionsAreNotThreadOptions checks that no option a ThreadPool
// cannot honour satisfies ThreadOption, even through a type assertion.
func TestProcessOptionsAreNotThreadOptions(t *testing.T) {
	processOnly := map[string]executor.ProcessOption{
		"WithInFlight":          executor.WithInFlight(2),
		"WithMaxTasksPerWorker": executor.WithMaxTasksPerWorker(2),
		"WithInitializer":       executor.WithInitializer(initCount),
		"WithGracePeriod":       executor.WithGracePeriod(time.Second),
		"WithStderr":            executor.WithStderr(nil),
		"WithMaxFrame":          executor.WithMaxFrame(1),
	}
	for name, o := range processOnly {
		if _, ok := o.(executor.ThreadOption); ok {
			t.Errorf("%s is a ThreadOption, which a ThreadPool would silently ignore", name)
		}
	}
}
