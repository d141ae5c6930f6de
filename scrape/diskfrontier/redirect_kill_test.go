package diskfrontier

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/poolscrape/poolscrape/internal/childtest"
	"github.com/poolscrape/poolscrape/internal/hostile"
	"github.com/poolscrape/poolscrape/internal/testsite"
	"github.com/poolscrape/poolscrape/scrape"
	"github.com/poolscrape/poolscrape/scrape/record"
)

// redirectCrawlerRole makes the test binary crawl a site with the state
// folder and start URL of its argument ("DIR URL"), until it is killed.
const redirectCrawlerRole = "diskfrontier-redirect-crawler"

// redirectConfig is the crawl of both the killed child and the resume.
func redirectConfig(start string, f scrape.Frontier, out record.Writer) scrape.Config {
	return scrape.Config{
		Starts: []string{start}, Depth: 3, Output: out, IgnoreRobots: true,
		Timeout: time.Hour, Frontier: f,
	}
}

// discard is a record.Writer that keeps nothing.
type discard struct{}

func (discard) Write(record.Record) error { return nil }

func runRedirectCrawler(arg string) int {
	dir, start, _ := strings.Cut(arg, " ")
	f, err := Open(dir, testID, Config{SyncInterval: time.Hour})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	c, err := scrape.New(redirectConfig(start, f, discard{}))
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	_, err = c.Run(context.Background()) // the test kills it while /target hangs
	fmt.Fprintln(os.Stderr, "the crawl ended before the kill:", err)
	return 1
}

// TestRedirectClaimSurvivesSIGKILL: a crawl killed (SIGKILL) while its
// fetch of /start follows the redirect to /target, which it has marked
// seen, loses neither: Open requeues /start and unmarks /target, so the
// resumed crawl follows the redirect again and crawls /target's link.
func TestRedirectClaimSurvivesSIGKILL(t *testing.T) {
	site := &hostile.FlakyRedirect{FailAt: "/target", Failure: hostile.FailHang}
	inFlight := make(chan struct{}, 1)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/target" {
			select {
			case inFlight <- struct{}{}:
			default:
			}
		}
		site.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	dir := t.TempDir()
	child := childtest.Start(t, redirectCrawlerRole, dir+" "+srv.URL+"/start")
	go io.Copy(io.Discard, child.Stdout)
	select { // the first /target request hangs until the child is gone
	case <-inFlight:
	case <-time.After(time.Minute):
		_ = child.Kill()
		t.Fatal("the child crawler never asked for /target")
	}
	if werr := child.Kill(); !childtest.KilledBySIGKILL(werr) {
		t.Fatalf("child did not die of SIGKILL: %v", werr)
	}

	f := openT(t, dir, Config{})
	if f.Requeued() != 1 {
		t.Errorf("Requeued = %d, want 1 (/start)", f.Requeued())
	}
	out := &records{}
	c, err := scrape.New(redirectConfig(srv.URL+"/start", f, out))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	got := map[string]record.Record{}
	for _, r := range out.recs {
		p, _ := testsite.PathOf(r.URL)
		got[p] = r
	}
	if r := got["/start"]; r.Status != 200 || r.Title != "Target" {
		t.Errorf("/start: status %d, title %q, final URL %s, error %q; want the 200 of /target", r.Status, r.Title, r.FinalURL, r.Error)
	}
	if r, ok := got["/below"]; !ok || r.Status != 200 {
		t.Errorf("/below (linked only from /target): %+v, want a 200 record", r)
	}
	if n := site.Hits("/target"); n != 2 {
		t.Errorf("/target asked %d times, want 2 (the killed fetch and the resumed one)", n)
	}
}
