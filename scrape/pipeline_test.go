package scrape

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/poolscrape/poolscrape/scrape/record"
)

// gatedWriter is a record.Writer whose Write, for the records hold selects,
// says so on held and blocks until release is closed: an output that
// cannot keep up.
type gatedWriter struct {
	collect
	hold    func(record.Record) bool
	held    chan string // URL of each held record, as its Write begins
	wrote   chan string // URL of each record not held, once written
	release chan struct{}
}

func newGatedWriter(hold func(record.Record) bool) *gatedWriter {
	return &gatedWriter{hold: hold, held: make(chan string, 100), wrote: make(chan string, 100), release: make(chan struct{})}
}

func (w *gatedWriter) Write(r record.Record) error {
	if !w.hold(r) {
		err := w.collect.Write(r)
		w.wrote <- r.URL
		return err
	}
	w.held <- r.URL
	<-w.release
	return w.collect.Write(r)
}

// linkSite serves "/" linking to each of paths, and a small page at each of
// them; hits counts the requests.
func linkSite(t *testing.T, paths []string, hits *atomic.Int64) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		w.Header().Set("Content-Type", "text/html")
		if r.URL.Path != "/" {
			fmt.Fprintf(w, "<title>%s</title>", r.URL.Path)
			return
		}
		var b strings.Builder
		for _, p := range paths {
			fmt.Fprintf(&b, `<a href="%s">x</a>`, p)
		}
		fmt.Fprint(w, b.String())
	}))
	t.Cleanup(srv.Close)
	return srv
}

// runAsync starts c.Run and returns where its stats and error arrive.
func runAsync(c *Crawler, ctx context.Context) <-chan error {
	done := make(chan error, 1)
	go func() {
		_, err := c.Run(ctx)
		done <- err
	}()
	return done
}

// TestFetchCallbacksDoNotBlock: with every record's Write blocked, the
// crawl stops fetching at its bound (2·Concurrency pages between fetch and
// settle) and the fetch pool's workers are all free: no done-callback waits
// on the output. The fetch pool's Shutdown, which waits for its tasks and
// their callbacks, returns while the writer is still blocked.
func TestFetchCallbacksDoNotBlock(t *testing.T) {
	var hits atomic.Int64
	srv := linkSite(t, []string{"/p/0", "/p/1", "/p/2", "/p/3"}, &hits)
	w := newGatedWriter(func(record.Record) bool { return true })
	c, err := New(Config{Starts: []string{srv.URL + "/"}, Output: w, Concurrency: 1, Depth: 1, IgnoreRobots: true})
	if err != nil {
		t.Fatal(err)
	}
	done := runAsync(c, context.Background())
	<-w.held
	<-w.held // 2·Concurrency records waiting for the writer: the crawl is at its bound
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	err = c.pool.Shutdown(ctx)
	cancel()
	s := c.pool.Stats()
	close(w.release)
	if err != nil {
		t.Errorf("fetch pool still busy a minute after two records' writes blocked: %v (%d workers alive)", err, s.WorkersAlive)
	}
	if s.Submitted != 2 || s.Rejected != 0 || s.Succeeded != 2 || hits.Load() != 2 {
		t.Errorf("at the bound: %d fetches submitted, %d rejected, %d succeeded, %d requests; want 2, 0, 2, 2",
			s.Submitted, s.Rejected, s.Succeeded, hits.Load())
	}
	if err := <-done; err != nil {
		t.Fatal(err)
	}
}

// TestSlowWriteDoesNotStallProcessExtraction: one record whose Write blocks
// holds up only itself. With extraction in one worker process, every other
// page is still extracted and written; a done-callback of the process pool
// that waited on the writer would stop the pool from delivering any other
// result.
func TestSlowWriteDoesNotStallProcessExtraction(t *testing.T) {
	var hits atomic.Int64
	paths := []string{"/slow", "/p/0", "/p/1", "/p/2", "/p/3", "/p/4"}
	srv := linkSite(t, paths, &hits)
	w := newGatedWriter(func(r record.Record) bool { return strings.HasSuffix(r.URL, "/slow") })
	c, err := New(Config{
		Starts: []string{srv.URL + "/"}, Output: w, Concurrency: 2, Depth: 1, IgnoreRobots: true,
		ExtractIn: ExtractInProcess, Workers: 1,
	})
	if err != nil {
		t.Fatal(err)
	}
	done := runAsync(c, context.Background())
	<-w.held
	deadline := time.After(time.Minute)
	for range paths { // "/" and every page but /slow
		select {
		case <-w.wrote:
		case <-deadline:
			close(w.release)
			t.Fatal("the other pages not all written a minute after /slow's write blocked")
		}
	}
	close(w.release)
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if n := len(w.byPath(t)); n != len(paths)+1 {
		t.Errorf("%d records, want %d", n, len(paths)+1)
	}
}

