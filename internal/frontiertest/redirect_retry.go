package frontiertest

import (
	"context"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/poolscrape/poolscrape/internal/hostile"
	"github.com/poolscrape/poolscrape/scrape"
)

// RedirectTargetFailingOnceIsRetried checks that, with the frontiers open
// makes, a redirect target that fails once (503 or a timeout) is unmarked
// for the retry, which follows the chain again: the start URL's record is
// the target's 200 and the target's links are crawled.
func RedirectTargetFailingOnceIsRetried(t *testing.T, open Open) {
	for name, failure := range map[string]hostile.Failure{"503": hostile.Fail503, "timeout": hostile.FailHang} {
		t.Run(name, func(t *testing.T) {
			site := &hostile.FlakyRedirect{FailAt: "/target", Failure: failure}
			srv := httptest.NewServer(site)
			t.Cleanup(srv.Close)
			out := &Records{}
			// The timeout is what the hang costs, and long enough that no
			// answer of a slow machine's loopback server times out.
			c, err := scrape.New(scrape.Config{
				Starts: []string{srv.URL + "/start"}, Depth: 2, Output: out, IgnoreRobots: true,
				Retries: 2, RetryBackoff: 10 * time.Millisecond, Timeout: 3 * time.Second, Frontier: open(t),
			})
			if err != nil {
				t.Fatal(err)
			}
			stats, err := c.Run(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			got := out.ByPath(t)
			if r := got["/start"]; r.Status != 200 || r.Title != "Target" || r.Error != "" {
				t.Errorf("/start: %+v, want the 200 of /target", r)
			}
			if r, ok := got["/below"]; !ok || r.Status != 200 {
				t.Errorf("/below: %+v, want a 200 record", r)
			}
			if n := len(out.All()); stats.Errors != 0 || stats.Retries != 1 || n != 2 {
				t.Errorf("%d records, %d errors, %d retries; want 2, 0, 1", n, stats.Errors, stats.Retries)
			}
		})
	}
}
