package scrape

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/poolscrape/poolscrape/scrape/record"
)

// retry re-queues a retryable failure and reports whether it did. Once the
// crawl is stopping, nothing is retried: the failure gets its record.
func (c *Crawler) retry(l Lease, res *fetched) bool {
	if c.stopping.Load() || errors.Is(res.Err, errBodyTooLarge) || !c.cfg.retry.Retryable(res.Status, res.NetErr, l.Attempt) {
		return false
	}
	wait := c.retryWait(l, res)
	if err := c.unclaim(c.settleCtx, l.URL); err != nil {
		c.fail(err)
		return false
	}
	if err := c.frontier.Retry(c.settleCtx, l, time.Now().Add(wait)); err != nil {
		c.fail(fmt.Errorf("scrape: frontier retry %s: %w", l.URL, err))
		return false
	}
	c.stats.retries.Add(1)
	return true
}

// finish builds the record, pushes the links to follow, writes the record
// and acks the lease, in that order: a lease is acked only once its record
// is written and its links are in the frontier.
func (c *Crawler) finish(l Lease, res *fetched, ex extracted) {
	if c.released(l, res) {
		return
	}
	ch := c.claims.take(l.URL) // the record covers the chain: its targets stay seen
	rec := c.record(l, res, ex, ch.cut)
	follow := c.followable(ex.Links)
	rec.Links = follow
	follow = c.recrawled(l, res, &rec, follow)
	if len(follow) > 0 {
		if c.cfg.Depth >= 0 && l.Depth+1 > c.cfg.Depth {
			c.stats.depthSkipped.Add(int64(len(follow)))
		} else if err := c.push(l, follow); err != nil {
			c.fail(err)
		} else {
			c.slots.notify() // the links may be fetched while the record is written
		}
	}
	if err := c.cfg.Output.Write(rec); err != nil {
		c.fail(fmt.Errorf("scrape: write record of %s: %w", l.URL, err))
	}
	if err := c.ack(l, rec.Error != ""); err != nil {
		c.fail(fmt.Errorf("scrape: frontier ack %s: %w", l.URL, err))
	}
	c.stats.record(&rec)
	if l.Depth == 0 && c.starts[l.URL] && rec.Error != "" {
		c.stats.startFailed.Add(1)
	}
	c.progress()
}

// ack ends a lease whose record is written: as failed if the record has
// an error and the frontier counts failures apart (FailAcker).
func (c *Crawler) ack(l Lease, failed bool) error {
	if fa, ok := c.frontier.(FailAcker); ok && failed {
		return fa.AckFailed(c.settleCtx, l)
	}
	return c.frontier.Ack(c.settleCtx, l)
}

// released gives back, unrecorded, a lease whose fetch the stop cut short,
// when the frontier outlives this process (see Releaser), and reports
// whether it did.
func (c *Crawler) released(l Lease, res *fetched) bool {
	r, ok := c.frontier.(Releaser)
	if !ok || res.Err == nil || c.hardCtx.Err() == nil {
		return false
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := c.unclaim(ctx, l.URL); err != nil {
		c.fail(err)
		return false
	}
	if err := r.Release(ctx, l); err != nil {
		c.fail(fmt.Errorf("scrape: frontier release %s: %w", l.URL, err))
		return false
	}
	c.stats.released.Add(1)
	return true
}

func (c *Crawler) push(l Lease, links []string) error {
	reqs := make([]Request, len(links))
	for i, u := range links {
		reqs[i] = Request{URL: u, Depth: l.Depth + 1, Referrer: l.URL}
	}
	if _, err := c.frontier.Push(c.settleCtx, reqs...); err != nil {
		return fmt.Errorf("scrape: frontier push links of %s: %w", l.URL, err)
	}
	return nil
}

// followable keeps the links the crawl follows and counts the others.
func (c *Crawler) followable(links []string) []string {
	out := make([]string, 0, len(links))
	for _, u := range links {
		switch c.filter.Check(u) {
		case linkFollowed:
			out = append(out, u)
		case linkBinary:
			c.stats.skip(&c.stats.binary, u)
		default:
			c.stats.skip(&c.stats.offScope, u)
		}
	}
	return out
}

// record builds the record of a fetch. Its error is the fetch's, else the
// reason its redirect chain was cut (cut), else "HTTP 404 Not Found" and the
// like for a final 4xx or 5xx answer: a record has an error exactly when it
// failed.
func (c *Crawler) record(l Lease, res *fetched, ex extracted, cut error) record.Record {
	rec := record.Record{
		URL: l.URL, FinalURL: res.FinalURL, Status: res.Status, Depth: l.Depth, Referrer: l.Referrer,
		Title: ex.Title, ContentType: res.ContentType, Bytes: res.Bytes,
		ElapsedMS: res.Elapsed.Milliseconds(), FetchedAt: res.FetchedAt.UTC(),
		Matches: make(map[string][]string, len(c.extractor.names)),
	}
	for _, name := range c.extractor.names { // RuleNames(c.cfg.Rules)
		if m := ex.Matches[name]; len(m) > 0 {
			rec.Matches[name] = m
		} else {
			rec.Matches[name] = []string{} // a rule without matches is an empty list, not null
		}
	}
	switch {
	case res.Err != nil:
		rec.Error = res.Err.Error()
		if c.hardCtx.Err() != nil {
			rec.Error = "interrupted: " + rec.Error
		}
	case cut != nil && res.Status >= 300 && res.Status <= 399:
		rec.Error = cut.Error()
	case res.Status >= 400:
		rec.Error = strings.TrimSpace(fmt.Sprintf("HTTP %d %s", res.Status, http.StatusText(res.Status)))
	}
	if rec.Error == "" {
		rec.Error = ex.Err // part of the page could not be extracted
	}
	return rec
}

func (c *Crawler) progress() {
	if c.cfg.Progress == nil {
		return
	}
	counts, err := c.frontier.Counts(c.settleCtx)
	if err != nil {
		return
	}
	if kp, ok := c.cfg.Progress.(KindProgress); ok {
		kp.UpdateKinds(c.stats.progressCounts(counts))
		return
	}
	c.cfg.Progress.Update(c.stats.pages.Load(), counts.Seen, c.stats.errors.Load())
}
