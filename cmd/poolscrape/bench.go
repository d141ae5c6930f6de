package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"regexp"
	"time"

	"github.com/poolscrape/poolscrape/internal/collybaseline"
	"github.com/poolscrape/poolscrape/internal/gofloor"
	"github.com/poolscrape/poolscrape/internal/testsite"
	"github.com/poolscrape/poolscrape/scrape"
	"github.com/poolscrape/poolscrape/scrape/record"
	"github.com/spf13/cobra"
)

func init() { subcommands = append(subcommands, newBenchCmd) }

// benchFlags are the bench command's flags.
type benchFlags struct {
	pages, fanout, concurrency int
	latency                    time.Duration
	baseline                   bool
}

func newBenchCmd() *cobra.Command {
	var f benchFlags
	cmd := &cobra.Command{
		Use:   "bench [flags]",
		Short: "Crawl a synthetic site on loopback at full speed and print pages per second",
		Long: `bench is poolscrape's 'scrapy bench': it serves the synthetic test site
(internal/testsite, plain: a tree of --pages pages with --fanout links each,
plus cross links) on a 127.0.0.1 listener and crawls all of it with the
crawler at --concurrency (per host too), obeying robots.txt and running the
site's regex rules on every page, then prints pages per second. The site
has --pages pages plus its home page and 5 author pages: 10,006 URLs, and
records, for the default 10,000 (robots.txt is fetched but is no record).
It says what it does as it goes, with a progress bar on stderr when stderr
is a terminal.

With --baseline (the default) it then crawls the same site with a bare colly
crawler (Async, LimitRule Parallelism = --concurrency, colly's own visited
check, the same regexes) and prints its rate and the ratio, then with the
bare Go floor (net/http, the x/net/html tokenizer and the same regexes over
each page, --concurrency workers) and prints its rate and the ratio. CPU per
page against the floor, the site in another process, is the scrape package's
BenchmarkCrawlVsGoFloor.`,
		Example: `  # the default run (about 10-20 s)
  poolscrape bench

  # a slower site: every answer after 5ms, 32 fetches in flight, no baseline
  poolscrape bench --latency 5ms --concurrency 32 --baseline=false`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			var bar *barProgress
			if progressWanted("auto", "", os.Stdout, os.Stderr) {
				bar = newBarProgress(os.Stderr)
			}
			return runBench(cmd.Context(), cmd.OutOrStdout(), f, bar)
		},
	}
	fl := cmd.Flags()
	fl.IntVar(&f.pages, "pages", 10000, "`N` pages on the synthetic site")
	fl.IntVar(&f.fanout, "fanout", 4, "`N` links from each page to its children")
	fl.IntVarP(&f.concurrency, "concurrency", "c", 16, "`N` fetches in flight (in total and per host)")
	fl.DurationVar(&f.latency, "latency", 0, "delay `D` before the site answers each request")
	fl.BoolVar(&f.baseline, "baseline", true, "also crawl with a bare colly crawler and the bare Go floor and print the ratios")
	return cmd
}

// runBench serves the site, crawls it and prints what it does as it goes
// on w; bar, if not nil, shows the poolscrape crawl's progress.
func runBench(ctx context.Context, w io.Writer, f benchFlags, bar *barProgress) error {
	if err := f.check(); err != nil {
		return err
	}
	if ctx == nil {
		ctx = context.Background()
	}
	site, err := testsite.New(testsite.Config{Pages: f.pages, Fanout: f.fanout, Plain: true, Latency: f.latency})
	if err != nil {
		return usageErrorf("%v", err)
	}
	srv, err := site.Start("")
	if err != nil {
		return err
	}
	defer srv.Close(context.Background())
	fmt.Fprintf(w, "site: %s, %d URLs: the home page, %d pages (--pages, %d links each), %d author pages; latency %v\n",
		srv.URL, 1+f.pages+testsite.Authors, f.pages, f.fanout, testsite.Authors, f.latency)
	fmt.Fprintf(w, "crawling it all with poolscrape: %d fetches in flight, robots.txt obeyed (not a page), the site's regexes on every page...\n", f.concurrency)
	ours, err := benchPoolscrape(ctx, srv.URL+"/", f.concurrency, bar)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "poolscrape: %d pages in %v: %.0f pages/s\n", ours.pages, ours.elapsed.Round(time.Millisecond), ours.rate())
	if !f.baseline {
		return nil
	}
	return benchBaselines(ctx, w, srv.URL+"/", f.concurrency, ours)
}

