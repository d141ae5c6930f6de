package scrape

import (
	"testing"

	"github.com/poolscrape/poolscrape/executor"
	"go.uber.org/goleak"
)

// TestMain serves extraction tasks when run as a worker process (the
// process-pool tests), then checks for leaked goroutines.
func TestMain(m *testing.M) {
	executor.Init()
	goleak.VerifyTestMain(m)
}
