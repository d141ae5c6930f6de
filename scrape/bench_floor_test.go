package scrape

import (
	"context"
	"runtime"
	"testing"
	"time"

	"github.com/poolscrape/poolscrape/internal/collybaseline"
	"github.com/poolscrape/poolscrape/internal/gofloor"
	"github.com/poolscrape/poolscrape/internal/sitechild"
	"github.com/poolscrape/poolscrape/internal/testsite"
)

// BenchmarkCrawlVsGoFloor crawls benchSite's site (served by a child
// process, so that this process's CPU is the crawlers' alone) with
// poolscrape, with the bare Go floor (gofloor.Crawl) and with bare colly
// (collybaseline.Crawl), at concurrency 16 with the site's regex rules,
// taking turns in a rotating order. It reports each one's pages/s and
// process CPU (user+system, getrusage) per page, and poolscrape's ratios to
// the floor's: of CPU per page (issue 13's goal: at most 0.6) and of
// pages/s; and poolscrape's ratio of CPU per page to colly's.
func BenchmarkCrawlVsGoFloor(b *testing.B) {
	if _, err := processCPU(); err != nil {
		b.Skip(err)
	}
	const conc = 16
	start := sitechild.Start(b, testsite.Config{Pages: 3000, Fanout: 4, Plain: true}).URL + "/"
	regexes := benchRegexes()
	runs := []*crawlRun{
		{name: "poolscrape", crawl: func(ctx context.Context) (int64, error) { return crawlPoolscrape(ctx, start, conc) }},
		{name: "floor", crawl: func(ctx context.Context) (int64, error) { return gofloor.Crawl(ctx, start, conc, regexes) }},
		{name: "colly", crawl: func(ctx context.Context) (int64, error) { return collybaseline.Crawl(ctx, start, conc, regexes) }},
	}
	for i := 0; b.Loop(); i++ {
		for j := range runs {
			runs[(i+j)%len(runs)].measure(b)
		}
	}
	ours, floor, colly := runs[0], runs[1], runs[2]
	if ours.pages != floor.pages {
		b.Fatalf("poolscrape got %d pages, the floor %d: not the same crawl", ours.pages, floor.pages)
	}
	for _, r := range runs {
		b.ReportMetric(r.rate(), r.name+"-pages/s")
		b.ReportMetric(r.cpuPerPage(), r.name+"-cpu-us/page")
	}
	b.ReportMetric(ours.cpuPerPage()/floor.cpuPerPage(), "cpu/page-ratio")
	b.ReportMetric(ours.rate()/floor.rate(), "pages/s-ratio")
	b.ReportMetric(ours.cpuPerPage()/colly.cpuPerPage(), "colly-cpu/page-ratio")
}

// crawlRun is one crawler's totals over a benchmark's turns.
type crawlRun struct {
	name  string
	crawl func(context.Context) (int64, error)

	pages     int64
	wall, cpu time.Duration
}

// measure runs one crawl, after a garbage collection so that it does not
// pay for the garbage of the crawl before it, and adds its pages, wall
// time and process CPU time to r.
func (r *crawlRun) measure(b *testing.B) {
	runtime.GC()
	cpu0, err := processCPU()
	if err != nil {
		b.Fatal(err)
	}
	t0 := time.Now()
	n, err := r.crawl(context.Background())
	wall := time.Since(t0)
	cpu1, cerr := processCPU()
	if err != nil || cerr != nil {
		b.Fatalf("%s: %v %v", r.name, err, cerr)
	}
	r.pages += n
	r.wall += wall
	r.cpu += cpu1 - cpu0
}

func (r *crawlRun) rate() float64 { return float64(r.pages) / r.wall.Seconds() }

// cpuPerPage is in microseconds.
func (r *crawlRun) cpuPerPage() float64 {
	return float64(r.cpu.Microseconds()) / float64(r.pages)
}

// crawlPoolscrape crawls all of start's site as benchVsColly does and
// returns the pages.
func crawlPoolscrape(ctx context.Context, start string, conc int) (int64, error) {
	var rules []Rule
	for _, r := range testsite.Rules {
		if r.Kind == "regex" {
			rules = append(rules, Rule{Name: r.Name, Kind: RegexRule, Pattern: r.Expr})
		}
	}
	c, err := New(Config{Starts: []string{start}, Depth: -1, Concurrency: conc, PerHost: conc, Rules: rules, Output: discard{}})
	if err != nil {
		return 0, err
	}
	s, err := c.Run(ctx)
	return s.Pages, err
}
