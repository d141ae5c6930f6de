package scrape

import (
	"bytes"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
)

func urlset(base string, paths ...string) string {
	var b strings.Builder
	b.WriteString(`<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">`)
	for _, p := range paths {
		if strings.HasPrefix(p, "http") {
			base = ""
		}
		fmt.Fprintf(&b, "<url><loc>%s%s</loc></url>\n", base, p)
	}
	return b.String() + "</urlset>"
}

func gzipped(t *testing.T, s string) string {
	t.Helper()
	var b bytes.Buffer
	zw := gzip.NewWriter(&b)
	if _, err := io.WriteString(zw, s); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// sitemapSite: / links nowhere; /p1 is only in /sitemap.xml, /p2 only in a
// sitemap that an index named by robots.txt lists, /p3 only in a gzip file
// (.xml.gz, no Content-Encoding) that the index lists; off-scope and
// binary URLs in them are not fetched.
func sitemapSite(t *testing.T) (*logSite, *httptest.Server) {
	site := &logSite{pages: map[string]string{}}
	srv := httptest.NewUnstartedServer(site)
	t.Cleanup(srv.Close)
	b := "http://" + srv.Listener.Addr().String()
	site.pages["/"] = `<html>no links</html>`
	for _, p := range []string{"/p1", "/p2", "/p3"} {
		site.pages[p] = `<html>` + p + `</html>`
	}
	site.pages["/robots.txt"] = "User-agent: *\nDisallow: /private\nSitemap: " + b + "/maps/index.xml\n"
	site.pages["/sitemap.xml"] = urlset(b, "/p1", "/", "/private/x", "/file.pdf", "http://elsewhere.invalid/x")
	site.pages["/maps/index.xml"] = `<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">` +
		`<sitemap><loc>` + b + `/maps/s2.xml</loc></sitemap><sitemap><loc>` + b + `/maps/s3.xml.gz</loc></sitemap></sitemapindex>`
	site.pages["/maps/s2.xml"] = urlset(b, "/p2", "/p1")
	site.pages["/maps/s3.xml.gz"] = gzipped(t, urlset(b, "/p3"))
	srv.Start()
	return site, srv
}

// TestCrawlSitemaps: pages reachable only from sitemaps (/sitemap.xml, an
// index that robots.txt names, a gzip file) are fetched once each at depth
// 1, with the sitemap as referrer; robots.txt still rules.
func TestCrawlSitemaps(t *testing.T) {
	site, srv := sitemapSite(t)
	var warns []string
	var mu sync.Mutex
	warn := func(m string) { mu.Lock(); warns = append(warns, m); mu.Unlock() }
	out, _ := crawl(t, srv, Config{Depth: 1, Warn: warn, Rules: []Rule{}, RequestOptions: RequestOptions{Sitemaps: true}})
	recs := out.byPath(t)
	for _, p := range []string{"/", "/p1", "/p2", "/p3"} {
		if _, ok := recs[p]; !ok {
			t.Errorf("%s not fetched; records %v", p, keys(recs))
		}
	}
	if len(recs) != 4 {
		t.Errorf("records %v, want /, /p1, /p2, /p3", keys(recs))
	}
	if r := recs["/p3"]; r.Depth != 1 || r.Referrer != srv.URL+"/maps/s3.xml.gz" {
		t.Errorf("/p3: depth %d, referrer %q", r.Depth, r.Referrer)
	}
	for p, rs := range site.requests() {
		if len(rs) != 1 {
			t.Errorf("%s requested %d times", p, len(rs))
		}
	}
	if len(warns) > 0 {
		t.Errorf("warnings: %q", warns)
	}
}

// TestCrawlSitemapsIgnoreRobots: with IgnoreRobots only /sitemap.xml is read.
func TestCrawlSitemapsIgnoreRobots(t *testing.T) {
	site, srv := sitemapSite(t)
	out, _ := crawl(t, srv, Config{Depth: 1, IgnoreRobots: true, Rules: []Rule{}, RequestOptions: RequestOptions{Sitemaps: true}})
	recs := out.byPath(t)
	if _, ok := recs["/p1"]; !ok || len(recs) != 3 {
		t.Errorf("records %v, want /, /p1 and /private/x", keys(recs))
	}
	got := site.requests()
	if len(got["/robots.txt"])+len(got["/maps/index.xml"]) > 0 {
		t.Errorf("robots.txt or its sitemap requested: %v", keys(got))
	}
}

// TestCrawlSitemapsOff: without Sitemaps no sitemap is asked for.
func TestCrawlSitemapsOff(t *testing.T) {
	site, srv := sitemapSite(t)
	out, _ := crawl(t, srv, Config{Depth: 1, Rules: []Rule{}})
	if n := len(out.recs); n != 1 {
		t.Errorf("%d records, want 1", n)
	}
	if n := len(site.requests()["/sitemap.xml"]); n != 0 {
		t.Errorf("/sitemap.xml requested %d times", n)
	}
}

// bigSitemapSite serves an empty / and a /sitemap.xml of n URLs, /u0 …
// /u(n-1), on the site; it closes when the test ends.
func bigSitemapSite(t *testing.T, n int) *httptest.Server {
	paths := make([]string, n)
	for i := range paths {
		paths[i] = fmt.Sprintf("/u%d", i)
	}
	site := &logSite{pages: map[string]string{"/": "<html></html>"}}
	srv := httptest.NewUnstartedServer(site)
	t.Cleanup(srv.Close)
	site.pages["/sitemap.xml"] = urlset("http://"+srv.Listener.Addr().String(), paths...)
	srv.Start()
	return srv
}

// TestCrawlHugeSitemapBounded: a sitemap of 60,000 URLs gives the frontier
// 50,000 of them (the protocol's limit), with a warning.
func TestCrawlHugeSitemapBounded(t *testing.T) {
	srv := bigSitemapSite(t, 60_000)
	var w warnings
	cfg := Config{Depth: 1, IgnoreRobots: true, MaxPages: 1, Rules: []Rule{}, RequestOptions: RequestOptions{Sitemaps: true}, Warn: w.warn}
	_, stats := crawl(t, srv, cfg)
	warned := w.all()
	if stats.Discovered != maxSitemapURLs+1 {
		t.Errorf("%d URLs discovered, want %d (the start URL and the sitemap's first %d)", stats.Discovered, maxSitemapURLs+1, maxSitemapURLs)
	}
	if len(warned) != 1 || !strings.Contains(warned[0], "50000 URLs") {
		t.Errorf("warnings %q, want one about the 50000 URLs bound", warned)
	}
}

// TestParseSitemapBounds: a stream that never ends is read up to the byte
// bound; entries before the bound are kept.
func TestParseSitemapBounds(t *testing.T) {
	endless := io.MultiReader(strings.NewReader("<urlset><url><loc>http://a/1</loc></url>"), neverEnding('x'))
	var got []sitemapEntry
	err := parseSitemap(endless, 10, 1<<20, func(e sitemapEntry) { got = append(got, e) })
	if !errors.Is(err, errSitemapCut) || len(got) != 1 || got[0].loc != "http://a/1" {
		t.Fatalf("err %v, entries %v", err, got)
	}
	idx := "<sitemapindex><sitemap><loc> http://a/s.xml </loc></sitemap></sitemapindex>"
	got = nil
	if err := parseSitemap(strings.NewReader(idx), 10, 1<<20, func(e sitemapEntry) { got = append(got, e) }); err != nil || len(got) != 1 || !got[0].index || got[0].loc != "http://a/s.xml" {
		t.Fatalf("index: err %v, entries %v", err, got)
	}
}

type neverEnding byte

func (b neverEnding) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = byte(b)
	}
	return len(p), nil
}

