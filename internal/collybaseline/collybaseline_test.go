package collybaseline

import (
	"context"
	"net/http/httptest"
	"regexp"
	"testing"

	"github.com/poolscrape/poolscrape/internal/testsite"
	"go.uber.org/goleak"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// TestCrawlGetsEveryPage: the baseline crawls a plain loopback site to the
// end, every reachable page (robots.txt is not asked: colly's default), and
// returns the responses it got. colly's visited check keeps the #fragment, so
// a page linked with and without one is fetched twice, and counted twice.
func TestCrawlGetsEveryPage(t *testing.T) {
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
	if n != int64(site.TotalRequests()) {
		t.Errorf("%d pages for %d requests", n, site.TotalRequests())
	}
	for p := range want {
		if site.Requests(p) == 0 {
			t.Errorf("%s not fetched", p)
		}
	}
}

// TestCrawlBadStart: a start URL that does not parse is an error, before
// any request.
func TestCrawlBadStart(t *testing.T) {
	if _, err := Crawl(context.Background(), "http://[::1", 1, nil); err == nil {
		t.Error("no error for an unparsable start URL")
	}
}
