package diskfrontier

import bolt "go.etcd.io/bbolt"

// unbuffer, in a depth-first state, moves the entries leased ahead (fresh
// ones, not retries, whose attempt count lives in memory only) back to the
// queue bucket within a Push's transaction: the URLs the Push adds are
// newer and must come out first. The caller sets f.buf to the returned kept
// entries once tx commits.
func (f *Frontier) unbuffer(tx *bolt.Tx, c *counters) ([]entry, error) {
	queue, leased := tx.Bucket(bucketQueue), tx.Bucket(bucketLeased)
	var kept []entry
	for _, e := range f.buf {
		if e.req.Attempt > 0 || !e.req.NotBefore.IsZero() || leased.Get(e.key) == nil {
			kept = append(kept, e)
			continue
		}
		if err := leased.Delete(e.key); err != nil {
			return nil, err
		}
		if err := queue.Put(e.key, encodeItem(e.req)); err != nil {
			return nil, err
		}
		c.Leased--
		c.Queued++
	}
	return kept, nil
}
