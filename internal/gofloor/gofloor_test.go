package gofloor

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"regexp"
	"sync/atomic"
	"testing"

	"github.com/poolscrape/poolscrape/internal/testsite"
	"go.uber.org/goleak"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// TestCrawlGetsEveryPageOnce: the floor crawls a plain loopback site to the
// end, every reachable page exactly once (the cross links' #fragment and
// the relative "../page/0" links resolve to URLs already seen; robots.txt is
// not asked), and returns one page per request.
func TestCrawlGetsEveryPageOnce(t *testing.T) {
	site, err := testsite.New(testsite.Config{Pages: 40, Fanout: 3, Plain: true})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(site.Handler())
	defer srv.Close()
	want, err := site.ExpectedIgnoringRobots(-1)
	if err != nil {
		t.Fatal(err)
	}
	n, err := Crawl(context.Background(), srv.URL+"/", 4, []*regexp.Regexp{regexp.MustCompile(`sku-\d+`)})
	if err != nil {
		t.Fatal(err)
	}
	if n != int64(len(want)) || site.TotalRequests() != len(want) {
		t.Errorf("%d pages, %d requests, for %d pages on the site", n, site.TotalRequests(), len(want))
	}
	for p := range want {
		if got := site.Requests(p); got != 1 {
			t.Errorf("%s fetched %d times", p, got)
		}
	}
}

// TestCrawlBadStart: a start URL that does not parse, or is not an absolute
// http(s) URL, is an error wrapping ErrStart, before any request.
func TestCrawlBadStart(t *testing.T) {
	var requests atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { requests.Add(1) }))
	defer srv.Close()
	for _, start := range []string{"http://[::1", "/page/0", "ftp" + srv.URL[len("http"):] + "/", "http:///page/0"} {
		if _, err := Crawl(context.Background(), start, 2, nil); !errors.Is(err, ErrStart) {
			t.Errorf("Crawl(%q): %v, want ErrStart", start, err)
		}
	}
	if n := requests.Load(); n != 0 {
		t.Errorf("%d requests", n)
	}
}

// TestCrawlEndsWithCtx: cancelling the context stops the crawl: Crawl
// returns the context's error, after the fetches in flight, and asks for
// nothing more.
func TestCrawlEndsWithCtx(t *testing.T) {
	site, err := testsite.New(testsite.Config{Pages: 500, Fanout: 4, Plain: true})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	h := site.Handler()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/page/0" {
			cancel()
		}
		h.ServeHTTP(w, r)
	}))
	defer srv.Close()
	n, err := Crawl(ctx, srv.URL+"/", 2, nil)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("Crawl: %d pages, %v; want context.Canceled", n, err)
	}
	if got := site.TotalRequests(); got > 7 {
		t.Errorf("%d requests after a cancel at the second page", got)
	}
}
