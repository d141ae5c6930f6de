package diskfrontier

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/poolscrape/poolscrape/scrape"
)

// TestCrawlAcksErrorRecordsAsFailed: the crawler acks a URL whose record
// has an error (here a 404) as Failed, the others as Done, and the
// counters keep them apart across a reopen.
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
	dir := t.TempDir()
	f, err := Open(dir, testID, Config{})
	if err != nil {
		t.Fatal(err)
	}
	c, err := scrape.New(scrape.Config{Starts: []string{srv.URL + "/"}, Depth: 1, Output: &records{}, IgnoreRobots: true, Frontier: f})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	if p := f.Progress(); p.Done != 2 || p.Failed != 1 {
		t.Errorf("progress %+v, want 2 done, 1 failed", p)
	}
	if err := f.Close(context.Background()); err != nil {
		t.Fatal(err)
	}
	f, err = Open(dir, testID, Config{})
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close(context.Background())
	if p := f.Progress(); p.Done != 2 || p.Failed != 1 {
		t.Errorf("progress after a reopen %+v, want 2 done, 1 failed", p)
	}
}
