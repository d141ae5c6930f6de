package diskfrontier

import (
	"maps"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"

	"github.com/poolscrape/poolscrape/scrape/record"
)

// TestRecrawlReportsGoneOnce runs three passes: a page that fails is gone
// on the first pass it fails in and unchanged on the next one, where it
// still fails; a page that failed and answers again is new, not changed
// (it was not there the last time), and is requested without the
// validators of its error page.
func TestRecrawlReportsGoneOnce(t *testing.T) {
	site := &conditionalSite{log: map[string][]http.Header{}, pages: map[string]page{
		"/":  {links: []string{"/a", "/b", "/c"}, etag: `"r"`},
		"/a": {etag: `"a"`}, "/b": {etag: `"b"`}, "/c": {etag: `"c"`},
	}}
	var mu sync.Mutex
	failing := map[string]bool{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		fail := failing[r.URL.Path]
		mu.Unlock()
		if !fail {
			site.ServeHTTP(w, r)
			return
		}
		w.Header().Set("ETag", `"error-page"`) // not the page's: never to be sent back
		http.Error(w, "broken", http.StatusInternalServerError)
	}))
	defer srv.Close()
	dir := t.TempDir()
	crawlPass(t, srv, dir, false)

	site.remove("/b")
	mu.Lock()
	failing["/c"] = true
	mu.Unlock()
	second, st2 := crawlPass(t, srv, dir, true)
	checkChanges(t, "second pass", second, map[string]string{"/": "unchanged", "/a": "unchanged", "/b": "gone", "/c": "gone"})
	if want := map[string]int64{"unchanged": 2, "gone": 2}; !maps.Equal(st2.PassChanges, want) {
		t.Errorf("second pass: PassChanges %v, want %v", st2.PassChanges, want)
	}

	mu.Lock()
	failing["/c"] = false
	mu.Unlock()
	site.takeLog()
	third, st3 := crawlPass(t, srv, dir, true)
	checkChanges(t, "third pass", third, map[string]string{"/": "unchanged", "/a": "unchanged", "/b": "unchanged", "/c": "new"})
	if want := map[string]int64{"unchanged": 3, "new": 1}; !maps.Equal(st3.PassChanges, want) {
		t.Errorf("third pass: PassChanges %v, want %v", st3.PassChanges, want)
	}
	if r := third["/c"]; r.Status != http.StatusOK || r.Error != "" {
		t.Errorf("third pass /c: status %d error %q, want 200", r.Status, r.Error)
	}
	if inm := site.takeLog()["/c"][0].Get("If-None-Match"); inm != "" {
		t.Errorf("third pass /c, a 500 last time, requested with its If-None-Match %q", inm)
	}
}

// checkChanges compares the records' changes by path with want, and the
// paths recorded with want's.
func checkChanges(t *testing.T, pass string, got map[string]record.Record, want map[string]string) {
	t.Helper()
	for p, w := range want {
		r, ok := got[p]
		if !ok {
			t.Errorf("%s: no record of %s, want one with change %q", pass, p, w)
			continue
		}
		if r.Change != w {
			t.Errorf("%s %s: status %d, change %q, want %q", pass, p, r.Status, r.Change, w)
		}
	}
	for p := range got {
		if _, ok := want[p]; !ok {
			t.Errorf("%s: a record of %s, want none", pass, p)
		}
	}
}
