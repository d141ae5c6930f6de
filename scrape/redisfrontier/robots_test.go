package redisfrontier

import (
	"context"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/poolscrape/poolscrape/internal/frontiertest"
	"github.com/poolscrape/poolscrape/internal/hostile"
	"github.com/poolscrape/poolscrape/internal/redistest"
	"github.com/poolscrape/poolscrape/scrape"
)

// crawlShared runs n crawlers on one job, each with its own client, over a
// gate with delay, and returns the warnings they gave.
func crawlShared(t *testing.T, n int, start string, delay time.Duration, cfg scrape.Config) []string {
	t.Helper()
	job := redistest.Job(t)
	var mu sync.Mutex
	var warns []string
	var wg sync.WaitGroup
	for range n {
		f := joinT(t, job, Config{Poll: 5 * time.Millisecond})
		c := cfg
		c.Starts, c.Output = []string{start}, &frontiertest.Records{}
		c.Frontier, c.Gate = f, f.NewGate(GateConfig{PerHost: 4, Delay: delay, Poll: 2 * time.Millisecond})
		c.Warn = func(msg string) { mu.Lock(); warns = append(warns, msg); mu.Unlock() }
		cr, err := scrape.New(c)
		if err != nil {
			t.Fatal(err)
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := cr.Run(context.Background()); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	return warns
}

// TestSharedGateRobots: with the Redis gate, each process's robots.txt
// request keeps the job's delay to the host like any fetch (arrivals never
// closer than the delay, less a little for jitter).
func TestSharedGateRobots(t *testing.T) {
	site := &hostile.Robots{Answers: []hostile.RobotsAnswer{{Body: "User-agent: *\nDisallow: /private/\n"}}, Pages: 2}
	srv := httptest.NewServer(site)
	defer srv.Close()
	crawlShared(t, 2, srv.URL+"/", 150*time.Millisecond, scrape.Config{Depth: 1})
	arr := site.Arrivals()
	if site.Hits("/robots.txt") != 2 || site.PageHits() != 3 {
		t.Errorf("requests %v: want robots.txt once per process and 3 pages", arr)
	}
	for i := 1; i < len(arr); i++ {
		if gap := arr[i].At.Sub(arr[i-1].At); gap < 140*time.Millisecond {
			t.Errorf("%s %v after %s, want at least the 150ms delay", arr[i].Path, gap, arr[i-1].Path)
		}
	}
}

// TestSharedGateMaxDelay: an absurd Crawl-delay reaches the Redis gate
// capped at MaxDelay: the shared crawl ends, with a warning.
func TestSharedGateMaxDelay(t *testing.T) {
	site := &hostile.Robots{Answers: []hostile.RobotsAnswer{{Body: "User-agent: *\nCrawl-delay: 100000000\n"}}, Pages: 3}
	srv := httptest.NewServer(site)
	defer srv.Close()
	warns := crawlShared(t, 2, srv.URL+"/", 0, scrape.Config{Depth: 1, MaxDelay: 50 * time.Millisecond})
	if n := site.PageHits(); n != 5 {
		t.Errorf("%d pages fetched, want 5", n)
	}
	if len(warns) == 0 || !strings.Contains(warns[0], "Crawl-delay of 27777h46m40s") {
		t.Errorf("warnings %q, want the Crawl-delay named", warns)
	}
}
