package scrape

import (
	"context"
	"regexp"
	"runtime"
	"strconv"
	"testing"
	"time"

	"github.com/poolscrape/poolscrape/internal/testsite"
)

// benchSite is the site both crawlers crawl: plain (no one-off pages, no
// trap), so an unlimited crawl ends, and both see the same pages.
func benchSite(b *testing.B, latency time.Duration) *testsite.Server {
	b.Helper()
	site, err := testsite.New(testsite.Config{Pages: 3000, Fanout: 4, Plain: true, Latency: latency})
	if err != nil {
		b.Fatal(err)
	}
	srv, err := site.Start("")
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { _ = srv.Close(context.Background()) })
	return srv
}

// benchRegexes are the site's regex rules.
func benchRegexes() []*regexp.Regexp {
	var out []*regexp.Regexp
	for _, r := range testsite.Rules {
		if r.Kind == "regex" {
			out = append(out, regexp.MustCompile(r.Expr))
		}
	}
	return out
}

type discard struct{}

func (discard) Write(Record) error { return nil }

// BenchmarkCrawlVsColly crawls the same loopback site with poolscrape and
// with a bare colly crawler (CollyBaseline) at the same concurrency and with
// the same regexes, alternating, and reports both rates and their ratio.
func BenchmarkCrawlVsColly(b *testing.B) {
	for _, latency := range []time.Duration{0, 5 * time.Millisecond} {
		b.Run("latency="+latency.String(), func(b *testing.B) { benchVsColly(b, latency) })
	}
}

func benchVsColly(b *testing.B, latency time.Duration) {
	const conc = 16
	srv := benchSite(b, latency)
	var rules []Rule
	for _, r := range testsite.Rules {
		if r.Kind == "regex" {
			rules = append(rules, Rule{Name: r.Name, Kind: RegexRule, Pattern: r.Expr})
		}
	}
	var ourPages, collyPages int64
	var ourTime, collyTime time.Duration
	for b.Loop() {
		t0 := time.Now()
		c, err := New(Config{Starts: []string{srv.URL + "/"}, Depth: -1, Concurrency: conc, PerHost: conc, Rules: rules, Output: discard{}})
		if err != nil {
			b.Fatal(err)
		}
		s, err := c.Run(context.Background())
		if err != nil {
			b.Fatal(err)
		}
		ourTime += time.Since(t0)
		ourPages += s.Pages
		t1 := time.Now()
		n, err := CollyBaseline(context.Background(), srv.URL+"/", conc, benchRegexes())
		if err != nil {
			b.Fatal(err)
		}
		collyTime += time.Since(t1)
		collyPages += n
	}
	ours := float64(ourPages) / ourTime.Seconds()
	theirs := float64(collyPages) / collyTime.Seconds()
	b.ReportMetric(ours, "poolscrape-pages/s")
	b.ReportMetric(theirs, "colly-pages/s")
	b.ReportMetric(ours/theirs, "ratio")
}

// BenchmarkSeenSetMemory measures the frontier's memory per seen URL at a
// million URLs (MarkSeen, so only the seen set grows), from
// runtime.MemStats before and after.
func BenchmarkSeenSetMemory(b *testing.B) {
	const n = 1_000_000
	urls := make([]string, n)
	for i := range urls {
		urls[i] = "http://example.test/page/" + strconv.Itoa(i) + "?q=" + strconv.Itoa(i*7)
	}
	var perURL float64
	for b.Loop() {
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		f := NewMemoryFrontier()
		for _, u := range urls {
			if _, err := f.MarkSeen(context.Background(), u); err != nil {
				b.Fatal(err)
			}
		}
		runtime.GC()
		runtime.ReadMemStats(&after)
		perURL = float64(after.HeapAlloc-before.HeapAlloc) / n
		runtime.KeepAlive(f)
	}
	var strBytes int
	for _, u := range urls {
		strBytes += len(u) + 16
	}
	b.ReportMetric(perURL, "bytes/URL")
	b.ReportMetric(float64(strBytes)/n, "string-bytes/URL")
}
