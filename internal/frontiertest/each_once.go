package frontiertest

import (
	"testing"

	"github.com/poolscrape/poolscrape/internal/testsite"
	"github.com/poolscrape/poolscrape/scrape/record"
)

// EachOnce fails t unless recs, the records of one crawl (of one or more
// crawlers together), hold each path of want (path → depth) once, at its
// depth, and no other.
func EachOnce(t *testing.T, want map[string]int, recs []record.Record) {
	t.Helper()
	got := map[string]int{}
	for _, r := range recs {
		p, err := testsite.PathOf(r.URL)
		if err != nil {
			t.Fatal(err)
		}
		if _, dup := got[p]; dup {
			t.Errorf("%s recorded twice", p)
		}
		got[p] = r.Depth
	}
	for p, d := range want {
		if gd, ok := got[p]; !ok {
			t.Errorf("%s (depth %d) never recorded", p, d)
		} else if gd != d {
			t.Errorf("%s recorded at depth %d, want %d", p, gd, d)
		}
	}
	for p := range got {
		if _, ok := want[p]; !ok {
			t.Errorf("%s recorded, not expected", p)
		}
	}
}
