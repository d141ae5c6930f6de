package scrape

import (
	"strings"
	"testing"

	"github.com/poolscrape/poolscrape/internal/testsite"
)

// TestCrawlRobots: /private/ is never requested when robots.txt is obeyed,
// and is crawled with IgnoreRobots.
func TestCrawlRobots(t *testing.T) {
	site, srv := newSite(t, testsite.Config{})
	_, stats := crawl(t, srv, Config{Depth: 3})
	for p, n := range site.RequestsPerPath() {
		if strings.HasPrefix(p, "/private/") && n > 0 {
			t.Errorf("%s requested %d times despite robots.txt", p, n)
		}
	}
	if stats.RobotsBlocked == 0 {
		t.Error("no robots-blocked URL counted")
	}
	site2, srv2 := newSite(t, testsite.Config{})
	out, _ := crawl(t, srv2, Config{Depth: 3, IgnoreRobots: true})
	want, _ := site2.ExpectedIgnoringRobots(3)
	got := out.byPath(t)
	if len(got) != len(want) {
		t.Errorf("ignoring robots: %d records, want %d", len(got), len(want))
	}
	if site2.Requests("/robots.txt") != 0 {
		t.Error("robots.txt fetched with IgnoreRobots")
	}
	if site2.Requests("/private/") != 1 {
		t.Error("/private/ not fetched with IgnoreRobots")
	}
}

// TestCrawlRetriesAndRedirects: a 503-then-200 page and a 429-then-200 page
// are retried and recorded once as 200; a redirect chain is recorded under
// the linked URL with the final target; a redirect to a URL already seen
// is not followed; binary links are never requested; charsets decode.
func TestCrawlRetriesAndRedirects(t *testing.T) {
	site, srv := newSite(t, testsite.Config{})
	out, stats := crawl(t, srv, Config{Depth: 3})
	got := out.byPath(t)
	for _, p := range []string{"/flaky/3", "/busy"} {
		rec, ok := got[p]
		if !ok || rec.Status != 200 || rec.Error != "" {
			t.Errorf("%s: %+v, want one 200 record", p, rec)
		}
		if n := site.Requests(p); n != 2 {
			t.Errorf("%s requested %d times, want 2", p, n)
		}
	}
	if stats.Retries < 2 {
		t.Errorf("stats.Retries = %d", stats.Retries)
	}
	if rec := got["/chain/3"]; rec.Status != 200 || pathOf(t, rec.FinalURL) != "/landing" {
		t.Errorf("/chain/3: status %d final %s", rec.Status, rec.FinalURL)
	}
	if _, ok := got["/landing"]; ok {
		t.Error("redirect target /landing has a record of its own")
	}
	for p, n := range site.RequestsPerPath() {
		if testsite.IsBinary(p) && n > 0 {
			t.Errorf("binary %s requested", p)
		}
	}
	for _, p := range []string{"/latin1", "/cp1252"} {
		in, _ := site.Info(p)
		if got[p].Title != in.Title {
			t.Errorf("%s title %q, want %q", p, got[p].Title, in.Title)
		}
	}
	checkNoRefetch(t, site)
}

// TestCrawlTrapBounded: the endless /trap/K chain stops at --depth, and
// --max-pages caps the pages fetched.
func TestCrawlTrapBounded(t *testing.T) {
	site, srv := newSite(t, testsite.Config{})
	_, stats := crawl(t, srv, Config{Depth: 6})
	if site.Requests("/trap/6") != 1 || site.Requests("/trap/7") != 0 {
		t.Errorf("depth 6: /trap/6 requested %d, /trap/7 %d times", site.Requests("/trap/6"), site.Requests("/trap/7"))
	}
	if stats.MaxDepth != 6 {
		t.Errorf("max depth %d", stats.MaxDepth)
	}
	site2, srv2 := newSite(t, testsite.Config{})
	out, stats2 := crawl(t, srv2, Config{Depth: -1, MaxPages: 25, Concurrency: 4})
	if n := len(out.byPath(t)); n != 25 || stats2.Pages != 25 {
		t.Errorf("max-pages 25: %d records, stats %d", n, stats2.Pages)
	}
	// Retries and redirect hops are requests on top of the 25 pages.
	extra := int(stats2.Retries)
	for p := range out.byPath(t) {
		if in, ok := site2.Info(p); ok {
			extra += len(in.Redirects)
		}
	}
	pages := site2.TotalRequests() - site2.Requests("/robots.txt")
	if pages > 25+extra {
		t.Errorf("max-pages 25: the site answered %d page requests, want at most 25 + %d retries and redirect hops", pages, extra)
	}
}

// TestCrawlMaxBody: a body over MaxBody is an error record, not a crash.
func TestCrawlMaxBody(t *testing.T) {
	_, srv := newSite(t, testsite.Config{BigSize: 300 << 10})
	out, _ := crawl(t, srv, Config{Depth: 1, MaxBody: 100 << 10})
	rec, ok := out.byPath(t)["/big"]
	if !ok || !strings.Contains(rec.Error, "Config.MaxBody") {
		t.Fatalf("/big: %+v, want an error naming Config.MaxBody", rec)
	}
}

// TestCrawlOffScope: the other loopback name is off scope for host scope.
func TestCrawlOffScope(t *testing.T) {
	_, srv := newSite(t, testsite.Config{})
	out, stats := crawl(t, srv, Config{Depth: 1})
	for p := range out.byPath(t) {
		if p == "/offsite" {
			t.Error("off-scope /offsite crawled")
		}
	}
	if stats.OffScope == 0 {
		t.Error("no off-scope link counted")
	}
}
