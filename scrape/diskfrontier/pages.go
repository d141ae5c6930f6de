package diskfrontier

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"

	"github.com/poolscrape/poolscrape/scrape"
	bolt "go.etcd.io/bbolt"
)

// The Frontier keeps what a pass learnt of each URL (scrape.PageStore):
// bucket pages for this pass, bucket previous for the pass before, which
// StartPass moves pages to.
var _ scrape.PageStore = (*Frontier)(nil)

var (
	bucketPages    = []byte("pages")
	bucketPrevious = []byte("previous")
)

// ErrNotFinished: StartPass was called on a crawl that has not finished
// (or never started).
var ErrNotFinished = errors.New("the crawl in the state has not finished")

// memo is a PageMemo with its URL and its queue key in its pass, as
// stored (JSON). The key orders the roots of the pass (see passOrder);
// memos stored before it was kept have none.
type memo struct {
	URL string `json:"u"`
	Key []byte `json:"k,omitempty"`
	scrape.PageMemo
}

// Remember keeps this pass's memo of url (scrape.PageStore), its links cut
// to scrape.MaxRememberedLinks.
func (f *Frontier) Remember(ctx context.Context, url string, m scrape.PageMemo) error {
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("diskfrontier: remembering %s in %s: %w", url, f.path, err)
	}
	m.Links = m.Links[:min(len(m.Links), scrape.MaxRememberedLinks)]
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.closed {
		return f.errClosed()
	}
	err := f.db.Update(func(tx *bolt.Tx) error {
		b, err := tx.CreateBucketIfNotExists(bucketPages)
		if err != nil {
			return err
		}
		sk := seenKey(url)
		mm := memo{URL: url, PageMemo: m}
		if s := tx.Bucket(bucketSeen).Get(sk); len(s) == 1+keyLen && s[0] != stateMarked {
			mm.Key = append([]byte(nil), s[1:]...)
		}
		v, err := json.Marshal(mm)
		if err != nil {
			return fmt.Errorf("encoding the memo: %w", err)
		}
		if err := countChange(tx.Bucket(bucketMeta), b.Get(sk), m.Change); err != nil {
			return err
		}
		return b.Put(sk, v)
	})
	if err != nil {
		return fmt.Errorf("diskfrontier: remembering %s in %s: %w", url, f.path, err)
	}
	return nil
}

// Previous returns the previous pass's memo of url (scrape.PageStore).
func (f *Frontier) Previous(ctx context.Context, url string) (scrape.PageMemo, bool, error) {
	if err := ctx.Err(); err != nil {
		return scrape.PageMemo{}, false, fmt.Errorf("diskfrontier: previous pass of %s in %s: %w", url, f.path, err)
	}
	var m memo
	found := false
	err := f.db.View(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketPrevious)
		if b == nil {
			return nil
		}
		v := b.Get(seenKey(url))
		if v == nil {
			return nil
		}
		found = true
		return json.Unmarshal(v, &m)
	})
	if err != nil {
		return scrape.PageMemo{}, false, fmt.Errorf("diskfrontier: previous pass of %s in %s: %w", url, f.path, err)
	}
	return m.PageMemo, found && m.URL == url, nil
}

// Recrawling reports whether the state holds a previous pass (StartPass
// was called on it, and it held page data).
func (f *Frontier) Recrawling() bool {
	found := false
	_ = f.db.View(func(tx *bolt.Tx) error {
		found = tx.Bucket(bucketPrevious) != nil
		return nil
	})
	return found
}

