package main

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/poolscrape/poolscrape/internal/ordertest"
	"github.com/poolscrape/poolscrape/internal/redistest"
	"github.com/poolscrape/poolscrape/scrape"
)

// arrivals serves inner, or else ordertest's tree (and a robots.txt), and
// records when each request arrived.
type arrivals struct {
	mu    sync.Mutex
	times []time.Time
	inner http.Handler
}

func (a *arrivals) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	a.mu.Lock()
	a.times = append(a.times, time.Now())
	a.mu.Unlock()
	if a.inner != nil {
		a.inner.ServeHTTP(w, r)
		return
	}
	if r.URL.Path == "/robots.txt" {
		fmt.Fprint(w, "User-agent: *\nAllow: /\n")
		return
	}
	w.Header().Set("Content-Type", "text/html")
	for _, c := range ordertest.Children(r.URL.Path) {
		fmt.Fprintf(w, `<a href="%s">%s</a> `, c, c)
	}
}

// span is how many requests arrived and the time from the first to the last.
func (a *arrivals) span() (int, time.Duration) {
	a.mu.Lock()
	defer a.mu.Unlock()
	ts := slices.Clone(a.times)
	slices.SortFunc(ts, func(x, y time.Time) int { return x.Compare(y) })
	if len(ts) == 0 {
		return 0, 0
	}
	return len(ts), ts[len(ts)-1].Sub(ts[0])
}

// leastSpan is the least time n requests take at rate a second with
// scrape.RateBurst, halved: a tolerance for the network's jitter (without
// a limit, they take milliseconds).
func leastSpan(n int, rate float64) time.Duration {
	return time.Duration(float64(n-scrape.RateBurst) / rate * float64(time.Second) / 2)
}

// TestCrawlRateFlag: --rate 20 holds the requests (robots.txt included) to
// 20 a second, in memory, with --state and with --redis.
func TestCrawlRateFlag(t *testing.T) {
	bin := scaleBinary(t)
	backends := map[string]func(t *testing.T, dir string) []string{
		"memory": func(*testing.T, string) []string { return nil },
		"state":  func(_ *testing.T, dir string) []string { return []string{"--state", filepath.Join(dir, "state")} },
		"redis": func(t *testing.T, _ string) []string {
			return []string{"--redis", redistest.URL(t), "--job", redistest.Job(t)}
		},
	}
	for name, backend := range backends {
		t.Run(name, func(t *testing.T) {
			site := &arrivals{}
			srv := httptest.NewServer(site)
			defer srv.Close()
			dir := t.TempDir()
			args := append([]string{"--rate", "20", "-c", "8", "--per-host", "8", "--progress", "never",
				"-o", filepath.Join(dir, "out.jsonl")}, backend(t, dir)...)
			code, stderr := runCrawlBin(t, bin, append(args, srv.URL+"/")...)
			if code != 0 {
				t.Fatalf("exit %d: %s", code, stderr)
			}
			n, span := site.span()
			if want := len(ordertest.Want[scrape.OrderBreadth]) + 1; n != want {
				t.Fatalf("%d requests, want %d (the tree and robots.txt)", n, want)
			}
			if least := leastSpan(n, 20); span < least {
				t.Errorf("%d requests in %v at --rate 20: want at least %v", n, span, least)
			}
		})
	}
}
