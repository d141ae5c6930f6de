package scrape

import (
	"slices"
	"testing"

	"github.com/poolscrape/poolscrape/internal/testsite"
)

// TestCrawlExtractInProcess runs extraction in worker processes (this test
// binary, served by executor.Init in TestMain) and gets the same records as
// extraction in the callback.
func TestCrawlExtractInProcess(t *testing.T) {
	site, srv := newSite(t, testsite.Config{})
	out, _ := crawl(t, srv, Config{Depth: 2, ExtractIn: ExtractInProcess, Workers: 2})
	want, err := site.Expected(2)
	if err != nil {
		t.Fatal(err)
	}
	got := out.byPath(t)
	if len(got) != len(want) {
		t.Errorf("%d records, want %d", len(got), len(want))
	}
	for p := range want {
		rec, ok := got[p]
		if !ok {
			t.Errorf("%s not recorded", p)
			continue
		}
		if rec.Error != "" && rec.Status == 200 {
			t.Errorf("%s: %s", p, rec.Error)
		}
		checkRecord(t, site, srv, p, rec)
	}
	if rec := got["/page/0"]; !slices.Contains(rec.Links, srv.URL+"/page/1") {
		t.Errorf("/page/0 links from the worker: %q", rec.Links)
	}
}
