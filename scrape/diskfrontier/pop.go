package diskfrontier

import (
	"context"
	"fmt"
	"time"

	"github.com/poolscrape/poolscrape/scrape"
	bolt "go.etcd.io/bbolt"
)

// Admit is asked by Pop whether a request for url, to host, may start now;
// it returns true after taking the host's slot, or false and how long until
// the host may be ready (0: unknown). scrape.Admit has this shape.
type Admit func(host, url string) (ok bool, wait time.Duration)

// Lease is what Pop hands out: the item and the lease's ID.
type Lease struct {
	Item
	ID uint64
}

// Pop leases the next URL that may start: the shallowest, first added
// within its depth, due (not waiting for a retry), and admitted by admit
// (nil: all are), asking admit once per host so that a busy host does not
// hold up a ready one. A URL of depth d is handed out only when no URL of
// depth d-2 or less is queued or leased, so that depths are exact (as in
// scrape.MemoryFrontier).
//
// The URL stays leased until Ack, Retry or Release; if the process dies
// first, the next Open puts it back in the queue. Otherwise Pop returns
// ErrEmpty when nothing is queued or leased (the crawl is over), or
// ErrNotReady with how long until a delayed URL is due (0: unknown).
//
// Pop looks at a window of URLs leased ahead from the file (PopBatch, 64
// by default): when every URL in it waits for a busy host, URLs of other
// hosts further back wait too.
func (f *Frontier) Pop(ctx context.Context, admit Admit) (Lease, time.Duration, error) {
	if err := ctx.Err(); err != nil {
		return Lease{}, 0, err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.closed {
		return Lease{}, 0, ErrClosed
	}
	if len(f.buf) < max(f.opts.popBatch/2, 1) && f.disk.Queued > 0 {
		if err := f.refill(f.opts.popBatch); err != nil {
			return Lease{}, 0, err
		}
	}
	low, any := f.low()
	if !any {
		return Lease{}, 0, ErrEmpty
	}
	l, wait, err := f.choose(low+1, admit)
	// Nothing in the window may start: look further, up to 4 batches.
	for err == ErrNotReady && f.disk.Queued > 0 && len(f.buf) < 4*f.opts.popBatch {
		n := len(f.buf)
		if rerr := f.refill(f.opts.popBatch); rerr != nil {
			return Lease{}, 0, rerr
		}
		l, wait, err = f.chooseFrom(n, low+1, admit, wait)
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
		if a.depth != noDepth {
			c.Undone[a.depth]--
		}
	}
	return c.low()
}

// choose hands out the first entry of the window that may start.
func (f *Frontier) choose(limit int, admit Admit) (Lease, time.Duration, error) {
	return f.chooseFrom(0, limit, admit, 0)
}

// chooseFrom is choose over the window from index from on.
func (f *Frontier) chooseFrom(from, limit int, admit Admit, wait time.Duration) (Lease, time.Duration, error) {
	now := time.Now()
	refused := map[string]bool{}
	for i := from; i < len(f.buf); i++ {
		e := f.buf[i]
		if e.item.Depth > limit {
			continue
		}
		if e.item.NotBefore.After(now) {
			wait = minWait(wait, e.item.NotBefore.Sub(now))
			continue
		}
		host := scrape.HostOf(e.item.URL)
		if refused[host] {
			continue
		}
		if admit != nil {
			if ok, w := admit(host, e.item.URL); !ok {
				refused[host] = true
				wait = minWait(wait, w)
				continue
			}
		}
		f.buf = append(f.buf[:i], f.buf[i+1:]...)
		f.nextID++
		e.id = f.nextID
		f.out[e.item.URL] = e
		return Lease{Item: e.item, ID: e.id}, 0, nil
	}
	return Lease{}, wait, ErrNotReady
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
		return fmt.Errorf("leasing URLs from %s: %w", f.path, err)
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
		got = append(got, entry{key: append([]byte(nil), k...), item: it})
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

// Release gives back a leased URL that was not fetched: the next Pop may
// hand it out again.
func (f *Frontier) Release(ctx context.Context, url string) error {
	return f.requeue(ctx, url, false, time.Time{})
}

// Retry ends the lease on url and hands it out again, with Attempt one
// higher, not before notBefore. The retry is kept in memory: if the process
// dies first, the URL is fetched afresh after the next Open.
func (f *Frontier) Retry(ctx context.Context, url string, notBefore time.Time) error {
	return f.requeue(ctx, url, true, notBefore)
}

func (f *Frontier) requeue(ctx context.Context, url string, retry bool, notBefore time.Time) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.closed {
		return ErrClosed
	}
	e, ok := f.out[url]
	if !ok {
		return fmt.Errorf("%s: %s is not leased", f.path, url)
	}
	delete(f.out, url)
	if retry {
		e.item.Attempt++
		e.item.NotBefore = notBefore
	}
	f.buf = append([]entry{e}, f.buf...)
	return nil
}
