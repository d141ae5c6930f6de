package main

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"slices"
	"sync"
	"testing"

	"github.com/poolscrape/poolscrape/internal/ordertest"
	"github.com/poolscrape/poolscrape/internal/redistest"
	"github.com/poolscrape/poolscrape/scrape"
)

// orderSite serves ordertest's tree and records the paths in the order
// they are fetched.
type orderSite struct {
	mu    sync.Mutex
	paths []string
}

func (s *orderSite) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	s.paths = append(s.paths, r.URL.Path)
	s.mu.Unlock()
	w.Header().Set("Content-Type", "text/html")
	for _, c := range ordertest.Children(r.URL.Path) {
		fmt.Fprintf(w, `<a href="%s">%s</a> `, c, c)
	}
}

func (s *orderSite) fetched() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.paths)
}

// TestCrawlOrderFlag: one fetch at a time, --order breadth fetches the tree
// level by level and --order depth the first link's subtree first, in page
// order, with each frontier: in memory, --state and --redis. The crawler
// extracts a page while the next fetch may start; --delay holds that fetch
// back (by far longer than extraction and a push take) so that the page's
// links are in the frontier when the next URL is chosen.
func TestCrawlOrderFlag(t *testing.T) {
	bin := scaleBinary(t)
	backends := map[string]func(t *testing.T, dir string) []string{
		"memory": func(*testing.T, string) []string { return nil },
		"state":  func(_ *testing.T, dir string) []string { return []string{"--state", filepath.Join(dir, "state")} },
		"redis": func(t *testing.T, _ string) []string {
			return []string{"--redis", redistest.URL(t), "--job", redistest.Job(t)}
		},
	}
	for name, backend := range backends {
		for _, order := range []scrape.Order{scrape.OrderBreadth, scrape.OrderDepth} {
			t.Run(name+"/"+string(order), func(t *testing.T) {
				site := &orderSite{}
				srv := httptest.NewServer(site)
				defer srv.Close()
				dir := t.TempDir()
				args := append([]string{"--order", string(order), "-d", "2", "-c", "1", "--per-host", "1",
					"--delay", "250ms", "--ignore-robots", "--progress", "never", "-o", filepath.Join(dir, "out.jsonl")},
					backend(t, dir)...)
				code, stderr := runCrawlBin(t, bin, append(args, srv.URL+"/")...)
				if code != 0 {
					t.Fatalf("exit %d: %s", code, stderr)
				}
				var want []string
				for _, p := range ordertest.Want[order] {
					if len(p) <= 3 { // -d 2
						want = append(want, p)
					}
				}
				if got := site.fetched(); !slices.Equal(got, want) {
					t.Errorf("fetched\n%v\nwant\n%v", got, want)
				}
			})
		}
	}
}
