package diskfrontier

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/poolscrape/poolscrape/scrape"
	"github.com/poolscrape/poolscrape/scrape/resume"
	bolt "go.etcd.io/bbolt"
)

// Counts is the frontier's progress, Done and Failed apart (Progress).
type Counts struct {
	Seen   int64 `json:"seen"`   // URLs ever added
	Queued int64 `json:"queued"` // waiting to be fetched
	Leased int64 `json:"leased"` // handed out by Pop, not yet acked
	Done   int64 `json:"done"`   // acked Done (or found written by MarkWritten)
	Failed int64 `json:"failed"` // acked Failed
	// Duplicates counts pushes and MarkSeens of URLs already seen.
	Duplicates int64 `json:"duplicates"`
}

// Scrape is c as scrape's counters, where Done counts every settled URL.
func (c Counts) Scrape() scrape.FrontierCounts {
	return scrape.FrontierCounts{Seen: c.Seen, Queued: c.Queued, Leased: c.Leased, Done: c.Done + c.Failed, Duplicates: c.Duplicates}
}

// Finished reports whether the crawl is over: URLs were added and none is
// queued or leased.
func (c Counts) Finished() bool { return resume.StateOf(c.Scrape()) == resume.Finished }

// counters is what the file holds (Counts) plus the queue sequence and, per
// depth, how many URLs are queued or leased (for depth gating).
type counters struct {
	Counts
	Seq    uint64        `json:"seq"`
	Undone map[int]int64 `json:"undone"`
}

// clone copies c, so a transaction that fails leaves the original intact.
func (c counters) clone() counters {
	u := make(map[int]int64, len(c.Undone))
	for d, n := range c.Undone {
		if n != 0 {
			u[d] = n
		}
	}
	c.Undone = u
	return c
}

// low is the least depth with undone URLs; ok is false when none is.
func (c counters) low() (d int, ok bool) {
	for depth, n := range c.Undone {
		if n > 0 && (!ok || depth < d) {
			d, ok = depth, true
		}
	}
	return d, ok
}

func loadCounters(meta *bolt.Bucket) (counters, error) {
	var c counters
	b := meta.Get(keyCounters)
	if b == nil {
		return c, nil
	}
	if err := json.Unmarshal(b, &c); err != nil {
		return c, fmt.Errorf("decoding counters: %w", err)
	}
	return c, nil
}

func (c counters) store(meta *bolt.Bucket) error {
	b, err := json.Marshal(c)
	if err != nil {
		return err
	}
	return meta.Put(keyCounters, b)
}

// Counts returns the counters; see scrape.Frontier (Progress has Done and
// Failed apart). It never fails.
func (f *Frontier) Counts(context.Context) (scrape.FrontierCounts, error) {
	return f.Progress().Scrape(), nil
}

// Progress returns the current progress, counting URLs leased ahead but not
// yet handed out as queued and acks not yet written as done or failed.
func (f *Frontier) Progress() Counts {
	f.mu.Lock()
	defer f.mu.Unlock()
	c := f.disk.Counts
	c.Queued += int64(len(f.buf))
	c.Leased -= int64(len(f.buf) + len(f.acks))
	for _, a := range f.acks {
		if a.outcome == Failed {
			c.Failed++
		} else {
			c.Done++
		}
	}
	return c
}
