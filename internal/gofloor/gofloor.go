// Package gofloor is the floor of poolscrape's crawl benchmarks: the
// simplest correct Go crawler a competent engineer would write with the
// standard library and the x/net/html tokenizer, and nothing else. The
// scrape package's BenchmarkCrawlVsGoFloor runs it beside the crawler, on
// the same site, in the same run, and compares their CPU per page.
package gofloor

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"sync"
)

// ErrStart is wrapped by the error Crawl returns for a start URL it cannot
// crawl.
var ErrStart = errors.New("gofloor: bad start URL")

// Crawl crawls from start with concurrency worker goroutines over a channel
// of URLs and one http.Client whose Transport keeps concurrency idle
// connections per host. Each worker reads the whole body (at most
// MaxBody bytes), follows the <a href> links the x/net/html tokenizer
// finds, resolved against the page's URL, without their #fragment, on
// start's host, once each (a mutex-guarded seen set), and runs every regex's
// FindAllSubmatch over the body. It ends when no URL is queued or in flight,
// or when ctx ends, and returns the pages it got a 2xx response for; a URL
// that fails is skipped. A start URL that is not an absolute http(s) URL
// with a host, or a concurrency below 1, is an error before any request.
func Crawl(ctx context.Context, start string, concurrency int, regexes []*regexp.Regexp) (int64, error) {
	u, err := url.Parse(start)
	if err != nil {
		return 0, fmt.Errorf("%w %q: %w", ErrStart, start, err)
	}
	if (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return 0, fmt.Errorf("%w %q: not an absolute http(s) URL", ErrStart, start)
	}
	if concurrency < 1 {
		return 0, fmt.Errorf("gofloor: concurrency %d is below 1", concurrency)
	}
	u.Fragment, u.RawFragment = "", ""
	tr := &http.Transport{MaxIdleConns: concurrency, MaxIdleConnsPerHost: concurrency}
	defer tr.CloseIdleConnections()
	c := &crawler{
		client:  &http.Client{Transport: tr, Timeout: fetchTimeout},
		host:    u.Host,
		regexes: regexes,
		seen:    map[string]bool{u.String(): true},
	}
	return c.run(ctx, u.String(), concurrency)
}

// crawler is one crawl's state shared by its workers.
type crawler struct {
	client  *http.Client
	host    string
	regexes []*regexp.Regexp

	mu   sync.Mutex
	seen map[string]bool
}

// markNew marks the URLs seen and returns those that were not.
func (c *crawler) markNew(urls []string) []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	fresh := urls[:0]
	for _, u := range urls {
		if !c.seen[u] {
			c.seen[u] = true
			fresh = append(fresh, u)
		}
	}
	return fresh
}
