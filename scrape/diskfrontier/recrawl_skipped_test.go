package diskfrontier

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/poolscrape/poolscrape/scrape"
	"github.com/poolscrape/poolscrape/scrape/record"
)

// robotsSite is a conditionalSite with a robots.txt that disallows the
// paths the test sets.
type robotsSite struct {
	*conditionalSite
	mu       sync.Mutex
	disallow []string
}

func (s *robotsSite) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path != "/robots.txt" {
		s.conditionalSite.ServeHTTP(w, r)
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	b := strings.Builder{}
	b.WriteString("User-agent: *\n")
	for _, p := range s.disallow {
		b.WriteString("Disallow: " + p + "\n")
	}
	b.WriteString("Allow: /\n")
	_, _ = w.Write([]byte(b.String()))
}

func (s *robotsSite) setDisallow(paths ...string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.disallow = paths
}

// skipPass is crawlPass obeying robots.txt, with at most maxPages pages
// (0: no limit), one fetch at a time.
func skipPass(t *testing.T, srv *httptest.Server, dir string, recrawl bool, maxPages int) (map[string]record.Record, scrape.Stats) {
	t.Helper()
	recs, st := runPass(t, dir, testID, recrawl, scrape.Config{Starts: []string{srv.URL + "/"}, Depth: -1, Concurrency: 1,
		MaxPages: maxPages})
	return byPath(srv, recs), st
}

// TestRecrawlTriesRobotsBlockedURLsAgain: a URL robots.txt disallows has
// no record, but the next pass queues it again, even when no page links
// to it any more, and asks robots.txt again: never fetched before, it is
// new; fetched before the pass that skipped it, it is compared with that
// fetch (its validators sent: 304, unchanged).
func TestRecrawlTriesRobotsBlockedURLsAgain(t *testing.T) {
	site := &robotsSite{conditionalSite: &conditionalSite{log: map[string][]http.Header{}, pages: map[string]page{
		"/": {links: []string{"/a", "/b"}, etag: `"r"`}, "/a": {etag: `"a"`}, "/b": {etag: `"b"`},
	}}}
	srv := httptest.NewServer(site)
	defer srv.Close()
	dir := t.TempDir()

	site.setDisallow("/b")
	first, st := skipPass(t, srv, dir, false, 0)
	if _, ok := first["/b"]; ok || st.RobotsBlocked != 1 {
		t.Fatalf("first pass: /b recorded %v, %d robots blocked, want no record and 1", ok, st.RobotsBlocked)
	}
	site.setDisallow()
	site.set("/", page{links: []string{"/a"}, etag: `"r2"`}) // no link to /b any more
	second, _ := skipPass(t, srv, dir, true, 0)
	checkChanges(t, "second pass", second, map[string]string{"/": "changed", "/a": "unchanged", "/b": "new"})

	site.setDisallow("/b")
	third, st := skipPass(t, srv, dir, true, 0)
	checkChanges(t, "third pass", third, map[string]string{"/": "unchanged", "/a": "unchanged"})
	if st.RobotsBlocked != 1 {
		t.Errorf("third pass: %d robots blocked, want 1 (/b)", st.RobotsBlocked)
	}

	site.setDisallow()
	site.takeLog()
	fourth, _ := skipPass(t, srv, dir, true, 0)
	checkChanges(t, "fourth pass", fourth, map[string]string{"/": "unchanged", "/a": "unchanged", "/b": "unchanged"})
	if h := site.takeLog()["/b"]; len(h) != 1 || h[0].Get("If-None-Match") != `"b"` {
		t.Errorf("fourth pass: /b requested with %v, want once with If-None-Match \"b\" from the second pass", h)
	}
}

// TestRecrawlKeepsURLsPastMaxPages: the URLs a pass drops past MaxPages
// are queued by the next pass (even when no page links to them any more)
// and compared with their last fetch.
func TestRecrawlKeepsURLsPastMaxPages(t *testing.T) {
	site := &robotsSite{conditionalSite: &conditionalSite{log: map[string][]http.Header{}, pages: map[string]page{
		"/": {links: []string{"/a", "/b"}, etag: `"r"`}, "/a": {links: []string{"/a1"}, etag: `"a"`},
		"/a1": {etag: `"a1"`}, "/b": {etag: `"b"`},
	}}}
	srv := httptest.NewServer(site)
	defer srv.Close()
	dir := t.TempDir()
	skipPass(t, srv, dir, false, 0)

	second, st := skipPass(t, srv, dir, true, 1)
	checkChanges(t, "second pass, MaxPages 1", second, map[string]string{"/": "unchanged"})
	if st.MaxPagesSkipped != 3 {
		t.Errorf("second pass: %d past MaxPages, want 3", st.MaxPagesSkipped)
	}

	site.set("/", page{etag: `"r2"`}) // links to nothing now
	third, _ := skipPass(t, srv, dir, true, 0)
	checkChanges(t, "third pass", third, map[string]string{"/": "changed", "/a": "unchanged", "/a1": "unchanged", "/b": "unchanged"})
	for _, p := range []string{"/a", "/a1", "/b"} {
		if r := third[p]; r.Status != http.StatusNotModified {
			t.Errorf("third pass %s: status %d, want 304 to the first pass's validators", p, r.Status)
		}
	}
}
