package diskfrontier

import (
	"context"
	"errors"
	"time"

	"github.com/poolscrape/poolscrape/scrape"
)

// ForScrape returns f as the crawler's scrape.Frontier (Config.Frontier).
// Every lease is acked as Done: the record, failures included, is written
// before the crawler acks, which is what resuming needs.
func (f *Frontier) ForScrape() scrape.Frontier { return scrapeFrontier{f} }

type scrapeFrontier struct{ f *Frontier }

func (s scrapeFrontier) Push(ctx context.Context, reqs ...scrape.Request) (int, error) {
	items := make([]Item, len(reqs))
	for i, r := range reqs {
		items[i] = Item{URL: r.URL, Depth: r.Depth, Referrer: r.Referrer}
	}
	added, err := s.f.Push(ctx, items...)
	n := 0
	for _, ok := range added {
		if ok {
			n++
		}
	}
	return n, err
}

func (s scrapeFrontier) MarkSeen(ctx context.Context, url string) (bool, error) {
	return s.f.MarkSeen(ctx, url)
}

func (s scrapeFrontier) Unmark(ctx context.Context, url string) error {
	return s.f.Unmark(ctx, url)
}

func (s scrapeFrontier) Pop(ctx context.Context, admit scrape.Admit) (scrape.Lease, time.Duration, error) {
	l, wait, err := s.f.Pop(ctx, Admit(admit))
	switch {
	case errors.Is(err, ErrEmpty):
		return scrape.Lease{}, 0, scrape.ErrDrained
	case errors.Is(err, ErrNotReady):
		return scrape.Lease{}, wait, scrape.ErrNoneReady
	case err != nil:
		return scrape.Lease{}, 0, err
	}
	return scrape.Lease{ID: l.ID, Request: scrape.Request{
		URL: l.URL, Depth: l.Depth, Referrer: l.Referrer, Attempt: l.Attempt, NotBefore: l.NotBefore,
	}}, 0, nil
}

func (s scrapeFrontier) Ack(ctx context.Context, l scrape.Lease) error {
	return s.f.Ack(ctx, l.URL, Done)
}

// Release gives back a lease whose fetch a stop cut short; see
// scrape.Releaser.
func (s scrapeFrontier) Release(ctx context.Context, l scrape.Lease) error {
	return s.f.Release(ctx, l.URL)
}

func (s scrapeFrontier) Retry(ctx context.Context, l scrape.Lease, notBefore time.Time) error {
	return s.f.Retry(ctx, l.URL, notBefore)
}

func (s scrapeFrontier) Counts(context.Context) (scrape.FrontierCounts, error) {
	c := s.f.Counts()
	return scrape.FrontierCounts{Seen: c.Seen, Queued: c.Queued, Leased: c.Leased, Done: c.Done + c.Failed, Duplicates: c.Duplicates}, nil
}
