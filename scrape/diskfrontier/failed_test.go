package diskfrontier

import (
	"context"
	"testing"

	"github.com/poolscrape/poolscrape/internal/frontiertest"
	"github.com/poolscrape/poolscrape/scrape"
)

// TestCrawlAcksErrorRecordsAsFailed: the crawler acks a URL whose record
// has an error as Failed, the others as Done, and the counters keep them
// apart, in Progress and across a reopen
// (frontiertest.ErrorRecordsAckedAsFailed).
func TestCrawlAcksErrorRecordsAsFailed(t *testing.T) {
	dir := t.TempDir()
	progress := func(t *testing.T, f scrape.Frontier) (int64, int64) {
		p := f.(*Frontier).Progress()
		return p.Done, p.Failed
	}
	reopened := func(t *testing.T, f scrape.Frontier) (int64, int64) {
		if err := f.(*Frontier).Close(context.Background()); err != nil {
			t.Fatal(err)
		}
		return progress(t, openT(t, dir, Config{}))
	}
	frontiertest.ErrorRecordsAckedAsFailed(t, func(t *testing.T) scrape.Frontier {
		return openT(t, dir, Config{})
	}, progress, reopened)
}
