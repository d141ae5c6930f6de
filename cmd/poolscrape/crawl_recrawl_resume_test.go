package main

import (
	"encoding/json"
	"fmt"
	"maps"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"

	"github.com/poolscrape/poolscrape/output"
	"github.com/poolscrape/poolscrape/scrape"
)

// passSite serves / linking to /p/0 … /p/N-1, each with an ETag (a 304 to
// If-None-Match). Once goneEven is set, the even pages answer 404 and 410
// in turn; once gate is set, requests past the first allow wait until
// release is closed (or the client goes away).
type passSite struct {
	n        int
	mu       sync.Mutex
	goneEven bool
	gate     bool
	allow    int
	release  chan struct{}
}

func (s *passSite) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	gone, wait := s.goneEven, false
	if s.gate {
		wait = s.allow <= 0
		s.allow--
	}
	s.mu.Unlock()
	if wait {
		select {
		case <-s.release:
		case <-r.Context().Done():
			return
		}
	}
	var i int
	if r.URL.Path != "/" {
		if _, err := fmt.Sscanf(r.URL.Path, "/p/%d", &i); err != nil || i < 0 || i >= s.n {
			http.NotFound(w, r)
			return
		}
		if gone && i%2 == 0 {
			w.WriteHeader([]int{http.StatusNotFound, http.StatusGone}[i/2%2])
			return
		}
	}
	etag := fmt.Sprintf(`"%x"`, r.URL.Path)
	w.Header().Set("ETag", etag)
	if r.Header.Get("If-None-Match") == etag {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	w.Header().Set("Content-Type", "text/html")
	if r.URL.Path == "/" {
		for i := range s.n {
			fmt.Fprintf(w, `<a href="/p/%d">%d</a> `, i, i)
		}
	}
}

// readStats reads a --stats file.
func readStats(t *testing.T, path string) scrape.Stats {
	t.Helper()
	var st scrape.Stats
	b, err := os.ReadFile(path)
	if err == nil {
		err = json.Unmarshal(b, &st)
	}
	if err != nil {
		t.Fatalf("--stats %s: %v", path, err)
	}
	return st
}

// TestRecrawlInterruptedAndResumed stops a --recrawl pass mid-way (by
// --max-time, or SIGKILL) and resumes it without --recrawl: every URL has
// one record in the pass's output, gone and unchanged ones alike; the two
// runs' changes add up to the pass's; and the resumed run's stats count
// the whole pass's changes (pass_changes), earlier run included.
func TestRecrawlInterruptedAndResumed(t *testing.T) {
	bin := scaleBinary(t)
	const n = 24
	want := map[string]int64{"gone": n / 2, "unchanged": n/2 + 1}
	for _, stop := range []string{"max-time", "kill"} {
		t.Run(stop, func(t *testing.T) {
			site := &passSite{n: n, release: make(chan struct{})}
			srv := httptest.NewServer(site)
			defer srv.Close()
			defer func() {
				select {
				case <-site.release:
				default:
					close(site.release)
				}
			}()
			dir := t.TempDir()
			state := filepath.Join(dir, "state")
			common := []string{"--state", state, "-d", "1", "-c", "2", "--ignore-robots", "--progress", "never", srv.URL + "/"}
			if code, stderr := runCrawlBin(t, bin, append([]string{"-o", filepath.Join(dir, "a.jsonl")}, common...)...); code != 0 {
				t.Fatalf("first pass: exit %d\n%s", code, stderr)
			}
			site.mu.Lock()
			site.goneEven, site.gate, site.allow = true, true, 8
			site.mu.Unlock()
			out, statsA, statsB := filepath.Join(dir, "b.jsonl"), filepath.Join(dir, "statsA.json"), filepath.Join(dir, "statsB.json")
			pass := append([]string{"-o", out}, common...)
			var ranA map[string]int64
			if stop == "max-time" {
				code, stderr := runCrawlBin(t, bin, append([]string{"--recrawl", "--max-time", "1s", "--stats", statsA}, pass...)...)
				if code != 0 {
					t.Fatalf("--recrawl --max-time: exit %d\n%s", code, stderr)
				}
				ranA = readStats(t, statsA).Changes
				if got := ranA["gone"] + ranA["unchanged"]; got >= n+1 {
					t.Fatalf("the stopped run recorded all %d URLs: stop it earlier", got)
				}
			} else {
				p := startCrawl(t, bin, append([]string{"--recrawl"}, pass...)...)
				waitLines(t, p, out, 4)
				p.signal(t, syscall.SIGKILL)
				p.wait(t)
			}
			close(site.release)
			if code, stderr := runCrawlBin(t, bin, append([]string{"--stats", statsB}, pass...)...); code != 0 {
				t.Fatalf("resuming the pass: exit %d\n%s", code, stderr)
			}
			recs, err := output.ReadFile(out, "")
			if err != nil {
				t.Fatal(err)
			}
			seen := map[string]int{}
			counted := map[string]int64{}
			for _, r := range recs {
				seen[strings.TrimPrefix(r.URL, srv.URL)]++
				counted[r.Change]++
			}
			if len(seen) != n+1 || len(recs) != n+1 {
				t.Errorf("the pass's output: %d records of %d URLs, want %d of %d: %v", len(recs), len(seen), n+1, n+1, seen)
			}
			if !maps.Equal(counted, want) {
				t.Errorf("the pass's records by change: %v, want %v", counted, want)
			}
			stB := readStats(t, statsB)
			if stop == "max-time" {
				sum := maps.Clone(ranA)
				for k, v := range stB.Changes {
					sum[k] += v
				}
				if !maps.Equal(sum, want) {
					t.Errorf("changes of the two runs: %v + %v, want %v in all", ranA, stB.Changes, want)
				}
			}
			if !maps.Equal(stB.PassChanges, want) {
				t.Errorf("pass_changes of the resumed run: %v, want %v", stB.PassChanges, want)
			}
		})
	}
}
