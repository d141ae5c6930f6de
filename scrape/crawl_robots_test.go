package scrape

import (
	"bytes"
	"compress/gzip"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/poolscrape/poolscrape/internal/hostile"
)

const robotsPrivate = "User-agent: *\nDisallow: /private/\n"

// TestCrawlRobotsRFC9309: what each way of answering /robots.txt does to the
// crawl, per RFC 9309: rules obeyed (2xx, within 5 redirects, within 500
// KiB, bad lines skipped), everything allowed (4xx, too many redirects),
// everything disallowed after 3 attempts (5xx, 429, a dropped connection),
// a passing 5xx retried.
func TestCrawlRobotsRFC9309(t *testing.T) {
	filler := strings.Repeat("# "+strings.Repeat("x", 98)+"\n", 6000) // 600 KB
	type want int
	const (
		obeyed want = iota // pages fetched, /private/ not
		allowAll
		disallowAll
	)
	for _, c := range []struct {
		name     string
		answers  []hostile.RobotsAnswer
		want     want
		requests int    // robots.txt requests
		why      string // in the unreachable reason
	}{
		{"200", []hostile.RobotsAnswer{{Body: robotsPrivate}}, obeyed, 1, ""},
		{"500", []hostile.RobotsAnswer{{Status: 500}}, disallowAll, 3, "HTTP 500"},
		{"503", []hostile.RobotsAnswer{{Status: 503}}, disallowAll, 3, "HTTP 503"},
		{"429", []hostile.RobotsAnswer{{Status: 429}}, disallowAll, 3, "HTTP 429"},
		{"hangup", []hostile.RobotsAnswer{{Hangup: true}}, disallowAll, 3, "EOF"},
		{"503 twice then 200", []hostile.RobotsAnswer{{Status: 503}, {Status: 503}, {Body: robotsPrivate}}, obeyed, 3, ""},
		{"404", []hostile.RobotsAnswer{{Status: 404, Body: robotsPrivate}}, allowAll, 1, ""},
		{"401", []hostile.RobotsAnswer{{Status: 401}}, allowAll, 1, ""},
		{"403", []hostile.RobotsAnswer{{Status: 403}}, allowAll, 1, ""},
		{"5 redirects", []hostile.RobotsAnswer{{Redirects: 5, Body: robotsPrivate}}, obeyed, 1, ""},
		{"6 redirects", []hostile.RobotsAnswer{{Redirects: 6, Body: robotsPrivate}}, allowAll, 1, ""},
		{"redirects to a 503", []hostile.RobotsAnswer{{Redirects: 2, Status: 503}}, disallowAll, 3, "HTTP 503"},
		{"endless body", []hostile.RobotsAnswer{{Body: robotsPrivate, Endless: true}}, obeyed, 1, ""},
		{"rules past 500 KiB ignored", []hostile.RobotsAnswer{{Body: robotsPrivate + filler + "Disallow: /page/\n"}}, obeyed, 1, ""},
		{"bad Crawl-delay line", []hostile.RobotsAnswer{{Body: "User-agent: *\nCrawl-delay: 1s\nDisallow: /private/\n"}}, obeyed, 1, ""},
		{"rule before User-agent", []hostile.RobotsAnswer{{Body: "Disallow: /x\n" + robotsPrivate}}, obeyed, 1, ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			site := &hostile.Robots{Answers: c.answers, Pages: 3}
			srv := httptest.NewServer(site)
			defer srv.Close()
			out, stats := crawl(t, srv, Config{Depth: 1, Rules: []Rule{}})
			if n := site.Hits("/robots.txt"); n != c.requests {
				t.Errorf("robots.txt requested %d times, want %d", n, c.requests)
			}
			private, pages := site.Hits("/private/"), site.PageHits()
			switch c.want {
			case obeyed:
				if private != 0 || pages != 4 {
					t.Errorf("rules not obeyed: /private/ fetched %d times, %d pages fetched (want 0 and 4)", private, pages)
				}
			case allowAll:
				if private != 1 || pages != 5 {
					t.Errorf("not everything allowed: /private/ fetched %d times, %d pages fetched (want 1 and 5)", private, pages)
				}
			case disallowAll:
				if pages != 0 || stats.StartFailed != 1 || stats.RobotsBlocked != 1 || stats.RobotsUnreachable != 1 {
					t.Errorf("not everything disallowed: %d pages fetched, stats %+v", pages, stats)
				}
				if len(out.recs) != 1 || !strings.Contains(out.recs[0].Error, "robots.txt unreachable") || !strings.Contains(out.recs[0].Error, c.why) {
					t.Errorf("records %+v, want the start URL's error record naming %q", out.recs, c.why)
				}
				if len(stats.StartRobotsUnreachable) != 1 || !strings.Contains(stats.StartRobotsUnreachable[0], c.why) {
					t.Errorf("StartRobotsUnreachable %q, want one naming %q", stats.StartRobotsUnreachable, c.why)
				}
			}
		})
	}
}

// TestCrawlRobotsThroughGate: the robots.txt requests, retries included,
// keep the host's Delay like any fetch: the next request (a retry, the
// first page) comes at least Delay later (less a little for scheduling
// jitter).
func TestCrawlRobotsThroughGate(t *testing.T) {
	site := &hostile.Robots{Answers: []hostile.RobotsAnswer{{Status: 503}, {Body: robotsPrivate}}, Pages: 1}
	srv := httptest.NewServer(site)
	defer srv.Close()
	crawl(t, srv, Config{Depth: 0, Rules: []Rule{}, Delay: 150 * time.Millisecond})
	arr := site.Arrivals()
	if len(arr) != 3 || arr[0].Path != "/robots.txt" || arr[1].Path != "/robots.txt" || arr[2].Path != "/" {
		t.Fatalf("requests %v, want robots.txt twice then /", arr)
	}
	for i := 1; i < len(arr); i++ {
		if gap := arr[i].At.Sub(arr[i-1].At); gap < 140*time.Millisecond {
			t.Errorf("%s %v after %s, want at least the 150ms delay", arr[i].Path, gap, arr[i-1].Path)
		}
	}
}

// TestCrawlRobotsOverMaxBody: a gzip robots.txt that decodes to more than
// MaxBody is obeyed as far as it was read, not taken as unreachable.
func TestCrawlRobotsOverMaxBody(t *testing.T) {
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Write([]byte(robotsPrivate + strings.Repeat("# filler\n", 1000) + "Disallow: /page/\n"))
	zw.Close()
	site := &hostile.Robots{Pages: 2}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/robots.txt" {
			w.Header().Set("Content-Encoding", "gzip")
			w.Write(gz.Bytes())
			return
		}
		site.ServeHTTP(w, r)
	}))
	defer srv.Close()
	out, _ := crawl(t, srv, Config{Depth: 1, Rules: []Rule{}, MaxBody: 1 << 10})
	if p := out.byPath(t); len(p) != 3 || site.Hits("/private/") != 0 {
		t.Errorf("records %v, /private/ fetched %d times; want home and 2 pages, not /private/", p, site.Hits("/private/"))
	}
}
