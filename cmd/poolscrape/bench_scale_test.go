package main

import (
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/poolscrape/poolscrape/internal/redistest"
	"github.com/poolscrape/poolscrape/internal/testsite"
)

// BenchmarkRedisThreeProcesses crawls a test site whose pages answer after
// 20 ms, first with one crawl process, then with three processes sharing
// one Redis job, with the same per-process flags (-c 4 and -c 8: each
// process is limited by its own concurrency; --per-host 64 so that the
// shared politeness limit is not the bottleneck), and reports both rates
// and their ratio (goal: 2.5x or more). On a 2-core machine -c 8 is bound
// by CPU: three crawlers, the site and Redis share the two cores. Pages/s counts records over the wall time
// from the first start to the last exit. Run:
//
//	POOLSCRAPE_TEST_REDIS=redis://127.0.0.1:6379/0 go test -run '^$' -bench RedisThreeProcesses -benchtime 1x ./cmd/poolscrape
func BenchmarkRedisThreeProcesses(b *testing.B) {
	redisURL := redistest.URL(b)
	bin := scaleBinary(b)
	site, base := serveSite(b, testsite.Config{Pages: 3000, Plain: true, Latency: 20 * time.Millisecond})
	want, err := site.Expected(-1)
	if err != nil {
		b.Fatal(err)
	}
	for _, conc := range []string{"4", "8"} {
		b.Run("c="+conc, func(b *testing.B) {
			for range b.N {
				one := crawlRate(b, bin, redisURL, base, conc, 1, len(want))
				three := crawlRate(b, bin, redisURL, base, conc, 3, len(want))
				b.ReportMetric(one, "1proc-pages/s")
				b.ReportMetric(three, "3proc-pages/s")
				b.ReportMetric(three/one, "speedup")
			}
		})
	}
}

// crawlRate runs n processes on a new job and returns the pages per second.
func crawlRate(b *testing.B, bin, redisURL, base, conc string, n, pages int) float64 {
	job := redistest.Job(b)
	dir := b.TempDir()
	start := time.Now()
	procs := make([]*crawlProc, n)
	for i := range procs {
		procs[i] = startCrawl(b, bin, "--redis", redisURL, "--job", job, "-d", "-1", "-c", conc, "--per-host", "64",
			"-q", "--ignore-robots", "-o", filepath.Join(dir, fmt.Sprintf("out%d.jsonl", i)), base+"/")
	}
	records := 0
	for i, p := range procs {
		if code := p.wait(b); code != 0 {
			b.Fatalf("process %d: exit %d\n%s", i, code, p.stderr.String())
		}
		records += len(recordPaths(b, filepath.Join(dir, fmt.Sprintf("out%d.jsonl", i))))
	}
	elapsed := time.Since(start)
	if records < pages {
		b.Fatalf("%d processes wrote %d records, want %d", n, records, pages)
	}
	return float64(records) / elapsed.Seconds()
}
