package scrape

import (
	"context"
	"net/http"
	"net/http/httptest"
	"regexp"
	"runtime"
	"strconv"
	"testing"
	"time"

	"github.com/poolscrape/poolscrape/internal/collybaseline"
	"github.com/poolscrape/poolscrape/internal/testsite"
	"github.com/poolscrape/poolscrape/scrape/record"
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

func (discard) Write(record.Record) error { return nil }

// BenchmarkCrawlVsColly crawls the same loopback site with poolscrape and
// with a bare colly crawler (collybaseline.Crawl) at the same concurrency and with
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
		n, err := collybaseline.Crawl(context.Background(), srv.URL+"/", conc, benchRegexes())
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
			if _, err := f.MarkSeen(context.Background(), u, ""); err != nil {
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

// BenchmarkRegexRule runs each of the synthetic site's regex rules on its
// pages the old way (the engine over the whole page) and the new way
// (eachMatch: literal prefilter and line windows) in the same run, and
// reports both rates and the ratio new/old.
func BenchmarkRegexRule(b *testing.B) {
	pages := benchPages(b, 200)
	for _, r := range testsite.Rules {
		if r.Kind != "regex" {
			continue
		}
		re := regexp.MustCompile(r.Expr)
		b.Run(r.Name, func(b *testing.B) {
			full := func(text string, fn func([]int)) { matchRange(re, planFor(re).contextFree, text, 0, len(text), fn) }
			windowed := func(text string, fn func([]int)) { eachMatch(re, text, fn) }
			var oldTime, newTime time.Duration
			for i := 0; b.Loop(); i++ { // alternate which goes first
				if i%2 == 0 {
					oldTime += timeMatches(re, pages, full)
				}
				newTime += timeMatches(re, pages, windowed)
				if i%2 == 1 {
					oldTime += timeMatches(re, pages, full)
				}
			}
			n := float64(b.N * len(pages))
			b.ReportMetric(n/oldTime.Seconds(), "old-pages/s")
			b.ReportMetric(n/newTime.Seconds(), "new-pages/s")
			b.ReportMetric(oldTime.Seconds()/newTime.Seconds(), "ratio")
		})
	}
}

// timeMatches collects the distinct matches of re (first group if any) on
// every page with match, as regexMatches does, and checks the count.
func timeMatches(re *regexp.Regexp, pages []string, match func(string, func([]int))) time.Duration {
	group := min(re.NumSubexp(), 1)
	t0 := time.Now()
	found := 0
	for _, text := range pages {
		var set orderedSet
		match(text, func(idx []int) {
			if idx[2*group] >= 0 {
				set.add(text[idx[2*group]:idx[2*group+1]])
			}
		})
		found += len(set.items)
	}
	d := time.Since(t0)
	if found == 0 {
		panic("no matches on the synthetic pages: " + re.String())
	}
	return d
}

// benchPages returns the bodies of the synthetic site's pages /page/1 ...
// /page/n, from its handler.
func benchPages(b testing.TB, n int) []string {
	b.Helper()
	site, err := testsite.New(testsite.Config{Pages: n + 1, Fanout: 4, Plain: true})
	if err != nil {
		b.Fatal(err)
	}
	h := site.Handler()
	pages := make([]string, n)
	for i := range pages {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/page/"+strconv.Itoa(i+1), nil))
		if rec.Code != http.StatusOK {
			b.Fatalf("/page/%d: status %d", i+1, rec.Code)
		}
		pages[i] = rec.Body.String()
	}
	return pages
}