func keys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	return out
}

var _ http.Handler = (*logSite)(nil)

// TestCrawlSitemapIndexBounds: indexes nest at most maxSitemapDepth deep
// (an endless chain of indexes is read to depth 2), and one host's
// sitemaps take at most maxSitemapFiles files (an index of 300).
func TestCrawlSitemapIndexBounds(t *testing.T) {
	for _, wide := range []bool{false, true} {
		var mu sync.Mutex
		asked := 0
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			var b strings.Builder
			b.WriteString("<sitemapindex>")
			var n int
			switch {
			case r.URL.Path == "/sitemap.xml" && wide:
				for i := range 300 {
					fmt.Fprintf(&b, "<sitemap><loc>http://%s/s/%d</loc></sitemap>", r.Host, i)
				}
			case r.URL.Path == "/sitemap.xml":
				fmt.Fprintf(&b, "<sitemap><loc>http://%s/idx/1</loc></sitemap>", r.Host)
			case strings.HasPrefix(r.URL.Path, "/idx/"):
				_, _ = fmt.Sscanf(r.URL.Path, "/idx/%d", &n)
				fmt.Fprintf(&b, "<sitemap><loc>http://%s/idx/%d</loc></sitemap>", r.Host, n+1)
			case strings.HasPrefix(r.URL.Path, "/s/"):
			default:
				w.Header().Set("Content-Type", "text/html")
				_, _ = w.Write([]byte("<html></html>"))
				return
			}
			mu.Lock()
			asked++
			mu.Unlock()
			_, _ = w.Write([]byte(b.String() + "</sitemapindex>"))
		}))
		crawl(t, srv, Config{Depth: 1, IgnoreRobots: true, Rules: []Rule{}, RequestOptions: RequestOptions{Sitemaps: true}})
		srv.Close()
		want := maxSitemapDepth + 1 // /sitemap.xml, /idx/1, /idx/2
		if wide {
			want = maxSitemapFiles
		}
		mu.Lock()
		if asked != want {
			t.Errorf("wide %v: %d sitemap files read, want %d", wide, asked, want)
		}
		mu.Unlock()
	}
}
