package diskfrontier

import (
	"context"
	"fmt"

	"github.com/poolscrape/poolscrape/scrape"
	bolt "go.etcd.io/bbolt"
)

// Push queues the requests whose URL was never seen, in one transaction,
// and returns how many it queued; see scrape.Frontier. The check and the
// add are atomic: of many Pushes of one URL, from any goroutine, exactly one
// adds it. A URL pushed again at a smaller depth while it is still queued
// has its depth (and referrer) lowered, so depths are exact. When Push
// returns, the added URLs are in the file (a process crash does not lose
// them).
func (f *Frontier) Push(ctx context.Context, reqs ...scrape.Request) (int, error) {
	if err := ctx.Err(); err != nil {
		return 0, fmt.Errorf("diskfrontier: pushing to %s: %w", f.path, err)
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.closed {
		return 0, f.errClosed()
	}
	added := 0
	var lowered []scrape.Request
	kept := f.buf
	next := f.disk.clone()
	err := f.db.Update(func(tx *bolt.Tx) error {
		next = f.disk.clone()
		lowered = lowered[:0]
		added = 0
		if err := f.writeAcksInto(tx, &next); err != nil {
			return err
		}
		if f.lifo && len(reqs) > 0 {
			var err error
			if kept, err = f.unbuffer(tx, &next); err != nil {
				return fmt.Errorf("giving back the URLs leased ahead: %w", err)
			}
		}
		for i := range reqs {
			r := reqs[i]
			if f.lifo {
				r = reqs[len(reqs)-1-i] // the first comes out first
			}
			ok, low, err := addItem(tx, &next, r, f.lifo)
			if err != nil {
				return fmt.Errorf("adding %s: %w", r.URL, err)
			}
			if ok {
				added++
			}
			if low {
				lowered = append(lowered, r)
			}
		}
		return next.store(tx.Bucket(bucketMeta))
	})
	if err != nil {
		return 0, fmt.Errorf("diskfrontier: pushing %d URLs to %s: %w", len(reqs), f.path, err)
	}
	f.disk = next
	f.acks = f.acks[:0]
	f.buf = kept
	f.lowerBuffered(lowered)
	return added, f.maybeSync()
}

// addItem is the check-and-add of one item, at the back of its depth or,
// with lifo (scrape.OrderDepth), at the front of the queue. For a URL seen
// already it lowers the depth of a queued entry (not with lifo), or reports
// (low) that an entry leased ahead in memory may need it.
func addItem(tx *bolt.Tx, c *counters, it scrape.Request, lifo bool) (added, low bool, err error) {
	seen := tx.Bucket(bucketSeen)
	sk := seenKey(it.URL)
	if v := seen.Get(sk); v != nil {
		c.Duplicates++
		if lifo || v[0] != stateQueued || keyDepth(v[1:]) <= it.Depth {
			return false, false, nil
		}
		moved, err := lowerQueued(tx, c, sk, v[1:], it)
		return false, !moved, err
	}
	c.Seq++
	qk := queueKey(it.Depth, c.Seq)
	if lifo {
		qk = stackKey(it.Depth, c.Seq)
	}
	if err := tx.Bucket(bucketQueue).Put(qk, encodeItem(it)); err != nil {
		return false, false, err
	}
	if err := seen.Put(sk, seenValue(stateQueued, qk)); err != nil {
		return false, false, err
	}
	c.Seen++
	c.Queued++
	c.Undone[it.Depth]++
	return true, false, nil
}

// lowerQueued moves a queued entry to it's smaller depth, at the end of
// that depth. It reports false when the entry is not in the queue bucket
// (it is leased).
func lowerQueued(tx *bolt.Tx, c *counters, sk, oldKey []byte, it scrape.Request) (bool, error) {
	queue := tx.Bucket(bucketQueue)
	oldKey = append([]byte(nil), oldKey...)
	if queue.Get(oldKey) == nil {
		return false, nil
	}
	if err := queue.Delete(oldKey); err != nil {
		return false, err
	}
	c.Seq++
	qk := queueKey(it.Depth, c.Seq)
	if err := queue.Put(qk, encodeItem(it)); err != nil {
		return false, err
	}
	c.Undone[keyDepth(oldKey)]--
	c.Undone[it.Depth]++
	return true, tx.Bucket(bucketSeen).Put(sk, seenValue(stateQueued, qk))
}

// lowerBuffered lowers the depth of entries leased ahead in memory. Their
// disk key, and so the undone count they are in, keep the old depth: that
// keeps the counts consistent with the file, at the cost of gating on the
// old depth.
func (f *Frontier) lowerBuffered(reqs []scrape.Request) {
	for _, it := range reqs {
		for i := range f.buf {
			e := &f.buf[i]
			if e.req.URL == it.URL && it.Depth < e.req.Depth {
				e.req.Depth, e.req.Referrer = it.Depth, it.Referrer
				f.moveUp(i)
				break
			}
		}
	}
}

// moveUp moves buf[i] before the first entry deeper than it, keeping the
// window ordered by depth.
func (f *Frontier) moveUp(i int) {
	e := f.buf[i]
	j := 0
	for j < i && f.buf[j].req.Depth <= e.req.Depth {
		j++
	}
	copy(f.buf[j+1:i+1], f.buf[j:i])
	f.buf[j] = e
}

// MarkSeen marks url seen without queueing it (a redirect's target fetched
// in place of by, the leased URL that redirected); it reports false if url
// was seen. The mark is by's claim, in the same transaction: acking by
// drops the claim (url stays seen), and Open, finding by still leased (its
// process died before acking it), unmarks url as it queues by again.
func (f *Frontier) MarkSeen(ctx context.Context, url, by string) (bool, error) {
	if err := ctx.Err(); err != nil {
		return false, fmt.Errorf("diskfrontier: marking %s seen in %s: %w", url, f.path, err)
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.closed {
		return false, f.errClosed()
	}
	var added bool
	next := f.disk.clone()
	err := f.db.Update(func(tx *bolt.Tx) error {
		next = f.disk.clone()
		seen := tx.Bucket(bucketSeen)
		sk := seenKey(url)
		added = seen.Get(sk) == nil
		if !added {
			next.Duplicates++
			return next.store(tx.Bucket(bucketMeta))
		}
		next.Seen++
		owner := ownerKey(by)
		if err := seen.Put(sk, seenValue(stateMarked, owner)); err != nil {
			return err
		}
		if err := tx.Bucket(bucketClaims).Put(claimKey(owner, sk), nil); err != nil {
			return err
		}
		return next.store(tx.Bucket(bucketMeta))
	})
	if err != nil {
		return false, fmt.Errorf("diskfrontier: marking %s seen in %s: %w", url, f.path, err)
	}
	f.disk = next
	return added, f.maybeSync()
}

// Unmark forgets url if MarkSeen marked it and it was never queued since,
// and the claim of the lease that marked it, so that it can be marked
// again: the crawler unmarks the redirect targets of a fetch that is to be
// retried or given back. Other URLs are left alone.
func (f *Frontier) Unmark(ctx context.Context, url string) error {
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("diskfrontier: unmarking %s in %s: %w", url, f.path, err)
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.closed {
		return f.errClosed()
	}
	next := f.disk.clone()
	err := f.db.Update(func(tx *bolt.Tx) error {
		next = f.disk.clone()
		seen := tx.Bucket(bucketSeen)
		sk := seenKey(url)
		v := seen.Get(sk)
		if v == nil || v[0] != stateMarked {
			return nil
		}
		next.Seen--
		if err := tx.Bucket(bucketClaims).Delete(claimKey(v[1:], sk)); err != nil {
			return err
		}
		if err := seen.Delete(sk); err != nil {
			return err
		}
		return next.store(tx.Bucket(bucketMeta))
	})
	if err != nil {
		return fmt.Errorf("diskfrontier: unmarking %s in %s: %w", url, f.path, err)
	}
	f.disk = next
	return f.maybeSync()
}

// Seen reports whether url was ever added.
func (f *Frontier) Seen(ctx context.Context, url string) (bool, error) {
	if err := ctx.Err(); err != nil {
		return false, fmt.Errorf("diskfrontier: looking up %s in %s: %w", url, f.path, err)
	}
	var ok bool
	err := f.db.View(func(tx *bolt.Tx) error {
		ok = tx.Bucket(bucketSeen).Get(seenKey(url)) != nil
		return nil
	})
	if err != nil {
		return false, fmt.Errorf("diskfrontier: looking up %s in %s: %w", url, f.path, err)
	}
	return ok, nil
}
