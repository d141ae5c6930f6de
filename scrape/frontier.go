package scrape

import (
	"context"
	"errors"
	"time"
)

// Request is one URL the crawl means to fetch. It is plain data
// (gob-encodable), so an on-disk or shared frontier can store it.
type Request struct {
	URL       string    // canonical URL (see Canonicalize)
	Depth     int       // link hops from a start URL
	Referrer  string    // the page the link was found on; empty for a start URL
	Attempt   int       // fetches already tried (retries so far)
	NotBefore time.Time // not to be fetched before this time (retry backoff)
}

// Lease is a request handed out by Frontier.Pop. It stays the frontier's
// responsibility until Ack (its record is written) or Retry: a shared
// frontier hands out again the leases of a process that died.
type Lease struct {
	Request
	ID uint64 // the frontier's handle on the lease
}

// Admit is asked by Frontier.Pop whether the request for url, to host, may
// start now:
// it is the per-host politeness (HostGate) and the robots.txt readiness. It
// returns true after taking a slot for host (the caller then owns it), or
// false and how long until the host may be ready (0: unknown; wait for a
// wake-up).
type Admit func(host, url string) (ok bool, wait time.Duration)

// Sentinel errors of Frontier.Pop.
var (
	// ErrNoneReady: requests are queued or leased, but none can start now.
	ErrNoneReady = errors.New("scrape: no request ready")
	// ErrDrained: nothing is queued, delayed or leased: the crawl is over.
	ErrDrained = errors.New("scrape: frontier drained")
)

// Frontier owns what is left to crawl and what was seen: it dedupes URLs
// with one atomic check-and-add on the canonical URL, orders the queue by
// depth, and keeps depths exact (see MemoryFrontier). The in-memory
// implementation is MemoryFrontier; diskfrontier's (resumable crawls) and
// redisfrontier's (one crawl shared by many processes, leases with a
// visibility timeout) implement this interface and Releaser directly, with
// these sentinels and no adapter. Every method takes a context first and
// returns errors, as a store on disk or across the network can fail.
type Frontier interface {
	// Push queues the requests whose URL was not seen before and marks them
	// seen, atomically per URL; it returns how many it queued. A URL seen
	// again at a smaller depth while it is still queued has its depth
	// lowered.
	Push(ctx context.Context, reqs ...Request) (added int, err error)
	// MarkSeen marks a URL seen without queueing it (a redirect's target
	// about to be fetched in place of the redirecting URL by, the canonical
	// URL of the lease whose fetch follows the redirect); it reports false
	// if the URL had been seen already. The mark is a claim of by's lease:
	// a frontier that outlives the process keeps it with the lease, drops
	// it when that lease is acked (the target is then done for good, as
	// part of by's record), and unmarks the URL when that lease is handed
	// out again because its process died before acking it (diskfrontier
	// when it opens the folder again, redisfrontier when the lease
	// expires), so that the next fetch of by follows the redirect again.
	MarkSeen(ctx context.Context, url, by string) (added bool, err error)
	// Unmark forgets a URL that MarkSeen marked and that was never queued
	// since, so that it can be claimed again: the crawler unmarks the
	// redirect targets of a fetch that is to be retried (or given back),
	// whose next attempt follows the chain again. A URL that is queued,
	// leased or done, or was never seen, is left alone.
	Unmark(ctx context.Context, url string) error
	// Pop leases the next request that may start now, lowest depth first,
	// asking admit for each host in turn so that a busy host never holds
	// up a ready one. Otherwise it returns ErrNoneReady with how long until
	// a delayed request is due (0: wait for a wake-up), or ErrDrained.
	Pop(ctx context.Context, admit Admit) (Lease, time.Duration, error)
	// Ack ends a lease once its record is written (or the request was
	// dropped, e.g. blocked by robots.txt).
	Ack(ctx context.Context, l Lease) error
	// Retry ends a lease and queues its request again, with Attempt one
	// higher, not before notBefore.
	Retry(ctx context.Context, l Lease, notBefore time.Time) error
	// Counts returns the frontier's counters.
	Counts(ctx context.Context) (FrontierCounts, error)
}

// Releaser is a Frontier that outlives the process (on disk, or shared
// through Redis) and can give a lease back unused. The crawler releases the
// leases whose fetches a stop cut short instead of recording them as
// interrupted, so that the resumed or shared crawl fetches them again.
type Releaser interface {
	// Release ends a lease without an outcome: the request is queued again
	// as it was.
	Release(ctx context.Context, l Lease) error
}

// FailAcker is a Frontier that counts apart the URLs that failed (in its
// own progress counters; FrontierCounts.Done counts both). The crawler ends
// the lease of a URL whose record has an error (Record.Error not empty)
// with AckFailed instead of Ack, once the record is written.
type FailAcker interface {
	AckFailed(ctx context.Context, l Lease) error
}

// FrontierCounts are a frontier's counters.
type FrontierCounts struct {
	Seen       int64 // distinct URLs seen (queued, leased, done or claimed by a redirect)
	Queued     int64 // waiting, including those delayed for a retry
	Leased     int64 // handed out and not yet acked
	Done       int64 // acked
	Duplicates int64 // pushes of a URL already seen
}
