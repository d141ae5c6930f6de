package scrape

import (
	"sync"
	"sync/atomic"
)

// maxDistinctSkips bounds the URLs the crawl remembers to count off-scope
// and binary links once per URL (Stats.OffScope, Stats.BinarySkipped): at
// most 18 bytes each, some 19 MB in all. Past it, a skipped URL not
// remembered counts as new: the counts may then exceed the distinct URLs.
const maxDistinctSkips = 1 << 20

// distinctSkips remembers the hashes of URLs skipped (not followed), up to
// maxDistinctSkips. Safe for concurrent use.
type distinctSkips struct {
	mu  sync.Mutex
	set seenSet
}

// isNew reports whether url was not skipped before (or is not remembered:
// the set is full).
func (d *distinctSkips) isNew(url string) bool {
	h := hashURL(url)
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.set.len() >= maxDistinctSkips {
		if d.set.remove(h) { // present: put it back
			d.set.add(h)
			return false
		}
		return true
	}
	return d.set.add(h)
}

// skip counts url in n (the off-scope or the binary counter) if it is the
// first time the crawl skips it.
func (c *counters) skip(n *atomic.Int64, url string) {
	if c.skipped.isNew(url) {
		n.Add(1)
	}
}
