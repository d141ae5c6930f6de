package scrape

import (
	"bufio"
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"runtime/metrics"
	"testing"
)

// goroutinesCreated reads how many goroutines the process has started.
func goroutinesCreated(t *testing.T) uint64 {
	t.Helper()
	s := []metrics.Sample{{Name: "/sched/goroutines-created:goroutines"}}
	metrics.Read(s)
	if s[0].Value.Kind() != metrics.KindUint64 {
		t.Skipf("runtime/metrics has no %s", s[0].Name)
	}
	return s[0].Value.Uint64()
}

// keepAliveServer answers every HTTP/1.1 request on 127.0.0.1 with a small
// HTML page, one goroutine per connection and none per request (net/http's
// server starts one per request), so that the goroutines a test counts are
// the client's. It returns the page's URL.
func keepAliveServer(t *testing.T) string {
	t.Helper()
	const page = "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 13\r\n\r\n<p>a page</p>"
	srv := startRawServer(t, nil, func(conn net.Conn) {
		br := bufio.NewReader(conn)
		for {
			req, err := http.ReadRequest(br)
			if err != nil {
				return
			}
			_, _ = io.Copy(io.Discard, req.Body)
			if _, err := io.WriteString(conn, page); err != nil {
				return
			}
		}
	})
	t.Cleanup(srv.close)
	return "http://" + srv.ln.Addr().String() + "/page"
}

// TestFetchStartsNoGoroutinePerRequest: a fetch through the crawler's fetch
// path (Crawler.fetch: a fetch-pool task, colly, net/http) starts no
// goroutine of its own. Config.Timeout as an http.Client Timeout cost three
// per request (net/http's timer and Request.Cancel goroutines and the
// context package's for a deadline over colly's context.WithValue).
func TestFetchStartsNoGoroutinePerRequest(t *testing.T) {
	u := keepAliveServer(t)
	c, err := New(Config{Starts: []string{u}, Output: &collect{}, IgnoreRobots: true})
	if err != nil {
		t.Fatal(err)
	}
	c.hardCtx, c.hardCancel = context.WithCancel(context.Background())
	defer c.hardCancel()
	if err := c.setup(); err != nil {
		t.Fatal(err)
	}
	defer c.teardown()
	defer c.fetcher.client.CloseIdleConnections()
	fetch := func() {
		res, err := c.fetch(Lease{Request: Request{URL: u}}).Result(context.Background())
		if err == nil {
			err = res.Err
		}
		if err == nil && res.Status != http.StatusOK {
			err = errors.New(http.StatusText(res.Status))
		}
		if err != nil {
			t.Fatalf("fetch %s: %v", u, err)
		}
	}
	fetch() // the connection and the pool's worker
	const n = 200
	before := goroutinesCreated(t)
	for range n {
		fetch()
	}
	perFetch := float64(goroutinesCreated(t)-before) / n
	t.Logf("%.2f goroutines started per fetch", perFetch)
	if perFetch >= 1 {
		t.Fatalf("%.2f goroutines started per fetch, want none (under 1)", perFetch)
	}
}
