package frontiertest

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
	"github.com/poolscrape/poolscrape/scrape"
	"github.com/poolscrape/poolscrape/scrape/record"
)

// RedirectCrawlerRole is the childtest role that RedirectCrawler plays: a
// backend's TestMain serves it (childtest.Serve) for
// RedirectClaimOfAKilledCrawler.
const RedirectCrawlerRole = "frontiertest-redirect-crawler"

// redirectConfig is the crawl of both the killed child and the one after.
func redirectConfig(start string, f scrape.Frontier, out record.Writer) scrape.Config {
	return scrape.Config{
		Starts: []string{start}, Depth: 3, Output: out, IgnoreRobots: true,
		Timeout: time.Hour, Frontier: f,
	}
}

// discard is a record.Writer that keeps nothing.
type discard struct{}

func (discard) Write(record.Record) error { return nil }

// RedirectCrawler returns the child's part of RedirectClaimOfAKilledCrawler,
// to serve as RedirectCrawlerRole: with its argument "STATE URL", it crawls
// from URL with the frontier that open returns on STATE (a state folder, a
// job), until it is killed.
func RedirectCrawler(open func(state string) (scrape.Frontier, error)) func(arg string) int {
	return func(arg string) int {
		state, start, _ := strings.Cut(arg, " ")
		f, err := open(state)
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
}

// RedirectClaimOfAKilledCrawler checks that a crawl killed (SIGKILL) while
// its fetch of /start follows the redirect to /target, which it has marked
// seen as its lease's claim, loses neither: the child (the test binary
// playing RedirectCrawlerRole) crawls with the frontier on state, and
// reopen then returns a frontier on the same state, which hands /start out
// again with /target unmarked (diskfrontier when it opens the folder,
// redisfrontier when the dead process's lease expires), so that the next
// crawl follows the redirect again and crawls /target's link.
func RedirectClaimOfAKilledCrawler(t *testing.T, state string, reopen Open) {
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
	start := srv.URL + "/start"
	child := childtest.Start(t, RedirectCrawlerRole, state+" "+start)
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

	out := &Records{}
	c, err := scrape.New(redirectConfig(start, reopen(t), out))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	got := out.ByPath(t)
	if r := got["/start"]; r.Status != 200 || r.Title != "Target" {
		t.Errorf("/start: status %d, title %q, final URL %s, error %q; want the 200 of /target", r.Status, r.Title, r.FinalURL, r.Error)
	}
	if r, ok := got["/below"]; !ok || r.Status != 200 {
		t.Errorf("/below (linked only from /target): %+v, want a 200 record", r)
	}
	if n := site.Hits("/target"); n != 2 {
		t.Errorf("/target asked %d times, want 2 (the killed fetch and the next one)", n)
	}
}
