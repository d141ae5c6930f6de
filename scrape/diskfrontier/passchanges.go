package diskfrontier

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/poolscrape/poolscrape/scrape"

	bolt "go.etcd.io/bbolt"
)

// The pass's records by record.Record.Change (scrape.PassCounter) live in
// the meta bucket, updated by Remember in the transaction that stores the
// memo: a URL remembered again (its fetch redone after a crash, before its
// ack reached the file) moves from its old change to its new one, so each
// URL of the pass counts once. StartPass empties them.

// The meta bucket's key of the pass's counts by change.
var keyPassChanges = []byte("pass-changes")

// The crawler reads the counts from the Frontier, its Config.Pages.
var _ scrape.PassCounter = (*Frontier)(nil)

// PassChanges returns this pass's remembered URLs by change (new, changed,
// unchanged, gone; scrape.PassCounter), over every run of the pass; empty
// outside a recrawl.
func (f *Frontier) PassChanges(ctx context.Context) (map[string]int64, error) {
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("diskfrontier: the pass's changes in %s: %w", f.path, err)
	}
	var m map[string]int64
	err := f.db.View(func(tx *bolt.Tx) error {
		var err error
		m, err = loadPassChanges(tx.Bucket(bucketMeta))
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("diskfrontier: the pass's changes in %s: %w", f.path, err)
	}
	return m, nil
}

func loadPassChanges(meta *bolt.Bucket) (map[string]int64, error) {
	m := map[string]int64{}
	if b := meta.Get(keyPassChanges); b != nil {
		if err := json.Unmarshal(b, &m); err != nil {
			return nil, fmt.Errorf("decoding the pass's changes: %w", err)
		}
	}
	return m, nil
}

// countChange moves a URL's count from the change of its old memo (nil:
// none) to change, in tx's meta bucket.
func countChange(meta *bolt.Bucket, old []byte, change string) error {
	var was struct{ Change string }
	if old != nil {
		if err := json.Unmarshal(old, &was); err != nil {
			return fmt.Errorf("decoding the memo remembered before: %w", err)
		}
	}
	if was.Change == change {
		return nil
	}
	m, err := loadPassChanges(meta)
	if err != nil {
		return err
	}
	if was.Change != "" {
		if m[was.Change]--; m[was.Change] <= 0 {
			delete(m, was.Change)
		}
	}
	if change != "" {
		m[change]++
	}
	b, err := json.Marshal(m)
	if err != nil {
		return err
	}
	return meta.Put(keyPassChanges, b)
}
