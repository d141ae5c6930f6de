package redisfrontier

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/poolscrape/poolscrape/internal/redistest"
	"github.com/poolscrape/poolscrape/scrape"
	"github.com/poolscrape/poolscrape/scrape/record"
)

type discard struct{}

func (discard) Write(record.Record) error { return nil }

// TestCrawlAcksErrorRecordsAsFailed: the crawler acks a URL whose record
// has an error (here a 404) as Failed, the others as Done: the job's
// counters, as Status reads them, keep them apart.
func TestCrawlAcksErrorRecordsAsFailed(t *testing.T) {
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
	defer srv.Close()
	job := redistest.Job(t)
	f := joinT(t, job, Config{})
	c, err := scrape.New(scrape.Config{Starts: []string{srv.URL + "/"}, Depth: 1, Output: discard{}, IgnoreRobots: true, Frontier: f})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	cnt, ok, err := Status(context.Background(), redistest.Client(t), job, Config{})
	if err != nil || !ok || cnt.Done != 2 || cnt.Failed != 1 {
		t.Errorf("status %+v, %v, %v; want 2 done, 1 failed", cnt, ok, err)
	}
}
