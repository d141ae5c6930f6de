package scrape

import (
	"container/heap"
	"context"
	"math"
	"sync"
	"time"

	"github.com/poolscrape/poolscrape/internal/waits"
)

// MemoryFrontier is the in-memory Frontier. Safe for concurrent use.
//
// The seen set holds a 64-bit hash (xxHash64) of each canonical URL, not the
// URL: 16.8 bytes per URL at a million URLs (BenchmarkSeenSetMemory; a
// map[uint64]struct{} took 38). Two URLs share a hash with probability about
// n²/2⁶⁵ for n URLs, and the second is then skipped as seen. Redirect targets (MarkSeen) are also
// kept in a map of their own, so that Unmark can tell them from URLs
// queued or done.
//
// Depths are exact: a URL's record says its least link distance from a start
// URL, as a breadth-first search would find, however fetches interleave. Two
// rules make it so: a URL pushed again at a smaller depth while still queued
// has its depth lowered; and a request at depth d is handed out only once
// every request at depth d-2 or less is done (acked), so a page that could
// still reveal a shorter path to it has finished. Two levels overlap, so the
// pool only drains when one slow page (say, waiting for a retry) holds up the
// level two below.
//
// With OrderDepth (NewMemoryFrontierOrder) each host's queue is a stack
// instead, a Push's requests go on it last first (so the first comes out
// first), and neither rule applies: a URL keeps the depth it was first
// pushed with.
type MemoryFrontier struct {
	mu         sync.Mutex
	seen       seenSet
	marked     map[uint64]struct{} // seen by MarkSeen only: redirect targets, which Unmark may forget
	pending    map[uint64]*qitem   // queued in a host queue, by URL hash
	hosts      map[string]*hostQueue
	order      []*hostQueue // hosts with queued requests, served round-robin
	next       int          // where the next Pop starts in order
	delayed    delayHeap
	leases     map[uint64]*qitem
	lastID     uint64
	unfinished []int // per depth: queued, delayed or leased requests
	low        int   // no unfinished request below this depth
	counts     FrontierCounts
	lifo       bool // OrderDepth: host queues are stacks, depths not gated
}

type qitem struct {
	req  Request
	hash uint64
	host string
}

// NewMemoryFrontier returns an empty in-memory frontier.
func NewMemoryFrontier() *MemoryFrontier {
	return &MemoryFrontier{
		pending: map[uint64]*qitem{},
		marked:  map[uint64]struct{}{},
		hosts:   map[string]*hostQueue{},
		leases:  map[uint64]*qitem{},
	}
}

// Push queues the requests not seen before; see Frontier.
func (f *MemoryFrontier) Push(_ context.Context, reqs ...Request) (int, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	added := 0
	for i := range reqs {
		r := reqs[i]
		if f.lifo {
			r = reqs[len(reqs)-1-i]
		}
		h := hashURL(r.URL)
		if !f.seen.add(h) {
			f.counts.Duplicates++
			f.lower(h, r)
			continue
		}
		f.counts.Seen++
		f.enqueue(&qitem{req: r, hash: h, host: HostOf(r.URL)})
		f.addUnfinished(r.Depth, 1)
		added++
	}
	return added, nil
}

// lower moves a still-queued URL to a smaller depth, with r's referrer.
func (f *MemoryFrontier) lower(h uint64, r Request) {
	it, ok := f.pending[h]
	if f.lifo || !ok || r.Depth >= it.req.Depth {
		return
	}
	f.addUnfinished(it.req.Depth, -1)
	f.addUnfinished(r.Depth, 1)
	it.req.Depth, it.req.Referrer = r.Depth, r.Referrer
	f.hosts[it.host].add(it) // the old slot is skipped as stale
}

// MarkSeen marks url seen without queueing it; see Frontier. by is not
// kept: nothing in memory survives the process, so no lease is ever handed
// out again after a crash; a retry or a stop unmarks through Unmark.
func (f *MemoryFrontier) MarkSeen(_ context.Context, url, _ string) (bool, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	h := hashURL(url)
	if !f.seen.add(h) {
		f.counts.Duplicates++
		return false, nil
	}
	f.counts.Seen++
	f.marked[h] = struct{}{}
	return true, nil
}

