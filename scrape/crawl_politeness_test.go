package scrape

import (
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/poolscrape/poolscrape/internal/testsite"
)

// startTimes wraps a handler and records when each page request arrived.
type startTimes struct {
	mu    sync.Mutex
	times []time.Time
	inner http.Handler
}

func (s *startTimes) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path != "/robots.txt" {
		s.mu.Lock()
		s.times = append(s.times, time.Now())
		s.mu.Unlock()
	}
	s.inner.ServeHTTP(w, r)
}

// minGap is the least time between two consecutive request arrivals.
func (s *startTimes) minGap() time.Duration {
	s.mu.Lock()
	defer s.mu.Unlock()
	ts := slices.Clone(s.times)
	slices.SortFunc(ts, func(a, b time.Time) int { return a.Compare(b) })
	gap := time.Hour
	for i := 1; i < len(ts); i++ {
		gap = min(gap, ts[i].Sub(ts[i-1]))
	}
	return gap
}

// TestCrawlPoliteness: --delay and the robots.txt Crawl-delay keep requests
// to a host apart (arrivals are never closer than the gap, less a little for
// scheduling jitter); without them the host gets requests in parallel.
func TestCrawlPoliteness(t *testing.T) {
	for _, c := range []struct {
		name   string
		site   testsite.Config
		cfg    Config
		gapMin time.Duration
	}{
		{"delay", testsite.Config{Plain: true, Pages: 8}, Config{Depth: 2, Delay: 80 * time.Millisecond}, 70 * time.Millisecond},
		{"crawl-delay", testsite.Config{Plain: true, Pages: 8, CrawlDelay: 100 * time.Millisecond}, Config{Depth: 2}, 90 * time.Millisecond},
	} {
		t.Run(c.name, func(t *testing.T) {
			site, err := testsite.New(c.site)
			if err != nil {
				t.Fatal(err)
			}
			rec := &startTimes{inner: site.Handler()}
			srv := httptest.NewServer(rec)
			defer srv.Close()
			out, _ := crawl(t, srv, c.cfg)
			if len(out.recs) < 5 {
				t.Fatalf("only %d records", len(out.recs))
			}
			if gap := rec.minGap(); gap < c.gapMin {
				t.Errorf("two requests %v apart, want at least %v", gap, c.gapMin)
			}
		})
	}
}

// TestCrawlAutoThrottleBacksOff: a host answering 429 gets its delay raised
// by AutoThrottle (the gate's delay for it is at least the backoff floor).
func TestCrawlAutoThrottleBacksOff(t *testing.T) {
	gate := newMemoryGate(4, 0, &autoThrottle{StartDelay: 10 * time.Millisecond, MaxDelay: time.Second, TargetConcurrency: 4, BackoffFloor: 200 * time.Millisecond})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasPrefix(r.URL.Path, "/limited") {
			w.WriteHeader(http.StatusTooManyRequests)
			return
		}
		w.Header().Set("Content-Type", "text/html")
		w.Write([]byte(`<a href="/limited">x</a>`))
	}))
	defer srv.Close()
	out, stats := crawl(t, srv, Config{Depth: 1, Gate: gate, IgnoreRobots: true})
	host := strings.TrimPrefix(srv.URL, "http://")
	if d := gate.Delay(host); d < 200*time.Millisecond {
		t.Errorf("delay after 429s is %v, want >= 200ms", d)
	}
	if stats.Retries != 2 || len(out.recs) != 2 { // the test policy retries twice
		t.Errorf("retries %d, records %d; want 2 and 2", stats.Retries, len(out.recs))
	}
}
