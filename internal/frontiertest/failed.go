package frontiertest

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/poolscrape/poolscrape/scrape"
)

// Settled reads how many URLs f, the frontier of a crawl that ended, holds
// as done and as failed, as its backend keeps them apart.
type Settled func(t *testing.T, f scrape.Frontier) (done, failed int64)

// ErrorRecordsAckedAsFailed checks that the crawler, with the frontier open
// makes, acks a URL whose record has an error (here a 404) as Failed and
// the others as Done: each of settled, read in turn after the crawl, finds
// 2 done and 1 failed.
func ErrorRecordsAckedAsFailed(t *testing.T, open Open, settled ...Settled) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/":
			w.Header().Set("Content-Type", "text/html")
			fmt.Fprint(w, `<a href="/ok">ok</a> <a href="/missing">gone</a>`)
		case "/ok":
			w.Header().Set("Content-Type", "text/html")
		default:
			http.NotFound(w, r)
		}
	}))
	t.Cleanup(srv.Close)
	f := open(t)
	c, err := scrape.New(scrape.Config{Starts: []string{srv.URL + "/"}, Depth: 1, Output: &Records{}, IgnoreRobots: true, Frontier: f})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	for i, read := range settled {
		if done, failed := read(t, f); done != 2 || failed != 1 {
			t.Errorf("reading %d of the settled URLs: %d done, %d failed; want 2 done, 1 failed", i+1, done, failed)
		}
	}
}
