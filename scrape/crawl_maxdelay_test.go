package scrape

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/poolscrape/poolscrape/internal/hostile"
)

// warnings collects Config.Warn messages.
type warnings struct {
	mu   sync.Mutex
	msgs []string
}

func (w *warnings) warn(msg string) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.msgs = append(w.msgs, msg)
}

func (w *warnings) all() []string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return append([]string(nil), w.msgs...)
}

// retryWaits is a frontier that records how far ahead each retry is put.
type retryWaits struct {
	Frontier
	mu    sync.Mutex
	waits []time.Duration
}

func (r *retryWaits) Retry(ctx context.Context, l Lease, notBefore time.Time) error {
	r.mu.Lock()
	r.waits = append(r.waits, time.Until(notBefore))
	r.mu.Unlock()
	return r.Frontier.Retry(ctx, l, notBefore)
}

// TestCrawlMaxDelayCrawlDelay: an absurd robots.txt Crawl-delay is capped
// at MaxDelay (the gate keeps MaxDelay for the host, and the crawl ends),
// with one warning naming the host and the delay asked for.
func TestCrawlMaxDelayCrawlDelay(t *testing.T) {
	for _, c := range []struct{ crawlDelay, asked string }{
		{"100000000", "27777h46m40s"},
		{"1e15", ""}, // too large for a time.Duration
	} {
		t.Run(c.crawlDelay, func(t *testing.T) {
			site := &hostile.Robots{Answers: []hostile.RobotsAnswer{{Body: "User-agent: *\nCrawl-delay: " + c.crawlDelay + "\n"}}, Pages: 3}
			srv := httptest.NewServer(site)
			defer srv.Close()
			gate := newMemoryGate(4, 0, nil)
			var w warnings
			out, _ := crawl(t, srv, Config{Depth: 1, Rules: []Rule{}, Gate: gate, MaxDelay: 50 * time.Millisecond, Warn: w.warn})
			host := strings.TrimPrefix(srv.URL, "http://")
			if len(out.recs) != 5 { // home, 3 pages, /private/
				t.Errorf("%d records, want 5", len(out.recs))
			}
			if d := gate.Delay(host); d != 50*time.Millisecond {
				t.Errorf("the gate keeps %v for the host, want MaxDelay (50ms)", d)
			}
			msgs := w.all()
			if len(msgs) != 1 || !strings.Contains(msgs[0], host) || !strings.Contains(msgs[0], "Crawl-delay of "+c.asked) {
				t.Errorf("warnings %q, want one naming %s and the Crawl-delay of %s", msgs, host, c.asked)
			}
		})
	}
}

// TestCrawlMaxDelayRetryAfter: an absurd Retry-After, on a page or on
// robots.txt, is waited MaxDelay at most, with one warning for the host.
func TestCrawlMaxDelayRetryAfter(t *testing.T) {
	site := &hostile.Robots{
		Answers:        []hostile.RobotsAnswer{{Status: 503, RetryAfter: "100000000"}, {Status: 404}},
		Pages:          3,
		PageRetryAfter: "100000000",
	}
	srv := httptest.NewServer(site)
	defer srv.Close()
	fr := &retryWaits{Frontier: NewMemoryFrontier()}
	var w warnings
	out, stats := crawl(t, srv, Config{Depth: 1, Rules: []Rule{}, Frontier: fr, MaxDelay: 50 * time.Millisecond, Warn: w.warn})
	if len(out.recs) != 5 || stats.Retries != 4 || site.Hits("/robots.txt") != 2 {
		t.Errorf("%d records, %d retries, robots.txt asked %d times; want 5, 4 and 2", len(out.recs), stats.Retries, site.Hits("/robots.txt"))
	}
	for _, d := range fr.waits {
		if d > 50*time.Millisecond {
			t.Errorf("a retry put %v ahead, want MaxDelay (50ms) at most", d)
		}
	}
	host := strings.TrimPrefix(srv.URL, "http://")
	if msgs := w.all(); len(msgs) != 1 || !strings.Contains(msgs[0], host) || !strings.Contains(msgs[0], "Retry-After of 27777h46m40s") {
		t.Errorf("warnings %q, want one naming %s and the Retry-After", msgs, host)
	}
}

// TestCrawlMaxDelayAutoThrottle: AutoThrottle's backoff after 429s (1s at
// least, by default) stays within MaxDelay.
func TestCrawlMaxDelayAutoThrottle(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasPrefix(r.URL.Path, "/limited") {
			w.WriteHeader(http.StatusTooManyRequests)
			return
		}
		w.Header().Set("Content-Type", "text/html")
		w.Write([]byte(`<a href="/limited/1">x</a><a href="/limited/2">x</a>`))
	}))
	defer srv.Close()
	c, err := New(Config{
		Starts: []string{srv.URL + "/"}, Output: &collect{}, Depth: 1, IgnoreRobots: true,
		AutoThrottle: true, MaxDelay: 50 * time.Millisecond, Retries: 2, RetryBackoff: 10 * time.Millisecond,
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	host := strings.TrimPrefix(srv.URL, "http://")
	if d := c.gate.(*memoryGate).Delay(host); d != 50*time.Millisecond {
		t.Errorf("AutoThrottle's delay after 429s is %v, want MaxDelay (50ms)", d)
	}
}

// TestConfigMaxDelay: a negative MaxDelay is a config error; 0 means
// DefaultMaxDelay.
func TestConfigMaxDelay(t *testing.T) {
	base := Config{Starts: []string{"http://127.0.0.1:1/"}, Output: &collect{}}
	bad := base
	bad.MaxDelay = -time.Second
	if _, err := New(bad); err == nil || !strings.Contains(err.Error(), "MaxDelay") {
		t.Errorf("negative MaxDelay: %v, want an error naming MaxDelay", err)
	}
	c, err := New(base)
	if err != nil || c.cfg.MaxDelay != DefaultMaxDelay {
		t.Errorf("zero MaxDelay: %v, %v; want DefaultMaxDelay", err, c.cfg.MaxDelay)
	}
}

// TestCrawlMaxDelayBelowDelay: Delay is the crawl's own choice and wins
// over a smaller MaxDelay: a host's long Crawl-delay is capped at Delay.
func TestCrawlMaxDelayBelowDelay(t *testing.T) {
	site := &hostile.Robots{Answers: []hostile.RobotsAnswer{{Body: "User-agent: *\nCrawl-delay: 100000000\n"}}, Pages: 1}
	srv := httptest.NewServer(site)
	defer srv.Close()
	gate := newMemoryGate(4, 100*time.Millisecond, nil)
	var w warnings
	crawl(t, srv, Config{Depth: 1, Rules: []Rule{}, Gate: gate, Delay: 100 * time.Millisecond, MaxDelay: 10 * time.Millisecond, Warn: w.warn})
	if d := gate.Delay(strings.TrimPrefix(srv.URL, "http://")); d != 100*time.Millisecond {
		t.Errorf("the gate keeps %v for the host, want Delay (100ms)", d)
	}
	if msgs := w.all(); len(msgs) != 1 || !strings.Contains(msgs[0], "waiting 100ms at most") {
		t.Errorf("warnings %q, want one saying the cap is Delay", msgs)
	}
}
