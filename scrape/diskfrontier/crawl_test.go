package diskfrontier

import (
	"context"
	"net/http/httptest"
	"sync"
	"testing"

	"github.com/poolscrape/poolscrape/internal/frontiertest"
	"github.com/poolscrape/poolscrape/internal/testsite"
	"github.com/poolscrape/poolscrape/scrape"
	"github.com/poolscrape/poolscrape/scrape/record"
)

// records is a record.Writer keeping the records in memory; it calls
// stop after limit records (0: never).
type records struct {
	mu    sync.Mutex
	recs  []record.Record
	limit int
	stop  func()
}

func (r *records) Write(rec record.Record) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.recs = append(r.recs, rec)
	if r.limit > 0 && len(r.recs) == r.limit {
		r.stop()
	}
	return nil
}

// crawlOnce crawls srv with the frontier in dir, stopping after limit
// records (0: to the end), and returns the records.
func crawlOnce(t *testing.T, srv *httptest.Server, dir string, limit int) []record.Record {
	t.Helper()
	f, err := Open(dir, testID, Config{})
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close(context.Background())
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	out := &records{limit: limit, stop: cancel}
	c, err := scrape.New(scrape.Config{Starts: []string{srv.URL + "/"}, Depth: 3, Concurrency: 4, Output: out, IgnoreRobots: true, Frontier: f})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Run(ctx); err != nil {
		t.Fatal(err)
	}
	return out.recs
}

func newSite(t *testing.T) (*testsite.Site, *httptest.Server) {
	t.Helper()
	site, err := testsite.New(testsite.Config{})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(site.Handler())
	t.Cleanup(srv.Close)
	return site, srv
}

// checkUnion fails unless recs hold each expected path once, at its depth.
func checkUnion(t *testing.T, site *testsite.Site, recs []record.Record) {
	t.Helper()
	// Robots are ignored: the crawler's robots.txt loading is tested in
	// package scrape; here the frontier is.
	want, err := site.ExpectedIgnoringRobots(3)
	if err != nil {
		t.Fatal(err)
	}
	frontiertest.EachOnce(t, want, recs)
}

func TestCrawlOnDiskMatchesExpected(t *testing.T) {
	site, srv := newSite(t)
	dir := t.TempDir()
	checkUnion(t, site, crawlOnce(t, srv, dir, 0))
	f := openT(t, dir, Config{})
	if c := f.Progress(); !c.Finished() {
		t.Errorf("counts after the crawl %+v, want finished", c)
	}
}

// TestCrawlResumesAfterStop stops a crawl after 15 records, reopens the
// folder, marks the written records and crawls again: together the two
// runs hold every expected page once.
func TestCrawlResumesAfterStop(t *testing.T) {
	site, srv := newSite(t)
	dir := t.TempDir()
	first := crawlOnce(t, srv, dir, 15)
	f, err := Open(dir, testID, Config{})
	if err != nil {
		t.Fatal(err)
	}
	if c := f.Progress(); c.Finished() {
		t.Fatalf("the stopped crawl is finished already (%+v): stop it earlier", c)
	}
	written := make([]string, len(first))
	for i, r := range first {
		written[i] = r.URL
	}
	if _, err := f.MarkWritten(context.Background(), written); err != nil {
		t.Fatal(err)
	}
	f.Close(context.Background())
	second := crawlOnce(t, srv, dir, 0)
	if len(second) == 0 {
		t.Fatal("the resumed crawl fetched nothing")
	}
	checkUnion(t, site, append(first, second...))
}
