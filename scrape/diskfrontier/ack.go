package diskfrontier

import (
	"context"
	"fmt"

	"github.com/poolscrape/poolscrape/scrape"
	bolt "go.etcd.io/bbolt"
)

// Ack ends a lease as Done, once its record is written; see scrape.Frontier.
// The crawler writes a record for every URL, failures included, before it
// acks, which is what resuming needs; a URL whose record has an error it
// acks with AckFailed.
func (f *Frontier) Ack(ctx context.Context, l scrape.Lease) error {
	return f.AckAs(ctx, l, Done)
}

// AckFailed ends a lease as Failed, once its error record is written; see
// scrape.FailAcker.
func (f *Frontier) AckFailed(ctx context.Context, l scrape.Lease) error {
	return f.AckAs(ctx, l, Failed)
}

// AckAs ends a lease with the outcome o (Done or Failed). Acks are grouped
// and written with the next transaction (see the package documentation for
// why that is safe). Only the lease Pop handed out last for its URL (its
// Lease.ID) is acked: an ack of a lease ended already (acked, retried or
// given back, its URL maybe handed out again since) is ignored, so that it
// leaves the new lease and its redirect claims alone; acking twice is
// harmless, the first outcome stays.
func (f *Frontier) AckAs(ctx context.Context, l scrape.Lease, o Outcome) error {
	url := l.URL
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("diskfrontier: acking %s in %s: %w", url, f.path, err)
	}
	if o != Done && o != Failed {
		return fmt.Errorf("diskfrontier: acking %s: unknown outcome %q", url, o)
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.closed {
		return f.errClosed()
	}
	e, ok := f.takeLocked(l)
	if !ok {
		return nil
	}
	f.acks = append(f.acks, pending{url: url, outcome: o, depth: keyDepth(e.key)})
	if len(f.acks) >= f.cfg.AckBatch {
		if err := f.flushAcksLocked(); err != nil {
			return err
		}
	}
	return f.maybeSync()
}

// flushAcksLocked writes the pending acks in their own transaction.
func (f *Frontier) flushAcksLocked() error {
	next := f.disk.clone()
	err := f.db.Update(func(tx *bolt.Tx) error {
		next = f.disk.clone()
		if err := f.writeAcksInto(tx, &next); err != nil {
			return err
		}
		return next.store(tx.Bucket(bucketMeta))
	})
	if err != nil {
		return fmt.Errorf("diskfrontier: writing acks to %s: %w", f.path, err)
	}
	f.disk = next
	f.acks = f.acks[:0]
	return nil
}

// writeAcksInto writes the pending acks into tx, counting them in c. The
// caller clears f.acks once tx commits.
func (f *Frontier) writeAcksInto(tx *bolt.Tx, c *counters) error {
	for _, a := range f.acks {
		if err := settle(tx, c, a.url, a.outcome, true); err != nil {
			return fmt.Errorf("acking %s: %w", a.url, err)
		}
	}
	return nil
}

// settle gives url its outcome, taking it out of the leased bucket (or, with
// leasedOnly false, out of the queue too), and drops its redirect claims
// (their targets stay seen). Unknown or settled URLs are left alone.
func settle(tx *bolt.Tx, c *counters, url string, o Outcome, leasedOnly bool) error {
	seen := tx.Bucket(bucketSeen)
	sk := seenKey(url)
	v := seen.Get(sk)
	if v == nil || v[0] != stateQueued {
		return nil
	}
	qk := append([]byte(nil), v[1:]...)
	switch {
	case tx.Bucket(bucketLeased).Get(qk) != nil:
		if err := tx.Bucket(bucketLeased).Delete(qk); err != nil {
			return err
		}
		c.Leased--
	case !leasedOnly && tx.Bucket(bucketQueue).Get(qk) != nil:
		if err := tx.Bucket(bucketQueue).Delete(qk); err != nil {
			return err
		}
		c.Queued--
	default:
		return nil
	}
	if err := dropClaims(tx, ownerKey(url)); err != nil {
		return err
	}
	if o == Failed {
		c.Failed++
	} else {
		c.Done++
	}
	c.Undone[keyDepth(qk)]--
	return seen.Put(sk, seenValue(byte(o), qk))
}

// MarkWritten marks URLs whose records are already in the output as done,
// wherever they are (queued or leased): a resumed crawl calls it with the
// URLs read back from its output file, so that a URL whose record was
// written just before a crash, its Ack lost, is not fetched again. It
// returns how many URLs it marked.
func (f *Frontier) MarkWritten(ctx context.Context, urls []string) (int, error) {
	if err := ctx.Err(); err != nil {
		return 0, fmt.Errorf("diskfrontier: marking written URLs in %s: %w", f.path, err)
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.closed {
		return 0, f.errClosed()
	}
	if err := f.unbufferLocked(); err != nil {
		return 0, err
	}
	next := f.disk.clone()
	err := f.db.Update(func(tx *bolt.Tx) error {
		next = f.disk.clone()
		if err := f.writeAcksInto(tx, &next); err != nil {
			return err
		}
		for _, u := range urls {
			delete(f.out, u)
			if err := settle(tx, &next, u, Done, false); err != nil {
				return fmt.Errorf("marking %s written: %w", u, err)
			}
		}
		return next.store(tx.Bucket(bucketMeta))
	})
	if err != nil {
		return 0, fmt.Errorf("diskfrontier: marking written URLs in %s: %w", f.path, err)
	}
	n := int(next.Done - f.disk.Done)
	f.disk = next
	f.acks = f.acks[:0]
	return n, f.maybeSync()
}

// unbufferLocked puts the URLs leased ahead back in the queue.
func (f *Frontier) unbufferLocked() error {
	if len(f.buf) == 0 {
		return nil
	}
	next := f.disk.clone()
	next.Queued += int64(len(f.buf))
	next.Leased -= int64(len(f.buf))
	err := f.db.Update(func(tx *bolt.Tx) error {
		queue, leased := tx.Bucket(bucketQueue), tx.Bucket(bucketLeased)
		for _, e := range f.buf {
			v := append([]byte(nil), leased.Get(e.key)...)
			if err := queue.Put(e.key, v); err != nil {
				return err
			}
			if err := leased.Delete(e.key); err != nil {
				return err
			}
		}
		return next.store(tx.Bucket(bucketMeta))
	})
	if err != nil {
		return fmt.Errorf("diskfrontier: unleasing in %s: %w", f.path, err)
	}
	f.disk = next
	f.buf = nil
	return nil
}
