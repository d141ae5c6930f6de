package redisfrontier

import (
	"testing"
	"time"

	"github.com/poolscrape/poolscrape/internal/frontiertest"
	"github.com/poolscrape/poolscrape/internal/redistest"
	"github.com/poolscrape/poolscrape/scrape"
)

// TestCrawlRedirectTargetFailingOnceIsRetried: with the shared frontier,
// a redirect target that fails once is unmarked for the retry, which
// follows the chain again (frontiertest.RedirectTargetFailingOnceIsRetried).
func TestCrawlRedirectTargetFailingOnceIsRetried(t *testing.T) {
	frontiertest.RedirectTargetFailingOnceIsRetried(t, func(t *testing.T) scrape.Frontier {
		return joinT(t, redistest.Job(t), Config{Poll: 5 * time.Millisecond})
	})
}
