// Package collybaseline is the yardstick of poolscrape's crawl benchmarks:
// a bare colly crawler set up the way colly's documentation sets one up.
// `poolscrape bench` and the scrape package's benchmarks run it beside the
// crawler, on the same site, in the same run.
package collybaseline

import (
	"context"
	"fmt"
	"net/url"
	"regexp"
	"sync/atomic"

	"github.com/gocolly/colly/v2"
)

// Crawl crawls from start with a bare colly crawler, the way colly's
// documentation sets one up: Async, a LimitRule with Parallelism
// concurrency, colly's own visited check, links followed from
// OnHTML("a[href]") on the start URL's host, and the regex rules run on
// each body. It returns the pages it got a response for.
func Crawl(ctx context.Context, start string, concurrency int, regexes []*regexp.Regexp) (int64, error) {
	u, err := url.Parse(start)
	if err != nil {
		return 0, fmt.Errorf("collybaseline: bad start URL %q: %w", start, err)
	}
	c := colly.NewCollector(colly.Async(true), colly.AllowedDomains(u.Hostname()), colly.StdlibContext(ctx))
	if err := c.Limit(&colly.LimitRule{DomainGlob: "*", Parallelism: concurrency}); err != nil {
		return 0, fmt.Errorf("collybaseline: colly limit: %w", err)
	}
	var pages, matches atomic.Int64
	c.OnResponse(func(r *colly.Response) {
		pages.Add(1)
		for _, re := range regexes {
			matches.Add(int64(len(re.FindAllSubmatch(r.Body, -1))))
		}
	})
	c.OnHTML("a[href]", func(e *colly.HTMLElement) {
		_ = e.Request.Visit(e.Attr("href"))
	})
	if err := c.Visit(start); err != nil {
		return 0, fmt.Errorf("collybaseline: colly visit %s: %w", start, err)
	}
	c.Wait()
	return pages.Load(), nil
}
