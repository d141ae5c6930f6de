package main

import (
	"bytes"
	"strings"
	"testing"

	"github.com/poolscrape/poolscrape/scrape"
)

// TestBarProgress: the crawl's progress bar counts up to the URLs
// discovered, and clears its line at the end (the bar redraws at most every
// 100ms, so the count itself is not checked here).
func TestBarProgress(t *testing.T) {
	var buf bytes.Buffer
	p := newBarProgress(&buf)
	p.Update(3, 10, 1)
	if s := buf.String(); !strings.Contains(s, "crawl") || !strings.Contains(s, "/10") {
		t.Errorf("bar %q, want crawling, of 10", s)
	}
	p.Finish()
	if s := buf.String(); !strings.HasSuffix(s, "\r") || !strings.Contains(s[strings.LastIndexByte(s[:len(s)-1], '\r'):], "     ") {
		t.Errorf("bar %q not cleared at the end", s)
	}
}

// TestBarDescription: the bar says what it counts, failed records by kind
// (a 404 is a failure, not hidden behind "0 errors").
func TestBarDescription(t *testing.T) {
	got := barDescription(scrape.ProgressCounts{Done: 100, Discovered: 200, Errors: 40, Errors4xx: 30, Errors5xx: 7})
	if want := "crawl (this run: 100 pages, failed: 30 4xx, 7 5xx, 3 network/other)"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
	if got := barDescription(scrape.ProgressCounts{Done: 1}); got != "crawl (this run: 1 pages, 0 failed)" {
		t.Errorf("no failure: %q", got)
	}
}