// silentServer accepts connections on 127.0.0.1, reads each request's
// headers and never answers. Each request's arrival is sent on asked and
// its connection's close by the client on closed.
func silentServer(t *testing.T) (addr string, asked, closed <-chan struct{}) {
	t.Helper()
	a, cl := make(chan struct{}, 10), make(chan struct{}, 10)
	srv := startRawServer(t, nil, func(conn net.Conn) {
		br := bufio.NewReader(conn)
		for {
			line, err := br.ReadString('\n')
			if err != nil {
				return
			}
			if line == "\r\n" {
				break
			}
		}
		a <- struct{}{}
		_, _ = io.Copy(io.Discard, br) // until the client closes
		cl <- struct{}{}
	})
	t.Cleanup(srv.close)
	return srv.ln.Addr().String(), a, cl
}

// waitFor fails the test unless ch delivers within a minute (far longer
// than the test needs; far shorter than the request timeouts it uses).
func waitFor(t *testing.T, ch <-chan struct{}, what string) {
	t.Helper()
	select {
	case <-ch:
	case <-time.After(time.Minute):
		t.Fatalf("%s: not within a minute", what)
	}
}

// TestFetchTaskHonoursItsContext: canceling a running fetch task's future
// cancels its HTTP request; the server sees the connection closed long
// before the request's Timeout.
func TestFetchTaskHonoursItsContext(t *testing.T) {
	addr, asked, closed := silentServer(t)
	u := "http://" + addr + "/"
	c, err := New(Config{Starts: []string{u}, Output: &collect{}, IgnoreRobots: true, Timeout: 10 * time.Minute})
	if err != nil {
		t.Fatal(err)
	}
	c.hardCtx, c.hardCancel = context.WithCancel(context.Background())
	if err := c.setup(); err != nil {
		t.Fatal(err)
	}
	defer c.teardown()
	defer c.hardCancel() // first: a fetch that ignored Cancel must not hold up the teardown
	f := c.fetch(Lease{Request: Request{URL: u}})
	waitFor(t, asked, "request")
	f.Cancel()
	waitFor(t, closed, "connection closed after Cancel")
	res, err := f.Result(context.Background())
	if err != nil || res.Err == nil || !errors.Is(res.Err, context.Canceled) {
		t.Errorf("canceled fetch: %+v, %v; want an outcome whose Err is context.Canceled", res, err)
	}
}

// TestStopEndsInFlightFetch: a stop ends a fetch the server never answers
// after DrainTimeout (not after Timeout): the server sees the connection
// closed, and the URL's record says it was interrupted.
func TestStopEndsInFlightFetch(t *testing.T) {
	addr, asked, closed := silentServer(t)
	out := &collect{}
	c, err := New(Config{
		Starts: []string{"http://" + addr + "/"}, Output: out, IgnoreRobots: true,
		Timeout: 10 * time.Minute, DrainTimeout: 10 * time.Millisecond,
	})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := runAsync(c, ctx)
	waitFor(t, asked, "request")
	cancel()
	waitFor(t, closed, "connection closed after the stop")
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if len(out.recs) != 1 || !strings.HasPrefix(out.recs[0].Error, "interrupted: ") {
		t.Errorf("records %+v, want one interrupted", out.recs)
	}
}

// TestRobotsLoadsWithinTheWireBound: one Pop that meets many new hosts
// claims their robots.txt loads only while wire slots are free; every host
// is loaded in the end and every start URL recorded.
func TestRobotsLoadsWithinTheWireBound(t *testing.T) {
	var hits atomic.Int64
	var starts []string
	for range 6 {
		starts = append(starts, linkSite(t, nil, &hits).URL+"/")
	}
	out := &collect{}
	c, err := New(Config{Starts: starts, Output: out, Concurrency: 1, Depth: 0})
	if err != nil {
		t.Fatal(err)
	}
	errc := runAsync(c, context.Background())
	select {
	case err := <-errc:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(time.Minute):
		t.Fatal("crawl of 6 hosts with Concurrency 1 not over within a minute")
	}
	if n := len(out.recs); n != len(starts) {
		t.Errorf("%d records, want %d", n, len(starts))
	}
}
