package redisfrontier

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// Errors of Pop.
var (
	// ErrNoneReady: requests are queued or leased, none can start now.
	ErrNoneReady = errors.New("redis frontier: no request ready")
	// ErrDrained: nothing is queued and no lease is live: the job is over
	// for every process.
	ErrDrained = errors.New("redis frontier: job drained")
)

// Push queues the requests whose URL the job never saw, atomically per URL
// across all processes, and lowers the depth of still-queued URLs seen again
// closer to a start URL. It returns how many it queued and how many were
// already seen.
func (f *Frontier) Push(ctx context.Context, reqs ...Request) (added, dups int, err error) {
	for len(reqs) > 0 {
		n := min(len(reqs), 500)
		args := make([]any, 0, 2*n)
		for _, r := range reqs[:n] {
			raw, err := encodeRequest(r)
			if err != nil {
				return added, dups, err
			}
			args = append(args, r.URL, raw)
		}
		v, err := f.run(ctx, fmt.Sprintf("pushing %d URLs", n), pushScript, args...)
		if err != nil {
			return added, dups, err
		}
		res := asSlice(v)
		added += int(asInt(res[0]))
		dups += int(asInt(res[1]))
		reqs = reqs[n:]
	}
	return added, dups, nil
}

// MarkSeen marks url seen without queueing it (a redirect's target fetched
// in place of the redirecting URL); it reports false if it was seen already.
func (f *Frontier) MarkSeen(ctx context.Context, url string) (bool, error) {
	v, err := f.run(ctx, "marking "+url+" seen", markSeenScript, url)
	return asInt(v) == 1, err
}

// Unmark forgets url if MarkSeen marked it and it was never queued since,
// so that it can be marked again (by any process): the crawler unmarks the
// redirect targets of a fetch that is to be retried. Other URLs are left
// alone.
func (f *Frontier) Unmark(ctx context.Context, url string) error {
	_, err := f.run(ctx, "unmarking "+url, unmarkScript, url)
	return err
}

// Pop leases the next request that may start: lowest depth first, due (not
// waiting for a retry), on a host not in skip. Otherwise it returns
// ErrNoneReady with how long until a delayed request is due (0: unknown),
// or ErrDrained.
func (f *Frontier) Pop(ctx context.Context, skip ...string) (Request, time.Duration, error) {
	args := []any{f.opts.Process, ms(f.opts.LeaseTimeout), f.opts.ScanLimit}
	for _, h := range skip {
		args = append(args, h)
	}
	v, err := f.run(ctx, "leasing a URL", popScript, args...)
	if err != nil {
		return Request{}, 0, err
	}
	res := asSlice(v)
	if u := asString(res[0]); u != "" {
		r, err := decodeRequest(u, asString(res[1]))
		if err != nil {
			return Request{}, 0, err
		}
		f.mu.Lock()
		f.held[u] = struct{}{}
		f.mu.Unlock()
		return r, 0, nil
	}
	if asInt(res[2]) == 0 && asInt(res[3]) == 0 {
		return Request{}, 0, ErrDrained
	}
	return Request{}, msDuration(max(asInt(res[1]), 0)), ErrNoneReady
}

// Unlease gives back a lease that was not used (its host was not ready):
// the request goes back to its place in the queue.
func (f *Frontier) Unlease(ctx context.Context, url string) error {
	f.forget(url)
	_, err := f.run(ctx, "giving back "+url, unleaseScript, url)
	return err
}

// Retry ends the lease on url and queues it again, its attempt count one
// higher, not before delay has passed.
func (f *Frontier) Retry(ctx context.Context, url string, delay time.Duration) error {
	f.forget(url)
	_, err := f.run(ctx, "queueing "+url+" for a retry", retryScript, url, max(ms(delay), 0))
	return err
}

// Outcome is what became of a fetched URL.
type Outcome string

// The outcomes Ack records.
const (
	Done   Outcome = "d"
	Failed Outcome = "f"
)

// Ack settles url, once its record is written. It reports false when the URL
// was settled already (by a process that fetched it again after this one's
// lease expired).
func (f *Frontier) Ack(ctx context.Context, url string, o Outcome) (bool, error) {
	if o != Done && o != Failed {
		return false, fmt.Errorf("acking %s: unknown outcome %q", url, o)
	}
	f.forget(url)
	v, err := f.run(ctx, "acking "+url, ackScript, url, string(o))
	return asInt(v) == 1, err
}

func (f *Frontier) forget(url string) {
	f.mu.Lock()
	delete(f.held, url)
	f.mu.Unlock()
}

// Held is how many leases this process holds.
func (f *Frontier) Held() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.held)
}