// StartPass turns a finished crawl into the start of a new pass (a
// recrawl): what the finished pass learnt of its URLs becomes the previous
// pass, the seen set is emptied and every URL the finished pass remembered
// (those it recorded, and those it skipped without a record:
// scrape.PageMemo.Skipped) is queued again at its depth, in the order of the state's scrape.Order (see
// passOrder: level by level, or each page's first link and its subtree
// before its second link, in page order). A state without page data
// (PageData false) has no previous pass after it: nothing is queued, the
// crawl starts from its start URLs, and its records get no
// record.Record.Change (rather than all ChangeNew). It returns how many URLs it queued, or
// ErrNotFinished (wrapped) when the crawl has URLs queued or leased, or
// none at all.
func (f *Frontier) StartPass(ctx context.Context) (int, error) {
	if err := ctx.Err(); err != nil {
		return 0, fmt.Errorf("diskfrontier: starting a pass in %s: %w", f.path, err)
	}
	if !f.Progress().Finished() {
		return 0, fmt.Errorf("diskfrontier: %s: %w", f.path, ErrNotFinished)
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.closed {
		return 0, f.errClosed()
	}
	if err := f.syncLocked(); err != nil {
		return 0, err
	}
	next := counters{Undone: map[int]int64{}}
	err := f.db.Update(func(tx *bolt.Tx) error {
		next = counters{Undone: map[int]int64{}}
		if err := newPass(tx); err != nil {
			return err
		}
		if err := queuePrevious(tx, &next, f.lifo); err != nil {
			return err
		}
		return next.store(tx.Bucket(bucketMeta))
	})
	if err != nil {
		return 0, fmt.Errorf("diskfrontier: starting a pass in %s: %w", f.path, err)
	}
	f.disk = next
	return int(next.Queued), f.syncLocked()
}

// newPass moves bucket pages to previous and empties the seen set, queue,
// leases and the pass's changes. Without page data (see PageData) there is no previous pass
// after it: the new pass is not a recrawl (Recrawling is false).
func newPass(tx *bolt.Tx) error {
	if tx.Bucket(bucketPrevious) != nil {
		if err := tx.DeleteBucket(bucketPrevious); err != nil {
			return err
		}
	}
	if err := tx.Bucket(bucketMeta).Delete(keyPassChanges); err != nil {
		return err
	}
	if pages := tx.Bucket(bucketPages); pages != nil {
		if k, _ := pages.Cursor().First(); k != nil {
			prev, err := tx.CreateBucket(bucketPrevious)
			if err != nil {
				return err
			}
			if err := pages.ForEach(func(k, v []byte) error { return prev.Put(k, v) }); err != nil {
				return err
			}
		}
		if err := tx.DeleteBucket(bucketPages); err != nil {
			return err
		}
	}
	for _, name := range [][]byte{bucketSeen, bucketQueue, bucketLeased, bucketClaims} {
		if err := tx.DeleteBucket(name); err != nil {
			return err
		}
		if _, err := tx.CreateBucket(name); err != nil {
			return err
		}
	}
	return nil
}

// queuePrevious queues every URL of the previous pass, in the order the
// state's scrape.Order visits them (passOrder): with lifo, the stack is
// filled from the last URL, so that the first comes out first.
func queuePrevious(tx *bolt.Tx, c *counters, lifo bool) error {
	prev := tx.Bucket(bucketPrevious)
	if prev == nil {
		return nil // no page data: the crawl queues its start URLs
	}
	reqs, err := passOrder(prev, lifo)
	if err != nil {
		return err
	}
	if lifo {
		slices.Reverse(reqs)
	}
	for _, r := range reqs {
		if _, _, err := addItem(tx, c, r, lifo); err != nil {
			return fmt.Errorf("queueing %s: %w", r.URL, err)
		}
	}
	return nil
}

// PageData reports whether the state holds page data (scrape.PageMemo) of
// its last pass. A finished crawl without any kept none: it was made before
// states kept page data, or without scrape.Config.Pages. StartPass of such
// a state starts a pass with nothing to compare with.
func (f *Frontier) PageData() bool {
	found := false
	_ = f.db.View(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketPages)
		if b != nil {
			k, _ := b.Cursor().First()
			found = k != nil
		}
		return nil
	})
	return found
}
