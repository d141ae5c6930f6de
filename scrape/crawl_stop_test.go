package scrape

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"
)

// TestCrawlStopDuringSlowRobots: a stop while a host's robots.txt hangs
// ends the crawl after DrainTimeout, not after the request --timeout.
func TestCrawlStopDuringSlowRobots(t *testing.T) {
	asked := make(chan struct{}, 1)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/robots.txt" {
			select {
			case asked <- struct{}{}:
			default:
			}
			<-r.Context().Done() // hangs until the client gives up
			return
		}
		fmt.Fprint(w, "<title>x</title>")
	}))
	defer srv.Close()
	c, err := New(Config{
		Starts: []string{srv.URL + "/"}, Output: &collect{},
		Timeout: 10 * time.Minute, DrainTimeout: 100 * time.Millisecond,
	})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan Stats, 1)
	go func() {
		s, _ := c.Run(ctx)
		done <- s
	}()
	<-asked
	cancel()
	select {
	case s := <-done:
		if !s.Interrupted {
			t.Error("stats not marked interrupted")
		}
	case <-time.After(time.Minute): // far past DrainTimeout, far short of Timeout
		t.Fatal("Run still waiting for robots.txt a minute after the stop")
	}
}
