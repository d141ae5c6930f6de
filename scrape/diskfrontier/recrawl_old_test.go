package diskfrontier

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/poolscrape/poolscrape/scrape"
)

// TestStartPassWithoutPageData: a finished crawl that kept no page data
// (as states made before there was any, or a crawl without
// scrape.Config.Pages) reports it (PageData false), and StartPass of it
// starts a pass with nothing to compare with: not a recrawl (no
// conditional requests, records without a change rather than all "new"),
// whose own page data the next pass compares with.
func TestStartPassWithoutPageData(t *testing.T) {
	ctx := context.Background()
	site := &conditionalSite{log: map[string][]http.Header{}, pages: map[string]page{
		"/": {links: []string{"/a"}, etag: `"r"`}, "/a": {etag: `"a"`},
	}}
	srv := httptest.NewServer(site)
	defer srv.Close()
	dir := t.TempDir()
	f, err := Open(dir, testID, Config{})
	if err != nil {
		t.Fatal(err)
	}
	c, err := scrape.New(scrape.Config{Starts: []string{srv.URL + "/"}, Depth: -1, Output: &records{}, IgnoreRobots: true, Frontier: f})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Run(ctx); err != nil {
		t.Fatal(err)
	}
	if f.PageData() {
		t.Error("PageData of a crawl without Config.Pages: true")
	}
	f.Close(ctx)
	site.takeLog()

	second, st := crawlPass(t, srv, dir, true)
	if len(second) != 2 {
		t.Fatalf("pass over a state without page data: %d records, want 2", len(second))
	}
	for p, r := range second {
		if r.Change != "" || r.Status != http.StatusOK {
			t.Errorf("pass over a state without page data, %s: status %d change %q, want 200 and no change", p, r.Status, r.Change)
		}
	}
	if len(st.Changes) != 0 {
		t.Errorf("Stats.Changes %v, want none", st.Changes)
	}
	for p, hs := range site.takeLog() {
		if h := hs[0]; h.Get("If-None-Match") != "" {
			t.Errorf("%s requested with If-None-Match %q: there was nothing to compare with", p, h.Get("If-None-Match"))
		}
	}
	third, _ := crawlPass(t, srv, dir, true)
	for p, r := range third {
		if r.Change != "unchanged" {
			t.Errorf("the pass after, %s: change %q, want unchanged", p, r.Change)
		}
	}
}
