package main

import (
	"bytes"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/poolscrape/poolscrape/scrape"
)

// orderTree is the site of TestCrawlOrderFlag: / links to /a, /b and /c,
// /a to /a1; the others link nowhere. Breadth first fetches /c (depth 1)
// before /a1 (depth 2); depth first fetches /a1, pushed after /c, before
// /c.
var orderTree = map[string][]string{"/": {"/a", "/b", "/c"}, "/a": {"/a1"}}

// heldOrderSite serves orderTree to a crawl writing its records to out, one
// request at a time, and holds the answer to the k-th request until out
// holds k records: the crawler pushes a page's links before it writes its
// record, so when a page is answered, the links of every page fetched
// before it are in the frontier, however slow the machine. It records the
// paths in the order they were asked for.
type heldOrderSite struct {
	out   string
	mu    sync.Mutex
	paths []string
	late  []string // requests answered without their records being in out
}

func (s *heldOrderSite) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	k := len(s.paths)
	s.paths = append(s.paths, r.URL.Path)
	s.mu.Unlock()
	if !s.waitRecords(k) {
		s.mu.Lock()
		s.late = append(s.late, r.URL.Path)
		s.mu.Unlock()
	}
	w.Header().Set("Content-Type", "text/html")
	for _, c := range orderTree[r.URL.Path] {
		fmt.Fprintf(w, `<a href="%s">%s</a> `, c, c)
	}
}

// waitRecords waits until s.out holds n records (lines), for at most a
// minute (the crawl process's file: polled, there is nothing to wait on).
func (s *heldOrderSite) waitRecords(n int) bool {
	tick := time.NewTicker(2 * time.Millisecond)
	defer tick.Stop()
	deadline := time.After(time.Minute)
	for {
		b, _ := os.ReadFile(s.out)
		if bytes.Count(b, []byte("\n")) >= n {
			return true
		}
		select {
		case <-tick.C:
		case <-deadline:
			return false
		}
	}
}

func (s *heldOrderSite) fetched() (paths, late []string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.paths), slices.Clone(s.late)
}

// TestCrawlOrderFlag: with one fetch at a time, --order breadth fetches /c
// before /a1 and --order depth /a1 before /c, with each frontier: in
// memory, --state and --redis. The crawler may choose the next URL while
// the page just fetched is still being extracted; the site holds each
// answer until the records of the pages before it are written, so that the
// choice the order decides (after /b: /c or /a1) is made with /a's links in
// the frontier. The choice right after /a may be made without them; both
// orders come out the same whichever way it goes.
func TestCrawlOrderFlag(t *testing.T) {
	bin := scaleBinary(t)
	for name, backend := range frontierFlags {
		for _, order := range []scrape.Order{scrape.OrderBreadth, scrape.OrderDepth} {
			t.Run(name+"/"+string(order), func(t *testing.T) {
				dir := t.TempDir()
				out := filepath.Join(dir, "out.jsonl")
				site := &heldOrderSite{out: out}
				srv := httptest.NewServer(site)
				defer srv.Close()
				args := append([]string{"--order", string(order), "-d", "2", "-c", "1", "--per-host", "1",
					"--ignore-robots", "--progress", "never", "-o", out}, backend(t, dir)...)
				code, stderr := runCrawlBin(t, bin, append(args, srv.URL+"/")...)
				if code != 0 {
					t.Fatalf("exit %d: %s", code, stderr)
				}
				got, late := site.fetched()
				if len(late) > 0 {
					t.Fatalf("answered %v without the records before them in the output", late)
				}
				first, second := "/c", "/a1"
				if order == scrape.OrderDepth {
					first, second = second, first
				}
				sorted := slices.Sorted(slices.Values(got))
				if want := []string{"/", "/a", "/a1", "/b", "/c"}; !slices.Equal(sorted, want) {
					t.Fatalf("fetched %v, want each of %v once", got, want)
				}
				if slices.Index(got, first) > slices.Index(got, second) {
					t.Errorf("fetched %v: %s after %s", got, first, second)
				}
			})
		}
	}
}
