// Package frontiertest holds the crawler tests that every frontier which
// outlives its process (scrape.Releaser: diskfrontier, redisfrontier) must
// pass, each written once: a backend's tests call them with a constructor
// of its frontier. Like package ordertest, it is for tests only.
package frontiertest

import (
	"sync"
	"testing"

	"github.com/poolscrape/poolscrape/internal/testsite"
	"github.com/poolscrape/poolscrape/scrape"
	"github.com/poolscrape/poolscrape/scrape/record"
)

// Open returns a frontier for the test t, on state of its own (or, in a
// test that reopens state, on that state), closed when t ends.
type Open func(t *testing.T) scrape.Frontier

// Records is a record.Writer keeping the records in memory. Safe for
// concurrent use.
type Records struct {
	mu   sync.Mutex
	recs []record.Record
}

// Write keeps rec.
func (r *Records) Write(rec record.Record) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.recs = append(r.recs, rec)
	return nil
}

// All returns the records written so far.
func (r *Records) All() []record.Record {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]record.Record(nil), r.recs...)
}

// ByPath returns the records written so far by their URL's path.
func (r *Records) ByPath(t *testing.T) map[string]record.Record {
	t.Helper()
	got := map[string]record.Record{}
	for _, rec := range r.All() {
		p, err := testsite.PathOf(rec.URL)
		if err != nil {
			t.Fatal(err)
		}
		got[p] = rec
	}
	return got
}
