package redisfrontier

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/poolscrape/poolscrape/scrape"
)

// Push queues the requests whose URL the job never saw, atomically per URL
// across all processes, and lowers the depth of still-queued URLs seen again
// closer to a start URL; it returns how many it queued (the others count as
// duplicates in Progress). See scrape.Frontier.
//
// In a depth-first job (the identity's scrape.OrderDepth) the requests go
// in newest first, the first of reqs ahead of the others, and depths are
// not lowered.
func (f *Frontier) Push(ctx context.Context, reqs ...scrape.Request) (int, error) {
	if f.lifo {
		reqs = slices.Clone(reqs)
		slices.Reverse(reqs) // the last pushed is the first out
	}
	added := 0
	for len(reqs) > 0 {
		n := min(len(reqs), 500)
		args := make([]any, 0, 2*n)
		for _, r := range reqs[:n] {
			raw, err := encodeRequest(r)
			if err != nil {
				return added, err
			}
			args = append(args, r.URL, raw)
		}
		v, err := f.run(ctx, fmt.Sprintf("pushing %d URLs", n), pushScript, args...)
		if err != nil {
			return added, err
		}
		added += int(asInt(asSlice(v)[0]))
		reqs = reqs[n:]
	}
	return added, nil
}

// MarkSeen marks url seen without queueing it (a redirect's target fetched
// in place of by, the leased URL that redirected); it reports false if it
// was seen already. The mark is by's claim, in the same script: acking by
// drops the claim (url stays seen); when by's lease expires (its process
// died) and is handed out again, url is unmarked at that moment, so that
// the next fetch of by, in any process, follows the redirect again.
func (f *Frontier) MarkSeen(ctx context.Context, url, by string) (bool, error) {
	v, err := f.run(ctx, "marking "+url+" seen", markSeenScript, url, by)
	added := asInt(v) == 1
	if added {
		f.claimed(url, by)
	}
	return added, err
}

// Unmark forgets url if MarkSeen marked it and it was never queued since,
// and its claim, so that it can be marked again (by any process): the
// crawler unmarks the redirect targets of a fetch that is to be retried or
// given back. Other URLs are left alone, and so is a URL this process
// marked under a lease that expired since: its lease's claims were undone
// when it was handed out again, and the URL may be the new holder's claim
// now.
func (f *Frontier) Unmark(ctx context.Context, url string) error {
	f.mu.Lock()
	m, ok := f.marks[url]
	delete(f.marks, url)
	f.mu.Unlock()
	if !ok { // not marked here: unmark whoever's claim it is
		m.by = ""
	}
	_, err := f.run(ctx, "unmarking "+url, unmarkScript, url, m.by, m.id)
	return err
}

// popOne leases the next request that may start: lowest depth first, due
// (not waiting for a retry), on a host not in skip. It returns the lease
// (with its ID) and the request's host. Otherwise it returns
// scrape.ErrNoneReady with how long until a delayed request is due (0:
// unknown), or scrape.ErrDrained.
func (f *Frontier) popOne(ctx context.Context, skip []string) (scrape.Lease, string, time.Duration, error) {
	args := []any{f.cfg.Process, ms(f.cfg.LeaseTimeout), f.cfg.ScanLimit}
	for _, h := range skip {
		args = append(args, h)
	}
	v, err := f.run(ctx, "leasing a URL", popScript, args...)
	if err != nil {
		return scrape.Lease{}, "", 0, err
	}
	res := asSlice(v)
	if u := asString(res[0]); u != "" {
		r, host, err := decodeRequest(u, asString(res[1]))
		if err != nil {
			return scrape.Lease{}, "", 0, err
		}
		l := scrape.Lease{Request: r, ID: uint64(asInt(res[2]))}
		f.mu.Lock()
		f.held[u] = l.ID
		f.mu.Unlock()
		return l, host, 0, nil
	}
	if asInt(res[2]) == 0 && asInt(res[3]) == 0 {
		return scrape.Lease{}, "", 0, scrape.ErrDrained
	}
	return scrape.Lease{}, "", msDuration(max(asInt(res[1]), 0)), scrape.ErrNoneReady
}

// Release gives back a lease that was not used (a stop cut its fetch
// short, or Pop's admit refused its host): the request goes back to its
// place in the queue, and any process may take it at once; see
// scrape.Releaser. A lease that expired and was handed out again is left
// to its new holder.
func (f *Frontier) Release(ctx context.Context, l scrape.Lease) error {
	return f.release(ctx, l.URL, l.ID)
}

func (f *Frontier) release(ctx context.Context, url string, id uint64) error {
	f.forget(url, id)
	_, err := f.run(ctx, "giving back "+url, unleaseScript, url, id)
	return err
}

// Retry ends the lease and queues its request again, its attempt count one
// higher, not before notBefore (measured from now on Redis's clock, so
// machines with skewed clocks agree). A lease that expired and was handed
// out again is left to its new holder.
func (f *Frontier) Retry(ctx context.Context, l scrape.Lease, notBefore time.Time) error {
	f.forget(l.URL, l.ID)
	_, err := f.run(ctx, "queueing "+l.URL+" for a retry", retryScript, l.URL, max(ms(time.Until(notBefore)), 0), l.ID)
	return err
}

// Outcome is what became of a fetched URL.
type Outcome string

// The outcomes AckAs records (Ack records Done).
const (
	Done   Outcome = "d"
	Failed Outcome = "f"
)

// Ack ends a lease as Done, once its record is written; see scrape.Frontier.
// The crawler writes a record for every URL, failures included, before it
// acks; a URL whose record has an error it acks with AckFailed.
func (f *Frontier) Ack(ctx context.Context, l scrape.Lease) error {
	return f.AckAs(ctx, l, Done)
}

// AckFailed ends a lease as Failed, once its error record is written; see
// scrape.FailAcker.
func (f *Frontier) AckFailed(ctx context.Context, l scrape.Lease) error {
	return f.AckAs(ctx, l, Failed)
}

// AckAs settles the lease's URL with the outcome o (Done or Failed). An
// ack of a URL settled already, or leased again since (this one's lease
// expired and was handed out again, to this process or another), changes
// nothing but Progress's LateAcks: the new lease, and the redirect targets
// it claimed, stay its holder's.
func (f *Frontier) AckAs(ctx context.Context, l scrape.Lease, o Outcome) error {
	if o != Done && o != Failed {
		return fmt.Errorf("redisfrontier: acking %s: unknown outcome %q", l.URL, o)
	}
	f.forget(l.URL, l.ID)
	_, err := f.run(ctx, "acking "+l.URL, ackScript, l.URL, string(o), l.ID)
	return err
}

// forget stops renewing the lease of url with ID id, and forgets its
// claims, if this process still holds it (not a lease of url taken again
// since).
func (f *Frontier) forget(url string, id uint64) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.held[url] != id {
		return
	}
	delete(f.held, url)
	f.forgetClaimsLocked(url)
}

// Held is how many leases this process holds.
func (f *Frontier) Held() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.held)
}