// baselines are the crawlers bench compares poolscrape with: what it says
// as it starts one, the name it prints the rate under and the label of
// poolscrape's ratio to it.
var baselines = []struct {
	intro, name, ratio string
	crawl              func(ctx context.Context, start string, conc int, regexes []*regexp.Regexp) (int64, error)
}{
	{"a bare colly crawler, the same concurrency and regexes", "bare colly", "ratio", collybaseline.Crawl},
	{"the bare Go floor (net/http, x/net/html tokenizer, the same regexes), the same concurrency", "bare Go floor", "ratio to the floor", gofloor.Crawl},
}

// benchBaselines crawls start's site with each baseline in turn and prints
// its rate and poolscrape's ratio to it.
func benchBaselines(ctx context.Context, w io.Writer, start string, conc int, ours benchResult) error {
	for _, b := range baselines {
		fmt.Fprintf(w, "crawling it again with %s...\n", b.intro)
		t0 := time.Now()
		n, err := b.crawl(ctx, start, conc, siteRegexes())
		if err != nil {
			return err
		}
		theirs := benchResult{pages: n, elapsed: time.Since(t0)}
		fmt.Fprintf(w, "%s: %d pages in %v: %.0f pages/s\n", b.name, theirs.pages, theirs.elapsed.Round(time.Millisecond), theirs.rate())
		fmt.Fprintf(w, "%s: %.2fx\n", b.ratio, ours.rate()/theirs.rate())
	}
	return nil
}

type benchResult struct {
	pages   int64
	elapsed time.Duration
}

func (r benchResult) rate() float64 { return float64(r.pages) / r.elapsed.Seconds() }

func benchPoolscrape(ctx context.Context, start string, conc int, bar *barProgress) (benchResult, error) {
	var rules []scrape.Rule
	for _, r := range testsite.Rules {
		if r.Kind == "regex" {
			rule, err := scrape.ParseRule(scrape.RegexRule, r.Spec())
			if err != nil {
				return benchResult{}, err
			}
			rules = append(rules, rule)
		}
	}
	cfg := scrape.Config{Starts: []string{start}, Depth: -1, Concurrency: conc, PerHost: conc,
		Rules: rules, Output: discardRecords{}, UserAgent: scrape.DefaultUserAgent(version)}
	if bar != nil {
		cfg.Progress = bar
	}
	c, err := scrape.New(cfg)
	if err != nil {
		return benchResult{}, err
	}
	t0 := time.Now()
	s, err := c.Run(ctx)
	return benchResult{pages: s.Pages, elapsed: time.Since(t0)}, err
}

func siteRegexes() []*regexp.Regexp {
	var out []*regexp.Regexp
	for _, r := range testsite.Rules {
		if r.Kind == "regex" {
			out = append(out, regexp.MustCompile(r.Expr))
		}
	}
	return out
}

// discardRecords drops the records: bench measures the crawl, not the disk.
type discardRecords struct{}

func (discardRecords) Write(record.Record) error { return nil }

// check names the first flag whose value is out of range, with the value.
func (f benchFlags) check() error {
	return firstOutOfRange([]bound{
		{"--pages", f.pages, f.pages < 1 || f.pages > maxBenchPages, fmt.Sprintf("1 to %d", maxBenchPages)},
		{"--fanout", f.fanout, f.fanout < 1 || f.fanout > maxBenchFanout, fmt.Sprintf("1 to %d", maxBenchFanout)},
		{"--concurrency", f.concurrency, f.concurrency < 1 || f.concurrency > maxConcurrency, fmt.Sprintf("1 to %d", maxConcurrency)},
		{"--latency", f.latency, f.latency < 0 || f.latency > maxBenchLatency, "0 to " + maxBenchLatency.String()},
	})
}
