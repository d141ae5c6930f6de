package redisfrontier

import (
	"context"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/poolscrape/poolscrape/internal/frontiertest"
	"github.com/poolscrape/poolscrape/internal/redistest"
	"github.com/poolscrape/poolscrape/internal/testsite"
	"github.com/poolscrape/poolscrape/scrape"
	"github.com/poolscrape/poolscrape/scrape/record"
)

// TestThreeCrawlersShareOneJob runs three crawlers, each with its own
// client and Frontier as separate processes would have, on one job: together
// they record every expected page exactly once, at its depth, and the
// per-host limit holds across them.
func TestThreeCrawlersShareOneJob(t *testing.T) {
	job := redistest.Job(t)
	site, err := testsite.New(testsite.Config{Latency: 2 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(site.Handler())
	defer srv.Close()
	outs := make([]*frontiertest.Records, 3)
	var wg sync.WaitGroup
	for i := range outs {
		outs[i] = &frontiertest.Records{}
		f := joinT(t, job, Config{Poll: 5 * time.Millisecond})
		cfg := scrape.Config{
			Starts: []string{srv.URL + "/"}, Depth: 3, Concurrency: 4, IgnoreRobots: true,
			Output: outs[i], Frontier: f, Gate: f.NewGate(GateConfig{PerHost: 3, Poll: 2 * time.Millisecond}),
		}
		c, err := scrape.New(cfg)
		if err != nil {
			t.Fatal(err)
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := c.Run(context.Background()); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	want, err := site.ExpectedIgnoringRobots(3)
	if err != nil {
		t.Fatal(err)
	}
	var all []record.Record
	busy := 0
	for _, o := range outs {
		recs := o.All()
		if len(recs) > 0 {
			busy++
		}
		all = append(all, recs...)
	}
	frontiertest.EachOnce(t, want, all)
	if busy < 2 {
		t.Errorf("only %d of 3 crawlers recorded pages", busy)
	}
}
