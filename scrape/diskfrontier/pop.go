package diskfrontier

import (
	"context"
	"fmt"

	bolt "go.etcd.io/bbolt"
)

// Pop leases the next URL: the shallowest, first added within its depth.
// The URL stays leased until Ack; if the process dies first, the next Open
// puts it back in the queue. ErrEmpty means nothing is queued now (leased
// URLs may still add more).
func (f *Frontier) Pop(ctx context.Context) (Item, error) {
	if err := ctx.Err(); err != nil {
		return Item{}, err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.closed {
		return Item{}, ErrClosed
	}
	if len(f.buf) == 0 {
		if err := f.refill(); err != nil {
			return Item{}, err
		}
	}
	if len(f.buf) == 0 {
		return Item{}, ErrEmpty
	}
	e := f.buf[0]
	f.buf[0] = entry{}
	f.buf = f.buf[1:]
	return e.item, nil
}

// refill leases up to PopBatch URLs in one transaction (and writes the
// pending acks with it).
func (f *Frontier) refill() error {
	var got []entry
	next := f.disk
	err := f.db.Update(func(tx *bolt.Tx) error {
		next = f.disk
		got = got[:0]
		if err := f.writeAcksInto(tx, &next); err != nil {
			return err
		}
		var err error
		got, err = leaseBatch(tx, f.opts.popBatch)
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

// Release gives back a leased URL that was not fetched (the crawl is
// stopping, say): the next Pop hands it out again.
func (f *Frontier) Release(ctx context.Context, it Item) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.closed {
		return ErrClosed
	}
	var key []byte
	err := f.db.View(func(tx *bolt.Tx) error {
		v := tx.Bucket(bucketSeen).Get(seenKey(it.URL))
		if v == nil || v[0] != stateQueued || tx.Bucket(bucketLeased).Get(v[1:]) == nil {
			return fmt.Errorf("%s is not leased", it.URL)
		}
		key = append([]byte(nil), v[1:]...)
		return nil
	})
	if err != nil {
		return fmt.Errorf("releasing in %s: %w", f.path, err)
	}
	f.buf = append([]entry{{key: key, item: it}}, f.buf...)
	return nil
}
