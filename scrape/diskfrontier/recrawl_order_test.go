package diskfrontier

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"sync"
	"testing"

	"github.com/poolscrape/poolscrape/internal/ordertest"
	"github.com/poolscrape/poolscrape/scrape"
	"github.com/poolscrape/poolscrape/scrape/record"
)

// treeSite serves ordertest's tree, each page with an ETag (answering
// If-None-Match with 304), and logs the paths in the order they are
// requested.
type treeSite struct {
	mu    sync.Mutex
	paths []string
}

func (s *treeSite) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	s.paths = append(s.paths, r.URL.Path)
	s.mu.Unlock()
	etag := fmt.Sprintf(`"%x"`, r.URL.Path)
	w.Header().Set("ETag", etag)
	if r.Header.Get("If-None-Match") == etag {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	w.Header().Set("Content-Type", "text/html")
	for _, c := range ordertest.Children(r.URL.Path) {
		fmt.Fprintf(w, `<a href="%s">%s</a> `, c, c)
	}
}

// take returns the paths logged so far and clears the log.
func (s *treeSite) take() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	p := s.paths
	s.paths = nil
	return p
}

// TestRecrawlKeepsTheOrder: a recrawl of a state made with each order
// requests the tree in that order (ordertest.Want), one fetch at a time:
// level by level in page order, or the first link's subtree before the
// second link.
func TestRecrawlKeepsTheOrder(t *testing.T) {
	for _, o := range []scrape.Order{scrape.OrderBreadth, scrape.OrderDepth} {
		t.Run(string(o), func(t *testing.T) {
			site := &treeSite{}
			srv := httptest.NewServer(site)
			defer srv.Close()
			dir := t.TempDir()
			orderPass(t, srv, dir, o, false)
			site.take()
			recs := orderPass(t, srv, dir, o, true)
			if got := site.take(); !slices.Equal(got, ordertest.Want[o]) {
				t.Errorf("recrawl requested\n%v\nwant\n%v", got, ordertest.Want[o])
			}
			for _, r := range recs {
				if r.Status != http.StatusNotModified || r.Change != "unchanged" {
					t.Errorf("recrawl %s: status %d change %q, want 304 unchanged", r.URL, r.Status, r.Change)
				}
			}
		})
	}
}

// orderPass crawls srv in order o with the state in dir, one fetch at a
// time, as a first pass or (recrawl) a new pass, and returns the records.
func orderPass(t *testing.T, srv *httptest.Server, dir string, o scrape.Order, recrawl bool) []record.Record {
	t.Helper()
	recs, _ := runPass(t, dir, idOf(t, o), recrawl, scrape.Config{Starts: []string{srv.URL + "/"}, Depth: -1, Concurrency: 1, PerHost: 1,
		Order: o, IgnoreRobots: true})
	if len(recs) != len(ordertest.Want[o]) {
		t.Fatalf("pass (recrawl %v): %d records, want %d", recrawl, len(recs), len(ordertest.Want[o]))
	}
	return recs
}
