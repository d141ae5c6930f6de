package scrape

import (
	"net/http"
	"slices"
	"testing"

	"github.com/poolscrape/poolscrape/internal/testsite"
	"github.com/poolscrape/poolscrape/scrape/record"
)

// TestCrawlMatchesSiteAtEachDepth compares the crawl with the site's
// computed expectations: exactly the expected URLs, each at its depth, with
// the site's status, final URL, title and matches.
func TestCrawlMatchesSiteAtEachDepth(t *testing.T) {
	for _, depth := range []int{0, 1, 2, 3, 4} {
		site, srv := newSite(t, testsite.Config{})
		out, stats := crawl(t, srv, Config{Depth: depth, Concurrency: 8, PerHost: 8})
		want, err := site.Expected(depth)
		if err != nil {
			t.Fatal(err)
		}
		got := out.byPath(t)
		for p, d := range want {
			rec, ok := got[p]
			if !ok {
				t.Errorf("depth %d: %s (depth %d) not recorded", depth, p, d)
				continue
			}
			if rec.Depth != d {
				t.Errorf("depth %d: %s recorded at depth %d, want %d", depth, p, rec.Depth, d)
			}
			checkRecord(t, site, srv, p, rec)
		}
		for p := range got {
			if _, ok := want[p]; !ok {
				t.Errorf("depth %d: %s recorded but not expected", depth, p)
			}
		}
		if stats.Pages != int64(len(want)) {
			t.Errorf("depth %d: stats.Pages = %d, want %d", depth, stats.Pages, len(want))
		}
		checkNoRefetch(t, site)
	}
}

// checkRecord compares one record with the site's Info for its path.
func checkRecord(t *testing.T, site *testsite.Site, srv interface{ Client() *http.Client }, p string, rec record.Record) {
	t.Helper()
	in, ok := site.Info(p)
	if !ok {
		if rec.Status != http.StatusNotFound {
			t.Errorf("%s: status %d, want 404", p, rec.Status)
		}
		return
	}
	if len(in.Redirects) > 0 && rec.Status >= 300 && rec.Status < 400 {
		// A redirect to a URL already seen is not followed (documented).
		if got := pathOf(t, rec.FinalURL); got != in.Redirects[0] {
			t.Errorf("%s: unfollowed redirect final_url %s, want %s", p, got, in.Redirects[0])
		}
		return
	}
	if rec.Status != in.Status {
		t.Errorf("%s: status %d, want %d (error %q)", p, rec.Status, in.Status, rec.Error)
	}
	if got := pathOf(t, rec.FinalURL); got != in.FinalPath {
		t.Errorf("%s: final_url path %s, want %s", p, got, in.FinalPath)
	}
	if rec.Title != in.Title {
		t.Errorf("%s: title %q, want %q", p, rec.Title, in.Title)
	}
	for _, name := range testsite.RuleNames() {
		want := in.Matches[name]
		if !slices.Equal(rec.Matches[name], want) && len(want)+len(rec.Matches[name]) > 0 {
			t.Errorf("%s: matches[%s] = %q, want %q", p, name, rec.Matches[name], want)
		}
	}
}

// checkNoRefetch fails if the site answered any path more often than a
// crawl may ask for it: once, or twice for the paths that fail first.
func checkNoRefetch(t *testing.T, site *testsite.Site) {
	t.Helper()
	for p, n := range site.RequestsPerPath() {
		limit := 1
		if in, ok := site.Info(p); ok && in.FirstStatus != 0 {
			limit = 2
		}
		if n > limit {
			t.Errorf("%s requested %d times", p, n)
		}
	}
}
