package main

import (
	"bytes"
	"strings"
	"testing"
)

// TestBarProgress: the crawl's progress bar counts up to the URLs
// discovered, and clears its line at the end (the bar redraws at most every
// 100ms, so the count itself is not checked here).
func TestBarProgress(t *testing.T) {
	var buf bytes.Buffer
	p := newBarProgress(&buf)
	p.Update(3, 10, 1)
	if s := buf.String(); !strings.Contains(s, "crawling") || !strings.Contains(s, "/10") {
		t.Errorf("bar %q, want crawling, of 10", s)
	}
	p.Finish()
	if s := buf.String(); !strings.HasSuffix(s, "\r") || !strings.Contains(s[strings.LastIndexByte(s[:len(s)-1], '\r'):], "     ") {
		t.Errorf("bar %q not cleared at the end", s)
	}
}
