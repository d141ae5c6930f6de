package scrape

import (
	"net/http/httptest"
	"testing"
	"time"
)

// TestCrawlMaxTime: a crawl held to 10 requests a second stops after
// MaxTime with some of its pages, each recorded whole, StoppedBy
// StoppedByMaxTime and not Interrupted; one that finishes first has no
// StoppedBy.
func TestCrawlMaxTime(t *testing.T) {
	srv := httptest.NewServer(&rateSite{})
	defer srv.Close()
	out, stats := crawl(t, srv, Config{Depth: 1, Rate: 10, MaxTime: 500 * time.Millisecond, Rules: []Rule{}})
	if stats.StoppedBy != StoppedByMaxTime || stats.Interrupted {
		t.Errorf("StoppedBy %q, Interrupted %v: want %q, false", stats.StoppedBy, stats.Interrupted, StoppedByMaxTime)
	}
	if n := len(out.recs); n == 0 || n >= 26 {
		t.Errorf("%d records: want some of the 26, not all", n)
	}
	for _, r := range out.recs {
		if r.Error != "" {
			t.Errorf("%s: %s; want in-flight fetches to finish", r.URL, r.Error)
		}
	}
	_, stats = crawl(t, srv, Config{Depth: 1, MaxTime: time.Minute, Rules: []Rule{}})
	if stats.StoppedBy != "" || stats.Pages != 26 {
		t.Errorf("a crawl done in time: StoppedBy %q, %d pages; want \"\", 26", stats.StoppedBy, stats.Pages)
	}
}
