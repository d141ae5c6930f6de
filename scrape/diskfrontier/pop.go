package diskfrontier

import (
	"context"
	"fmt"
	"math"
	"time"

	"github.com/poolscrape/poolscrape/internal/waits"
	"github.com/poolscrape/poolscrape/scrape"
	bolt "go.etcd.io/bbolt"
)

// Pop leases the next URL that may start: the shallowest, first added
// within its depth, due (not waiting for a retry), and admitted by admit
// (nil: all are), asking admit once per host so that a busy host does not
// hold up a ready one. A URL of depth d is handed out only when no URL of
// depth d-2 or less is queued or leased, so that depths are exact (as in
// scrape.MemoryFrontier). A depth-first state (its identity's
// scrape.OrderDepth) hands out the newest URL first, with no depth gate,
// and leases one URL ahead at a time.
//
// The URL stays leased until Ack, Retry or Release; if the process dies
// first, the next Open puts it back in the queue. Otherwise Pop returns
// scrape.ErrDrained when nothing is queued or leased (the crawl is over), or
// scrape.ErrNoneReady with how long until a delayed URL is due (0: unknown).
//
// Pop looks at a window of URLs leased ahead from the file (Config.PopBatch):
// when every URL in it waits for a busy host, URLs of other hosts further
// back wait too.
func (f *Frontier) Pop(ctx context.Context, admit scrape.Admit) (scrape.Lease, time.Duration, error) {
	if err := ctx.Err(); err != nil {
		return scrape.Lease{}, 0, fmt.Errorf("diskfrontier: leasing from %s: %w", f.path, err)
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.closed {
		return scrape.Lease{}, 0, f.errClosed()
	}
	batch := f.cfg.PopBatch
	if f.lifo {
		batch = 1 // leased ahead, entries would go stale as newer ones come
	}
	if len(f.buf) < max(batch/2, 1) && f.disk.Queued > 0 {
		if err := f.refill(batch); err != nil {
			return scrape.Lease{}, 0, err
		}
	}
	low, any := f.low()
	if !any {
		return scrape.Lease{}, 0, scrape.ErrDrained
	}
	limit := low + 1
	if f.lifo {
		limit = math.MaxInt
	}
	l, wait, err := f.choose(limit, admit)
	// Nothing in the window may start: look further, up to 4 batches.
	for err == scrape.ErrNoneReady && f.disk.Queued > 0 && len(f.buf) < 4*batch {
		n := len(f.buf)
		if rerr := f.refill(batch); rerr != nil {
			return scrape.Lease{}, 0, rerr
		}
		l, wait, err = f.chooseFrom(n, limit, admit, wait)
	}
	return l, wait, err
}

// low is the least depth with URLs queued or leased, counting the acks not
// yet written; ok is false when there is none.
func (f *Frontier) low() (int, bool) {
	if len(f.acks) == 0 {
		return f.disk.low()
	}
	c := f.disk.clone()
	for _, a := range f.acks {
		c.Undone[a.depth]--
	}
	return c.low()
}

// choose hands out the first entry of the window that may start.
func (f *Frontier) choose(limit int, admit scrape.Admit) (scrape.Lease, time.Duration, error) {
	return f.chooseFrom(0, limit, admit, 0)
}

// chooseFrom is choose over the window from index from on.
func (f *Frontier) chooseFrom(from, limit int, admit scrape.Admit, wait time.Duration) (scrape.Lease, time.Duration, error) {
	now := time.Now()
	refused := map[string]bool{}
	for i := from; i < len(f.buf); i++ {
		e := f.buf[i]
		if e.req.Depth > limit {
			continue
		}
		if e.req.NotBefore.After(now) {
			wait = waits.Least(wait, e.req.NotBefore.Sub(now))
			continue
		}
		host := scrape.HostOf(e.req.URL)
		if refused[host] {
			continue
		}
		if admit != nil {
			if ok, w := admit(host, e.req.URL); !ok {
				refused[host] = true
				wait = waits.Least(wait, w)
				continue
			}
		}
		f.buf = append(f.buf[:i], f.buf[i+1:]...)
		f.nextID++
		e.id = f.nextID
		f.out[e.req.URL] = e
		return scrape.Lease{Request: e.req, ID: e.id}, 0, nil
	}
	return scrape.Lease{}, wait, scrape.ErrNoneReady
}

// takeLocked ends l: it returns l's entry, no longer handed out, if l is
// the lease of its URL that Pop handed out last and nothing ended it since;
// the caller holds f.mu.
func (f *Frontier) takeLocked(l scrape.Lease) (entry, bool) {
	e, ok := f.out[l.URL]
	if !ok || e.id != l.ID {
		return entry{}, false
	}
	delete(f.out, l.URL)
	return e, true
}

// refill leases up to n URLs ahead in one transaction (and writes the
// pending acks with it).
func (f *Frontier) refill(n int) error {
	var got []entry
	next := f.disk.clone()
	err := f.db.Update(func(tx *bolt.Tx) error {
		next = f.disk.clone()
		if err := f.writeAcksInto(tx, &next); err != nil {
			return err
		}
		var err error
		got, err = leaseBatch(tx, n)
		if err != nil {
			return err
		}
		next.Queued -= int64(len(got))
		next.Leased += int64(len(got))
		return next.store(tx.Bucket(bucketMeta))
	})
	if err != nil {
		return fmt.Errorf("diskfrontier: leasing URLs from %s: %w", f.path, err)
	}
	f.disk = next
	f.acks = f.acks[:0]
	f.buf = append(f.buf, got...)
	return f.maybeSync()
}

// leaseBatch moves the first n queue entries to the leased bucket.
func leaseBatch(tx *bolt.Tx, n int) ([]entry, error) {
	queue, leased := tx.Bucket(bucketQueue), tx.Bucket(bucketLeased)
	var got []entry
	var vals [][]byte
	c := queue.Cursor()
	for k, v := c.First(); k != nil && len(got) < n; k, v = c.Next() {
		it, err := decodeItem(k, v)
		if err != nil {
			return nil, err
		}
		got = append(got, entry{key: append([]byte(nil), k...), req: it})
		vals = append(vals, append([]byte(nil), v...))
	}
	for i, e := range got {
		if err := queue.Delete(e.key); err != nil {
			return nil, err
		}
		if err := leased.Put(e.key, vals[i]); err != nil {
			return nil, err
		}
	}
	return got, nil
}

// Release gives back a lease that was not used (a stop cut its fetch
// short): the next Pop may hand it out again; see scrape.Releaser. A lease
// ended already (its URL maybe handed out again since) is refused as not
// leased.
func (f *Frontier) Release(ctx context.Context, l scrape.Lease) error {
	return f.requeue(ctx, l, false, time.Time{})
}

// Retry ends the lease and hands its request out again, with Attempt one
// higher, not before notBefore. The retry is kept in memory: if the process
// dies first, the URL is fetched afresh after the next Open. A lease ended
// already (its URL maybe handed out again since) is refused as not leased.
func (f *Frontier) Retry(ctx context.Context, l scrape.Lease, notBefore time.Time) error {
	return f.requeue(ctx, l, true, notBefore)
}

func (f *Frontier) requeue(ctx context.Context, l scrape.Lease, retry bool, notBefore time.Time) error {
	url := l.URL
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("diskfrontier: requeueing %s in %s: %w", url, f.path, err)
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.closed {
		return f.errClosed()
	}
	e, ok := f.takeLocked(l)
	if !ok {
		return fmt.Errorf("diskfrontier: %s: %s is not leased (lease %d)", f.path, url, l.ID)
	}
	if retry {
		e.req.Attempt++
		e.req.NotBefore = notBefore
	}
	f.buf = append([]entry{e}, f.buf...)
	return nil
}
