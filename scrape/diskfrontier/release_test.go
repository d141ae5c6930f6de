package diskfrontier

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/poolscrape/poolscrape/scrape"
	"github.com/poolscrape/poolscrape/scrape/record"
	"github.com/poolscrape/poolscrape/scrape/resume"
)

// TestStopReleasesCutShortFetches: fetches that a stop cuts short are not
// recorded as interrupted but given back, and the resumed crawl fetches them.
func TestStopReleasesCutShortFetches(t *testing.T) {
	var hang atomic.Bool
	hang.Store(true)
	var hanging atomic.Int32
	allHanging := make(chan struct{}) // closed when the 3 fetches are in flight
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/" {
			fmt.Fprint(w, `<html><a href="/slow/1">1</a><a href="/slow/2">2</a><a href="/slow/3">3</a></html>`)
			return
		}
		if hang.Load() {
			if hanging.Add(1) == 3 {
				close(allHanging)
			}
			<-r.Context().Done()
			return
		}
		fmt.Fprintf(w, "<html><title>%s</title></html>", r.URL.Path)
	}))
	defer srv.Close()
	dir := t.TempDir()

	first, stats := crawlStopped(t, srv.URL, dir, allHanging)
	for _, r := range first {
		if strings.Contains(r.Error, "interrupted") {
			t.Errorf("a cut-short fetch was recorded: %+v", r)
		}
	}
	if stats.Released != 3 {
		t.Fatalf("released %d fetches, want the 3 cut short; records %v", stats.Released, recordURLs(first))
	}

	hang.Store(false)
	second, _ := crawlStopped(t, srv.URL, dir, nil)
	got := append(recordURLs(first), recordURLs(second)...)
	slices.Sort(got)
	want := []string{srv.URL + "/", srv.URL + "/slow/1", srv.URL + "/slow/2", srv.URL + "/slow/3"}
	if !slices.Equal(got, want) {
		t.Fatalf("records over both runs %v, want %v", got, want)
	}
}

// crawlStopped crawls base with the frontier in dir, stopped when stop is
// closed (nil: never), with a drain timeout far shorter than the request
// timeout.
func crawlStopped(t *testing.T, base, dir string, stop <-chan struct{}) ([]record.Record, scrape.Stats) {
	t.Helper()
	f, err := Open(dir, resume.Identity{"start": base + "/", "depth": "1"}, Config{})
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close(context.Background())
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go func() {
		select {
		case <-stop:
			cancel()
		case <-ctx.Done():
		}
	}()
	out := &records{}
	c, err := scrape.New(scrape.Config{
		Starts: []string{base + "/"}, Depth: 1, Concurrency: 4, Output: out, IgnoreRobots: true,
		Frontier: f, Timeout: time.Minute, DrainTimeout: 100 * time.Millisecond,
	})
	if err != nil {
		t.Fatal(err)
	}
	stats, err := c.Run(ctx)
	if err != nil {
		t.Fatal(err)
	}
	return out.recs, stats
}

func recordURLs(recs []record.Record) []string {
	var out []string
	for _, r := range recs {
		out = append(out, r.URL)
	}
	return out
}
