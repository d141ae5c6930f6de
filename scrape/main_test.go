package scrape

import (
	"testing"

	"github.com/poolscrape/poolscrape/executor"
	"github.com/poolscrape/poolscrape/internal/childtest"
	"github.com/poolscrape/poolscrape/internal/sitechild"
	"go.uber.org/goleak"
)

// TestMain serves extraction tasks when run as a worker process (the
// process-pool tests), serves a site when run as a child (package
// sitechild, for BenchmarkCrawlVsGoFloor), then checks for leaked
// goroutines.
func TestMain(m *testing.M) {
	executor.Init()
	childtest.Serve(map[string]func(string) int{sitechild.Role: sitechild.Serve})
	goleak.VerifyTestMain(m)
}
