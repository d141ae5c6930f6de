package diskfrontier

import (
	"context"
	"net/http/httptest"
	"os"
	"runtime"
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	"github.com/poolscrape/poolscrape/internal/testsite"
	"github.com/poolscrape/poolscrape/scrape"
	"github.com/poolscrape/poolscrape/scrape/record"
)

// countOnly is a record.Writer that only counts.
type countOnly struct{ n atomic.Int64 }

func (c *countOnly) Write(record.Record) error { c.n.Add(1); return nil }

// peakHeap samples the live heap every 20ms until stop is closed.
func peakHeap(stop <-chan struct{}) *atomic.Uint64 {
	var peak atomic.Uint64
	go func() {
		t := time.NewTicker(20 * time.Millisecond)
		defer t.Stop()
		var ms runtime.MemStats
		for {
			select {
			case <-stop:
				return
			case <-t.C:
				runtime.ReadMemStats(&ms)
				if ms.HeapAlloc > peak.Load() {
					peak.Store(ms.HeapAlloc)
				}
			}
		}
	}()
	return &peak
}

// crawlPeak crawls the whole site with frontier f (nil: in memory) and
// returns the records and the peak live heap above the baseline.
func crawlPeak(b *testing.B, url string, f scrape.Frontier) (int64, uint64, time.Duration) {
	runtime.GC()
	var base runtime.MemStats
	runtime.ReadMemStats(&base)
	out := &countOnly{}
	c, err := scrape.New(scrape.Config{Starts: []string{url}, Depth: -1, Concurrency: 16, PerHost: 16,
		IgnoreRobots: true, Output: out, Frontier: f, Pages: pagesOf(f)})
	if err != nil {
		b.Fatal(err)
	}
	stop := make(chan struct{})
	peak := peakHeap(stop)
	start := time.Now()
	if _, err := c.Run(context.Background()); err != nil {
		b.Fatal(err)
	}
	elapsed := time.Since(start)
	close(stop)
	p := peak.Load()
	if p < base.HeapAlloc {
		return out.n.Load(), 0, elapsed
	}
	return out.n.Load(), p - base.HeapAlloc, elapsed
}

// BenchmarkStateCrawlMemory crawls a Plain test site of
// POOLSCRAPE_BENCH_PAGES pages [200000] twice in one run, with the
// in-memory frontier and with the on-disk one, and reports each crawl's
// peak live heap (MB above the heap before it) and pages/s. Run:
//
//	go test -run '^$' -bench StateCrawlMemory -benchtime 1x ./scrape/diskfrontier
func BenchmarkStateCrawlMemory(b *testing.B) {
	pages := 200000
	if v, err := strconv.Atoi(os.Getenv("POOLSCRAPE_BENCH_PAGES")); err == nil && v > 0 {
		pages = v
	}
	site, err := testsite.New(testsite.Config{Pages: pages, Plain: true})
	if err != nil {
		b.Fatal(err)
	}
	srv := httptest.NewServer(site.Handler())
	defer srv.Close()
	for range b.N {
		nMem, heapMem, tMem := crawlPeak(b, srv.URL+"/", nil)
		f, err := Open(b.TempDir(), testID, Config{})
		if err != nil {
			b.Fatal(err)
		}
		nDisk, heapDisk, tDisk := crawlPeak(b, srv.URL+"/", f)
		f.Close(context.Background())
		if nMem != nDisk || nMem < int64(pages) {
			b.Fatalf("in memory %d records, on disk %d, want %d+", nMem, nDisk, pages)
		}
		b.ReportMetric(float64(heapMem)/1e6, "memory-peak-MB")
		b.ReportMetric(float64(heapDisk)/1e6, "state-peak-MB")
		b.ReportMetric(float64(nMem)/tMem.Seconds(), "memory-pages/s")
		b.ReportMetric(float64(nDisk)/tDisk.Seconds(), "state-pages/s")
		b.ReportMetric(float64(heapDisk)/float64(max(heapMem, 1)), "state/memory-heap")
	}
}

func pagesOf(f scrape.Frontier) scrape.PageStore {
	if p, ok := f.(scrape.PageStore); ok {
		return p
	}
	return nil
}