// Unmark forgets a URL MarkSeen marked; see Frontier.
func (f *MemoryFrontier) Unmark(_ context.Context, url string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	h := hashURL(url)
	if _, ok := f.marked[h]; !ok {
		return nil
	}
	delete(f.marked, h)
	if f.seen.remove(h) {
		f.counts.Seen--
	}
	return nil
}

func (f *MemoryFrontier) enqueue(it *qitem) {
	q := f.hosts[it.host]
	if q == nil {
		q = &hostQueue{host: it.host, lifo: f.lifo}
		f.hosts[it.host] = q
	}
	if !q.inOrder {
		q.inOrder = true
		f.order = append(f.order, q)
	}
	q.add(it)
	q.n++
	f.pending[it.hash] = it
	f.counts.Queued++
}

func (f *MemoryFrontier) addUnfinished(depth, n int) {
	for len(f.unfinished) <= depth {
		f.unfinished = append(f.unfinished, 0)
	}
	f.unfinished[depth] += n
	if n > 0 && depth < f.low {
		f.low = depth
	}
}

// window is the greatest depth that may be handed out now.
func (f *MemoryFrontier) window() (int, bool) {
	for f.low < len(f.unfinished) && f.unfinished[f.low] == 0 {
		f.low++
	}
	return f.low + 1, f.low < len(f.unfinished)
}

// Pop leases the next request that may start; see Frontier.
func (f *MemoryFrontier) Pop(_ context.Context, admit Admit) (Lease, time.Duration, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	now := time.Now()
	f.promoteDue(now)
	limit, any := f.window()
	if !any {
		return Lease{}, 0, ErrDrained
	}
	if f.lifo {
		limit = math.MaxInt
	}
	wait := time.Duration(0)
	for i := 0; i < len(f.order); {
		k := (f.next + i) % len(f.order)
		q := f.order[k]
		if q.n == 0 {
			f.dropHost(k)
			continue
		}
		i++
		it := q.front()
		if it.req.Depth > limit {
			continue
		}
		ok, w := admit(q.host, it.req.URL)
		if !ok {
			wait = waits.Least(wait, w)
			continue
		}
		q.pop()
		f.next = k + 1
		return f.lease(it), 0, nil
	}
	if len(f.delayed) > 0 {
		wait = waits.Least(wait, max(f.delayed[0].req.NotBefore.Sub(now), time.Millisecond))
	}
	return Lease{}, wait, ErrNoneReady
}

func (f *MemoryFrontier) dropHost(k int) {
	f.order[k].inOrder = false
	f.order = append(f.order[:k], f.order[k+1:]...)
	if f.next > k {
		f.next--
	}
}

func (f *MemoryFrontier) lease(it *qitem) Lease {
	delete(f.pending, it.hash)
	f.counts.Queued--
	f.counts.Leased++
	f.lastID++
	f.leases[f.lastID] = it
	return Lease{Request: it.req, ID: f.lastID}
}

// promoteDue moves delayed requests whose time has come to their host queue.
func (f *MemoryFrontier) promoteDue(now time.Time) {
	for len(f.delayed) > 0 && !f.delayed[0].req.NotBefore.After(now) {
		it := heap.Pop(&f.delayed).(*qitem)
		f.counts.Queued--
		f.enqueue(it)
	}
}

// Ack ends a lease; see Frontier.
func (f *MemoryFrontier) Ack(_ context.Context, l Lease) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	it, ok := f.leases[l.ID]
	if !ok {
		return nil
	}
	delete(f.leases, l.ID)
	f.counts.Leased--
	f.counts.Done++
	f.addUnfinished(it.req.Depth, -1)
	return nil
}

// Retry queues a leased request again after notBefore; see Frontier.
func (f *MemoryFrontier) Retry(_ context.Context, l Lease, notBefore time.Time) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	it, ok := f.leases[l.ID]
	if !ok {
		return nil
	}
	delete(f.leases, l.ID)
	f.counts.Leased--
	it.req.Attempt++
	it.req.NotBefore = notBefore
	heap.Push(&f.delayed, it)
	f.counts.Queued++
	return nil
}

// Counts returns the counters; see Frontier.
func (f *MemoryFrontier) Counts(context.Context) (FrontierCounts, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.counts, nil
}
