package scrape

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/poolscrape/poolscrape/internal/testsite"
)

// grantLog wraps a crawl's HostGate and records the time each slot was
// granted at: the now the crawler passed, the clock the gate judges the gap
// by. Gaps measured there are the ones the crawler kept; machine load can
// only delay a grant, never bring two closer than the gate allows.
type grantLog struct {
	HostGate
	mu     sync.Mutex
	grants []time.Time
}

func (g *grantLog) TryAcquire(ctx context.Context, host string, now time.Time) (bool, time.Duration, error) {
	ok, wait, err := g.HostGate.TryAcquire(ctx, host, now)
	if ok {
		g.mu.Lock()
		g.grants = append(g.grants, now)
		g.mu.Unlock()
	}
	return ok, wait, err
}

// gaps are the times between consecutive grants after the first (the
// robots.txt request's, made before its Crawl-delay is known), in order.
func (g *grantLog) gaps() []time.Duration {
	g.mu.Lock()
	defer g.mu.Unlock()
	var out []time.Duration
	for i := 2; i < len(g.grants); i++ {
		out = append(out, g.grants[i].Sub(g.grants[i-1]))
	}
	return out
}

// TestCrawlPoliteness: Delay and the robots.txt Crawl-delay keep the
// requests to a host at least that far apart, measured on the gate's own
// clock (a grant a busy machine delays only widens a gap); every page
// fetched went through the gate.
func TestCrawlPoliteness(t *testing.T) {
	for _, c := range []struct {
		name string
		site testsite.Config
		cfg  Config
		gap  time.Duration
	}{
		{"delay", testsite.Config{Plain: true, Pages: 8}, Config{Depth: 2, Delay: 80 * time.Millisecond}, 80 * time.Millisecond},
		{"crawl-delay", testsite.Config{Plain: true, Pages: 8, CrawlDelay: 100 * time.Millisecond}, Config{Depth: 2}, 100 * time.Millisecond},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, srv := newSite(t, c.site)
			out, log := crawlLoggingGrants(t, srv, c.cfg)
			if len(out.recs) < 5 {
				t.Fatalf("only %d records", len(out.recs))
			}
			gaps := log.gaps()
			if len(gaps) < len(out.recs)-1 {
				t.Fatalf("%d gate grants after robots.txt's for %d records", len(gaps)+1, len(out.recs))
			}
			for i, gap := range gaps {
				if gap < c.gap {
					t.Errorf("grants %d and %d %v apart, want at least %v (all gaps %v)", i+1, i+2, gap, c.gap, gaps)
				}
			}
		})
	}
}

// crawlLoggingGrants crawls srv with cfg, the crawler's own gate (made by
// New from cfg) wrapped in a grantLog.
func crawlLoggingGrants(t *testing.T, srv *httptest.Server, cfg Config) (*collect, *grantLog) {
	t.Helper()
	out := &collect{}
	cfg.Starts, cfg.Output, cfg.Rules = []string{srv.URL + "/"}, out, siteRules(t)
	c, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	log := &grantLog{HostGate: c.gate}
	c.gate = log
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	if _, err := c.Run(ctx); err != nil {
		t.Fatal(err)
	}
	return out, log
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
