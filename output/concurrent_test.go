package output

import (
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/poolscrape/poolscrape/scrape/record"
)

// TestConcurrentWrites writes from many goroutines at once, with records
// large enough to need several write calls if the writer split them, and
// checks that every record reads back whole, exactly once.
func TestConcurrentWrites(t *testing.T) {
	const goroutines, each = 16, 200
	for _, ext := range []string{"jsonl", "csv", "json"} {
		path := tempPath(t, ext)
		w, err := Open(path, "", testRules)
		if err != nil {
			t.Fatal(err)
		}
		var wg sync.WaitGroup
		for g := range goroutines {
			wg.Go(func() {
				for i := range each {
					rec := sampleRecord(g*each + i)
					rec.Title = strings.Repeat(fmt.Sprintf("g%d-%d ", g, i), 600) // ~6 KB
					if err := w.Write(rec); err != nil {
						t.Error(err)
						return
					}
				}
			})
		}
		wg.Wait()
		if err := w.Close(); err != nil {
			t.Fatal(err)
		}
		if n := w.Records(); n != goroutines*each {
			t.Errorf("%s: Records() = %d", ext, n)
		}
		recs, err := ReadFile(path, "")
		if err != nil {
			t.Fatalf("%s: %v", ext, err)
		}
		assertEachOnce(t, ext, recs, goroutines*each)
	}
}

// assertEachOnce checks that recs hold sample records 0..n-1 once each,
// with their own titles.
func assertEachOnce(t *testing.T, label string, recs []record.Record, n int) {
	t.Helper()
	seen := make(map[string]bool)
	for _, r := range recs {
		if seen[r.URL] {
			t.Errorf("%s: %s twice", label, r.URL)
		}
		seen[r.URL] = true
		var g, i int
		if _, err := fmt.Sscanf(r.Title, "g%d-%d ", &g, &i); err != nil || r.URL != sampleRecord(g*200+i).URL {
			t.Errorf("%s: record %s has the title of another: %.20q", label, r.URL, r.Title)
		}
	}
	if len(recs) != n || len(seen) != n {
		t.Errorf("%s: %d records, %d distinct, want %d", label, len(recs), len(seen), n)
	}
}
