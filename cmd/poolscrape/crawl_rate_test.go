package main

import (
	"net/http/httptest"
	"path/filepath"
	"testing"
	"time"

	"github.com/poolscrape/poolscrape/internal/ordertest"
	"github.com/poolscrape/poolscrape/scrape"
)

// leastSpan is the least time n requests take at rate a second with
// scrape.RateBurst, halved: a tolerance for the network's jitter (without
// a limit, they take milliseconds).
func leastSpan(n int, rate float64) time.Duration {
	return time.Duration(float64(n-scrape.RateBurst) / rate * float64(time.Second) / 2)
}

// TestCrawlRateFlag: --rate 20 holds the requests (robots.txt included) to
// 20 a second, in memory, with --state and with --redis.
func TestCrawlRateFlag(t *testing.T) {
	bin := scaleBinary(t)
	for name, backend := range frontierFlags {
		t.Run(name, func(t *testing.T) {
			site := &arrivals{}
			srv := httptest.NewServer(site)
			defer srv.Close()
			dir := t.TempDir()
			args := append([]string{"--rate", "20", "-c", "8", "--per-host", "8", "--progress", "never",
				"-o", filepath.Join(dir, "out.jsonl")}, backend(t, dir)...)
			code, stderr := runCrawlBin(t, bin, append(args, srv.URL+"/")...)
			if code != 0 {
				t.Fatalf("exit %d: %s", code, stderr)
			}
			n, span := site.span()
			if want := len(ordertest.Want[scrape.OrderBreadth]) + 1; n != want {
				t.Fatalf("%d requests, want %d (the tree and robots.txt)", n, want)
			}
			if least := leastSpan(n, 20); span < least {
				t.Errorf("%d requests in %v at --rate 20: want at least %v", n, span, least)
			}
		})
	}
}
