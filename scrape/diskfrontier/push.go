package diskfrontier

import (
	"context"
	"fmt"

	bolt "go.etcd.io/bbolt"
)

// Push adds the items whose URL was never seen, in one transaction, and
// reports for each item whether it was added. The check and the add are
// atomic: of many Pushes of one URL, from any goroutine, exactly one adds it.
// When Push returns, the added URLs are in the file (a process crash does
// not lose them).
func (f *Frontier) Push(ctx context.Context, items ...Item) ([]bool, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.closed {
		return nil, ErrClosed
	}
	added := make([]bool, len(items))
	next := f.disk
	err := f.db.Update(func(tx *bolt.Tx) error {
		next = f.disk
		if err := f.writeAcksInto(tx, &next); err != nil {
			return err
		}
		for i, it := range items {
			ok, err := addItem(tx, &next, it)
			if err != nil {
				return fmt.Errorf("adding %s: %w", it.URL, err)
			}
			added[i] = ok
		}
		return next.store(tx.Bucket(bucketMeta))
	})
	if err != nil {
		return nil, fmt.Errorf("pushing %d URLs to %s: %w", len(items), f.path, err)
	}
	f.disk = next
	f.acks = f.acks[:0]
	return added, f.maybeSync()
}

// addItem is the check-and-add of one item.
func addItem(tx *bolt.Tx, c *counters, it Item) (bool, error) {
	seen := tx.Bucket(bucketSeen)
	sk := seenKey(it.URL)
	if seen.Get(sk) != nil {
		return false, nil
	}
	c.Seq++
	qk := queueKey(it.Depth, c.Seq)
	if err := tx.Bucket(bucketQueue).Put(qk, encodeItem(it)); err != nil {
		return false, err
	}
	if err := seen.Put(sk, seenValue(stateQueued, qk)); err != nil {
		return false, err
	}
	c.Seen++
	c.Queued++
	return true, nil
}

// Seen reports whether url was ever added.
func (f *Frontier) Seen(ctx context.Context, url string) (bool, error) {
	if err := ctx.Err(); err != nil {
		return false, err
	}
	var ok bool
	err := f.db.View(func(tx *bolt.Tx) error {
		ok = tx.Bucket(bucketSeen).Get(seenKey(url)) != nil
		return nil
	})
	if err != nil {
		return false, fmt.Errorf("looking up %s in %s: %w", url, f.path, err)
	}
	return ok, nil
}
