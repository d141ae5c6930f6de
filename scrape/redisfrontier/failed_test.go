package redisfrontier

import (
	"context"
	"testing"

	"github.com/poolscrape/poolscrape/internal/frontiertest"
	"github.com/poolscrape/poolscrape/internal/redistest"
	"github.com/poolscrape/poolscrape/scrape"
)

// TestCrawlAcksErrorRecordsAsFailed: the crawler acks a URL whose record
// has an error as Failed, the others as Done: the job's counters, as
// Status reads them, keep them apart
// (frontiertest.ErrorRecordsAckedAsFailed).
func TestCrawlAcksErrorRecordsAsFailed(t *testing.T) {
	job := redistest.Job(t)
	status := func(t *testing.T, _ scrape.Frontier) (int64, int64) {
		cnt, ok, err := Status(context.Background(), redistest.Client(t), job, Config{})
		if err != nil || !ok {
			t.Fatalf("Status = %v, %v", ok, err)
		}
		return cnt.Done, cnt.Failed
	}
	frontiertest.ErrorRecordsAckedAsFailed(t, func(t *testing.T) scrape.Frontier {
		return joinT(t, job, Config{})
	}, status)
}
