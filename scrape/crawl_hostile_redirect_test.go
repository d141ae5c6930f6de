package scrape

import (
	"net/http/httptest"
	"testing"
	"time"

	"github.com/poolscrape/poolscrape/internal/hostile"
	"github.com/poolscrape/poolscrape/scrape/record"
)

// flakyRedirectCases are the chains of hostile.FlakyRedirect that fail
// once: at the last hop or in the middle, by a 503 or a timeout.
var flakyRedirectCases = []struct {
	name    string
	failAt  string
	failure hostile.Failure
}{
	{"target 503", "/target", hostile.Fail503},
	{"target timeout", "/target", hostile.FailHang},
	{"middle hop 503", "/hop", hostile.Fail503},
	{"middle hop timeout", "/hop", hostile.FailHang},
}

// TestCrawlRedirectTargetFailingOnceIsRetried: a start URL redirecting
// through a chain one hop of which fails once (503 or a timeout) is retried
// through the whole chain: its record is the target's 200, the target's
// links are crawled, and no record carries an error.
func TestCrawlRedirectTargetFailingOnceIsRetried(t *testing.T) {
	for _, tc := range flakyRedirectCases {
		t.Run(tc.name, func(t *testing.T) {
			site := &hostile.FlakyRedirect{FailAt: tc.failAt, Failure: tc.failure}
			srv := httptest.NewServer(site)
			t.Cleanup(srv.Close)
			out, stats := crawl(t, srv, Config{Depth: 2, Starts: []string{srv.URL + "/start"}, Timeout: 500 * time.Millisecond})
			checkFlakyRedirect(t, out.byPath(t), stats)
			if n := site.Hits("/target"); n > 2 {
				t.Errorf("/target requested %d times, want at most 2", n)
			}
		})
	}
}

// checkFlakyRedirect checks the records of a crawl of hostile.FlakyRedirect.
func checkFlakyRedirect(t *testing.T, got map[string]record.Record, stats Stats) {
	t.Helper()
	start := got["/start"]
	if start.Status != 200 || start.Title != "Target" || start.Error != "" || pathOf(t, start.FinalURL) != "/target" {
		t.Errorf("/start: %+v, want the 200 of /target", start)
	}
	if rec, ok := got["/below"]; !ok || rec.Status != 200 {
		t.Errorf("/below (linked from the redirect target): %+v, want a 200 record", rec)
	}
	if stats.Errors != 0 || stats.Retries != 1 || stats.Pages != 2 {
		t.Errorf("stats: %d pages, %d errors, %d retries; want 2, 0, 1", stats.Pages, stats.Errors, stats.Retries)
	}
}
