package scrape

import (
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/poolscrape/poolscrape/internal/hostile"
)

// TestCrawlFailureRecords: a record has an error exactly when it failed: a
// final 4xx or 5xx says "HTTP 404 Not Found" and the like, a redirect loop
// names the URL it came back to, a chain over the limit says so; a body
// not downloaded (not textual, or declared over MaxBody) counts 0 bytes, a
// kept one its length; the stats' errors and bytes
// add the records up.
func TestCrawlFailureRecords(t *testing.T) {
	srv := httptest.NewServer(hostile.DeadEnds{})
	t.Cleanup(srv.Close)
	out, stats := crawl(t, srv, Config{Depth: 1, Retries: 1})
	got := out.byPath(t)
	want := map[string]string{ // path → what its error must say
		"/":        "",
		"/gone":    "HTTP 404 Not Found",
		"/boom":    "HTTP 500 Internal Server Error",
		"/self":    "redirect loop: " + srv.URL + "/self redirects back to " + srv.URL + "/self",
		"/loop1":   "redirect loop: " + srv.URL + "/loop1 redirects back to " + srv.URL + "/loop2",
		"/chain/0": "too many redirects: stopped after 10 redirects",
		"/photo":   "",
		"/huge":    "Content-Length 1073741824",
		"/page":    "",
	}
	var errs, bytes int64
	for p, msg := range want {
		rec, ok := got[p]
		if !ok {
			t.Errorf("%s not recorded", p)
			continue
		}
		if (msg == "") != (rec.Error == "") || !strings.Contains(rec.Error, msg) {
			t.Errorf("%s: status %d, error %q; want one containing %q", p, rec.Status, rec.Error, msg)
		}
		if rec.Error != "" {
			errs++
		}
		bytes += rec.Bytes
	}
	if got["/photo"].Bytes != 0 {
		t.Errorf("/photo (body skipped): bytes %d, want 0", got["/photo"].Bytes)
	}
	if got["/huge"].Bytes != 0 {
		t.Errorf("/huge (body refused on its Content-Length): bytes %d, want 0", got["/huge"].Bytes)
	}
	if got["/page"].Bytes != int64(len(hostile.DeadEndsPage)) {
		t.Errorf("/page: bytes %d, want %d", got["/page"].Bytes, len(hostile.DeadEndsPage))
	}
	if stats.Errors != errs || stats.Bytes != bytes {
		t.Errorf("stats: errors %d, bytes %d; the records add up to %d, %d", stats.Errors, stats.Bytes, errs, bytes)
	}
}

// TestCrawlStartURL404CountsAsError: a crawl whose only start URL ends in
// 404 reports an error and the start URL as failed.
func TestCrawlStartURL404CountsAsError(t *testing.T) {
	srv := httptest.NewServer(hostile.DeadEnds{})
	t.Cleanup(srv.Close)
	out, stats := crawl(t, srv, Config{Depth: 1, Starts: []string{srv.URL + "/gone"}})
	if rec := out.byPath(t)["/gone"]; rec.Status != 404 || rec.Error != "HTTP 404 Not Found" {
		t.Errorf("/gone: status %d, error %q", rec.Status, rec.Error)
	}
	if stats.Errors != 1 || stats.StartFailed != 1 {
		t.Errorf("stats: errors %d, start failed %d; want 1, 1", stats.Errors, stats.StartFailed)
	}
}
