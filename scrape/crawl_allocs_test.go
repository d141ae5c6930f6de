package scrape

import (
	"context"
	"runtime"
	"testing"

	"github.com/poolscrape/poolscrape/internal/sitechild"
	"github.com/poolscrape/poolscrape/internal/testsite"
)

// maxCrawlAllocsPerPage is the ceiling of TestCrawlAllocationsPerPage: a
// crawl of the plain synthetic site with its regex rules (the site served
// by a child process, so the allocations are the crawler's alone) took
// 226.8 allocations per page before the executor's futures kept their first
// done-callbacks inline and stopped registering a context.AfterFunc for a
// task handed straight to a worker, and before the scheduler stopped making
// a method value per Pop (218.8), and before a page's closures and
// bookkeeping came in a reused flight (214.1), and before a running task
// with a WithContext context stopped registering a context.AfterFunc on its
// pool's context; it takes 210.9 (Go 1.26). The ceiling leaves room for the
// run-to-run spread.
const maxCrawlAllocsPerPage = 213

// TestCrawlAllocationsPerPage: a whole crawl allocates at most
// maxCrawlAllocsPerPage times per page, fetch, extraction, pipeline and
// frontier included.
func TestCrawlAllocationsPerPage(t *testing.T) {
	if raceOn {
		t.Skip("the race detector allocates, and sync.Pool drops items at random")
	}
	start := sitechild.Start(t, testsite.Config{Pages: 400, Fanout: 4, Plain: true}).URL + "/"
	if _, err := crawlPoolscrape(context.Background(), start, 4); err != nil { // warm: pools, connections
		t.Fatal(err)
	}
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	pages, err := crawlPoolscrape(context.Background(), start, 4)
	runtime.ReadMemStats(&after)
	if err != nil {
		t.Fatal(err)
	}
	if pages < 400 {
		t.Fatalf("crawled %d pages, want at least 400", pages)
	}
	perPage := float64(after.Mallocs-before.Mallocs) / float64(pages)
	t.Logf("%d pages, %.1f allocations and %.0f bytes per page", pages, perPage, float64(after.TotalAlloc-before.TotalAlloc)/float64(pages))
	if perPage > maxCrawlAllocsPerPage {
		t.Errorf("%.1f allocations per page, want at most %d", perPage, maxCrawlAllocsPerPage)
	}
}
