package diskfrontier

import (
	"context"
	"testing"

	"github.com/poolscrape/poolscrape/internal/frontiertest"
	"github.com/poolscrape/poolscrape/scrape"
)

// TestCrawlRedirectTargetFailingOnceIsRetried: with the on-disk frontier,
// a redirect target that fails once is unmarked for the retry, which
// follows the chain again (frontiertest.RedirectTargetFailingOnceIsRetried).
func TestCrawlRedirectTargetFailingOnceIsRetried(t *testing.T) {
	frontiertest.RedirectTargetFailingOnceIsRetried(t, func(t *testing.T) scrape.Frontier {
		f, err := Open(t.TempDir(), testID, Config{})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { f.Close(context.Background()) })
		return f
	})
}
