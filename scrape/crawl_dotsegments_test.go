package scrape

import (
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/poolscrape/poolscrape/internal/hostile"
)

// TestCrawlDotSegmentsJudgedAsRequested: links that reach /private through
// dot segments (plain or percent-encoded) are blocked by robots.txt's
// Disallow: /private, as they are requested as /private/...; a redirect
// into /private is not followed; spellings of one URL are fetched once.
func TestCrawlDotSegmentsJudgedAsRequested(t *testing.T) {
	site := &hostile.DotSegments{}
	srv := httptest.NewServer(site)
	t.Cleanup(srv.Close)
	out, _ := crawl(t, srv, Config{Depth: 1})
	checkDotSegmentCrawl(t, site, out)
	if rec := out.byPath(t)["/redirect-private"]; rec.Status != 302 {
		t.Errorf("/redirect-private: %+v, want its 302 (target disallowed)", rec)
	}
}

// TestCrawlDotSegmentsJudgedByAllow: Allow judges the URL that is
// requested: links into /private by dot segments are refused by an Allow
// that only /, /x/..., /a and the like pass.
func TestCrawlDotSegmentsJudgedByAllow(t *testing.T) {
	site := &hostile.DotSegments{}
	srv := httptest.NewServer(site)
	t.Cleanup(srv.Close)
	allow := regexp.MustCompile(`^http://[^/]+/([^p].*)?$`)
	out, _ := crawl(t, srv, Config{Depth: 1, IgnoreRobots: true, Allow: []*regexp.Regexp{allow}})
	checkDotSegmentCrawl(t, site, out)
}

// checkDotSegmentCrawl: nothing under /private was asked for, no
// request-URI twice, and every page's request-URI (its title) is that of
// the record's final_url.
func checkDotSegmentCrawl(t *testing.T, site *hostile.DotSegments, out *collect) {
	t.Helper()
	asked := map[string]int{}
	for _, uri := range site.RequestURIs() {
		asked[uri]++
		if strings.Contains(strings.ToLower(uri), "private") && uri != "/redirect-private" {
			t.Errorf("%s was requested", uri)
		}
		if asked[uri] > 1 {
			t.Errorf("%s requested %d times", uri, asked[uri])
		}
	}
	for _, want := range []string{"/a", "/b/~u", "/c/%2Fd", "/e?q=~", "/f%20g/h%252", "/100%25"} {
		if asked[want] != 1 {
			t.Errorf("%s requested %d times, want 1 (requested: %q)", want, asked[want], site.RequestURIs())
		}
	}
	for _, rec := range out.recs {
		if rec.Status != 200 || rec.Title == "" {
			continue
		}
		u, err := url.Parse(rec.FinalURL)
		if err != nil {
			t.Fatal(err)
		}
		if rec.Title != u.Host+u.RequestURI() {
			t.Errorf("%s (final %s) was requested as %s", rec.URL, rec.FinalURL, rec.Title)
		}
	}
}
