package scrape

import (
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"

	"github.com/poolscrape/poolscrape/internal/hostile"
)

// TestCrawlCookieFlood: a server that sets 20 new cookies of 4 KB on each
// of 150 pages never gets a Cookie header over the jar's cap, nor more
// than the jar keeps for a domain; cookies still come back (small ones:
// the newest 50).
func TestCrawlCookieFlood(t *testing.T) {
	for _, size := range []int{4000, 100} {
		flood := &hostile.CookieFlood{Pages: 150, PerPage: 20, Size: size}
		srv := httptest.NewServer(flood)
		out, _ := crawl(t, srv, Config{Starts: []string{srv.URL + "/flood/0"}, Depth: -1, IgnoreRobots: true, Concurrency: 1, Rules: []Rule{}})
		srv.Close()
		if n := len(out.byPath(t)); n != flood.Pages {
			t.Fatalf("size %d: %d pages crawled, want %d", size, n, flood.Pages)
		}
		for n := 0; n < flood.Pages; n++ {
			h, _ := flood.Received(n)
			if len(h) > defaultJarLimits.headerBytes {
				t.Fatalf("size %d: page %d got a Cookie header of %d bytes, over %d", size, n, len(h), defaultJarLimits.headerBytes)
			}
			if c := strings.Count(h, "="); c > defaultJarLimits.perDomain {
				t.Fatalf("size %d: page %d got %d cookies, over %d", size, n, c, defaultJarLimits.perDomain)
			}
			switch {
			case n > 0 && h == "":
				t.Errorf("size %d: page %d got no cookie", size, n)
			case size == 100 && n > 0 && !strings.Contains(h, "p"+strconv.Itoa(n-1)+"_19="):
				// Small cookies all fit: the newest 50 are kept and sent.
				t.Errorf("size %d: page %d did not get the cookies of page %d: %.200q", size, n, n-1, h)
			}
		}
	}
}
