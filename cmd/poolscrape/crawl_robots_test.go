package main

import (
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/poolscrape/poolscrape/internal/hostile"
)

// TestCrawlCommandMaxDelay: a bad --max-delay exits 2 naming the flag and
// the value, before any request; a host's absurd Crawl-delay is capped by
// --max-delay, with one warning on stderr naming the host and the delay.
func TestCrawlCommandMaxDelay(t *testing.T) {
	bin := crawlBin(t)
	site := &hostile.Robots{Answers: []hostile.RobotsAnswer{{Body: "User-agent: *\nCrawl-delay: 100000000\n"}}, Pages: 3}
	srv := httptest.NewServer(site)
	defer srv.Close()
	for _, v := range []string{"-1s", "abc", "0"} {
		code, stderr := crawlRun(t, bin, "", "crawl", "-q", "--max-delay", v, srv.URL+"/")
		if code != 2 || !strings.Contains(stderr, "--max-delay") || !strings.Contains(stderr, v) {
			t.Errorf("--max-delay %s: exit %d, stderr %q; want 2 naming the flag and the value", v, code, stderr)
		}
	}
	if n := len(site.Arrivals()); n != 0 {
		t.Fatalf("bad --max-delay made %d requests", n)
	}
	out := filepath.Join(t.TempDir(), "out.jsonl")
	code, stderr := crawlRun(t, bin, "", "crawl", "-q", "-d", "1", "--max-delay", "50ms", "-o", out, srv.URL+"/")
	if code != 0 {
		t.Fatalf("exit %d; stderr:\n%s", code, stderr)
	}
	data, _ := os.ReadFile(out)
	if recs := parseJSONL(t, data); len(recs) != 5 {
		t.Errorf("%d records, want 5", len(recs))
	}
	host := strings.TrimPrefix(srv.URL, "http://")
	if n := strings.Count(stderr, "poolscrape: warning:"); n != 1 || !strings.Contains(stderr, host) || !strings.Contains(stderr, "Crawl-delay of 27777h46m40s") {
		t.Errorf("stderr %q: want one warning naming %s and the Crawl-delay asked for", stderr, host)
	}
}

// TestCrawlCommandRobotsUnreachable: a start URL whose robots.txt answers
// 503 is disallowed (RFC 9309): exit 1, saying robots.txt was unreachable
// and how.
func TestCrawlCommandRobotsUnreachable(t *testing.T) {
	bin := crawlBin(t)
	site := &hostile.Robots{Answers: []hostile.RobotsAnswer{{Status: 503}}, Pages: 3}
	srv := httptest.NewServer(site)
	defer srv.Close()
	code, stderr := crawlRun(t, bin, "", "crawl", "-q", "-o", os.DevNull, "--format", "jsonl", srv.URL+"/")
	if code != 1 || !strings.Contains(stderr, "robots.txt unreachable") || !strings.Contains(stderr, "HTTP 503") {
		t.Errorf("exit %d, stderr %q; want 1 saying robots.txt was unreachable with HTTP 503", code, stderr)
	}
	if n := site.PageHits(); n != 0 {
		t.Errorf("%d pages fetched from a host whose robots.txt is unreachable", n)
	}
}
