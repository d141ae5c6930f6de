package redisfrontier

import (
	"context"
	"errors"
	"sync"
	"time"

	"github.com/poolscrape/poolscrape/scrape"
)

// ForScrape returns f as the crawler's scrape.Frontier (Config.Frontier).
// When nothing may start in this process because of other processes
// (their leases, their host slots), Pop asks the crawler to poll again
// after poll, since they cannot wake it. Counts are cached for a tenth of a
// second (the crawler reads them for every page's progress).
func (f *Frontier) ForScrape(poll time.Duration) scrape.Frontier {
	return &scrapeFrontier{f: f, poll: max(poll, time.Millisecond)}
}

// ForScrape returns g as the crawler's scrape.HostGate (Config.Gate).
// AutoThrottle's adaptive delay is per process and not shared: with a
// shared gate the delay is the fixed --delay or the robots.txt Crawl-delay.
func (g *Gate) ForScrape() scrape.HostGate { return scrapeGate{g} }

type scrapeFrontier struct {
	f    *Frontier
	poll time.Duration

	mu     sync.Mutex
	counts scrape.FrontierCounts
	at     time.Time
}

func (s *scrapeFrontier) Push(ctx context.Context, reqs ...scrape.Request) (int, error) {
	rs := make([]Request, len(reqs))
	for i, r := range reqs {
		rs[i] = Request{URL: r.URL, Host: scrape.HostOf(r.URL), Depth: r.Depth, Referrer: r.Referrer, Attempt: r.Attempt}
	}
	added, _, err := s.f.Push(ctx, rs...)
	return added, err
}

func (s *scrapeFrontier) MarkSeen(ctx context.Context, url string) (bool, error) {
	return s.f.MarkSeen(ctx, url)
}

func (s *scrapeFrontier) Unmark(ctx context.Context, url string) error {
	return s.f.Unmark(ctx, url)
}

// Pop leases a request, then asks admit; a request whose host is refused
// goes back to its place and the next Pop skips that host.
func (s *scrapeFrontier) Pop(ctx context.Context, admit scrape.Admit) (scrape.Lease, time.Duration, error) {
	var skip []string
	var wait time.Duration
	for range 8 {
		r, w, err := s.f.Pop(ctx, skip...)
		switch {
		case errors.Is(err, ErrDrained):
			return scrape.Lease{}, 0, scrape.ErrDrained
		case errors.Is(err, ErrNoneReady):
			return scrape.Lease{}, s.pollWait(minWait(wait, w)), scrape.ErrNoneReady
		case err != nil:
			return scrape.Lease{}, 0, err
		}
		ok, aw := admit(r.Host, r.URL)
		if ok {
			return scrape.Lease{Request: scrape.Request{URL: r.URL, Depth: r.Depth, Referrer: r.Referrer, Attempt: r.Attempt}}, 0, nil
		}
		if err := s.f.Unlease(ctx, r.URL); err != nil {
			return scrape.Lease{}, 0, err
		}
		skip = append(skip, r.Host)
		wait = minWait(wait, aw)
	}
	return scrape.Lease{}, s.pollWait(wait), scrape.ErrNoneReady
}

func (s *scrapeFrontier) pollWait(w time.Duration) time.Duration {
	if w <= 0 || w > s.poll {
		return s.poll
	}
	return w
}

func (s *scrapeFrontier) Ack(ctx context.Context, l scrape.Lease) error {
	_, err := s.f.Ack(ctx, l.URL, Done)
	return err
}

// Release gives back a lease whose fetch a stop cut short: another process
// may take it at once; see scrape.Releaser.
func (s *scrapeFrontier) Release(ctx context.Context, l scrape.Lease) error {
	return s.f.Unlease(ctx, l.URL)
}

func (s *scrapeFrontier) Retry(ctx context.Context, l scrape.Lease, notBefore time.Time) error {
	return s.f.Retry(ctx, l.URL, time.Until(notBefore))
}

func (s *scrapeFrontier) Counts(ctx context.Context) (scrape.FrontierCounts, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if time.Since(s.at) < 100*time.Millisecond {
		return s.counts, nil
	}
	c, err := s.f.Counts(ctx)
	if err != nil {
		return s.counts, err
	}
	s.counts = scrape.FrontierCounts{Seen: c.Seen, Queued: c.Queued, Leased: c.Leased, Done: c.Done + c.Failed, Duplicates: c.Duplicates}
	s.at = time.Now()
	return s.counts, nil
}

// minWait is the lesser of two waits, where 0 means none known.
func minWait(a, b time.Duration) time.Duration {
	if b <= 0 {
		return a
	}
	if a == 0 || b < a {
		return b
	}
	return a
}

type scrapeGate struct{ g *Gate }

func (s scrapeGate) TryAcquire(ctx context.Context, host string, _ time.Time) (bool, time.Duration, error) {
	return s.g.TryAcquire(ctx, host)
}

func (s scrapeGate) Release(ctx context.Context, host string, _ scrape.Outcome) error {
	return s.g.Release(ctx, host)
}

func (s scrapeGate) SetCrawlDelay(ctx context.Context, host string, d time.Duration) error {
	return s.g.SetCrawlDelay(ctx, host, d)
}
