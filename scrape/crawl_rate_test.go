package scrape

import (
	"errors"
	"fmt"
	"math"
	"net/http"
	"net/http/httptest"
	"slices"
	"sync"
	"testing"
	"time"
)

// rateSite links / to /p0 ... /p24; /p3 redirects to /p3b; it serves a
// robots.txt and records when each request, robots.txt included, arrived.
type rateSite struct {
	mu    sync.Mutex
	times []time.Time
	paths []string
}

func (s *rateSite) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	s.times = append(s.times, time.Now())
	s.paths = append(s.paths, r.URL.Path)
	s.mu.Unlock()
	switch r.URL.Path {
	case "/robots.txt":
		fmt.Fprint(w, "User-agent: *\nAllow: /\n")
	case "/p3":
		http.Redirect(w, r, "/p3b", http.StatusFound)
	case "/":
		w.Header().Set("Content-Type", "text/html")
		for i := range 25 {
			fmt.Fprintf(w, `<a href="/p%d">%d</a> `, i, i)
		}
	default:
		w.Header().Set("Content-Type", "text/html")
		fmt.Fprint(w, "<p>leaf</p>")
	}
}

// TestCrawlRate: with Rate 20, the requests of a crawl (robots.txt and a
// redirect hop included) arrive no faster than 20 a second: n requests
// span at least (n-RateBurst)/Rate, less a tolerance for the network's
// jitter (half of it: without the limit they span milliseconds).
func TestCrawlRate(t *testing.T) {
	site := &rateSite{}
	srv := httptest.NewServer(site)
	defer srv.Close()
	const r = 20.0
	out, stats := crawl(t, srv, Config{Depth: 1, Rate: r, Concurrency: 8, PerHost: 8, Rules: []Rule{}})
	if len(out.recs) != 26 {
		t.Fatalf("%d records, want 26 (/ and /p0 to /p24): %+v", len(out.recs), stats)
	}
	site.mu.Lock()
	times, paths := slices.Clone(site.times), slices.Clone(site.paths)
	site.mu.Unlock()
	if !slices.Contains(paths, "/robots.txt") || !slices.Contains(paths, "/p3b") {
		t.Fatalf("requests %v: want robots.txt and the redirect hop /p3b among them", paths)
	}
	n := len(times)
	slices.SortFunc(times, func(a, b time.Time) int { return a.Compare(b) })
	span := times[n-1].Sub(times[0])
	least := time.Duration(float64(n-RateBurst) / r * float64(time.Second))
	if span < least/2 {
		t.Errorf("%d requests in %v at Rate %v: want at least %v", n, span, r, least)
	}
}

// TestConfigRateBad: a negative or not-a-number Rate is an ErrConfig.
func TestConfigRateBad(t *testing.T) {
	for _, r := range []float64{-1, nanRate()} {
		if _, err := New(Config{Starts: []string{"http://a.test/"}, Output: &collect{}, Rate: r}); !errors.Is(err, ErrConfig) {
			t.Errorf("Rate %v: %v, want ErrConfig", r, err)
		}
	}
}

func nanRate() float64 { return math.NaN() }
