package scrape

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"
)

// slowPushes is a frontier whose first push of sitemap URLs takes longer
// than the crawl's Config.Timeout: bookkeeping, not network.
type slowPushes struct {
	Frontier
	delay time.Duration
	once  sync.Once
}

func (f *slowPushes) Push(ctx context.Context, reqs ...Request) (int, error) {
	if len(reqs) > 0 && strings.HasSuffix(reqs[0].Referrer, "/sitemap.xml") {
		f.once.Do(func() { time.Sleep(f.delay) }) // a slow frontier, not a wait for an event
	}
	return f.Frontier.Push(ctx, reqs...)
}

// TestCrawlSitemapTimeoutIsNetworkTime: Config.Timeout bounds a sitemap's
// network waits, not the frontier's pushes of its URLs: a sitemap of 3,000
// URLs whose first push of 1,000 takes longer than Timeout is read whole.
func TestCrawlSitemapTimeoutIsNetworkTime(t *testing.T) {
	const urls = 3000
	srv := bigSitemapSite(t, urls)
	var w warnings
	timeout := time.Second
	cfg := Config{Depth: 1, IgnoreRobots: true, MaxPages: 1, Rules: []Rule{}, RequestOptions: RequestOptions{Sitemaps: true},
		Timeout: timeout, Frontier: &slowPushes{Frontier: NewMemoryFrontier(), delay: timeout + timeout/2}, Warn: w.warn}
	_, stats := crawl(t, srv, cfg)
	if stats.Discovered != urls+1 {
		t.Errorf("%d URLs discovered, want %d (the start URL and the sitemap's %d)", stats.Discovered, urls+1, urls)
	}
	if warned := w.all(); len(warned) != 0 {
		t.Errorf("warnings %q, want none", warned)
	}
}

// TestCrawlSitemapStallBounded: a sitemap whose body stops coming for
// longer than Config.Timeout is cut there, with a warning naming the
// bound; the URLs before the stall are kept.
func TestCrawlSitemapStallBounded(t *testing.T) {
	mux := http.NewServeMux()
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) { fmt.Fprint(w, "<html></html>") })
	mux.HandleFunc("/sitemap.xml", func(w http.ResponseWriter, r *http.Request) {
		base := "http://" + r.Host
		fmt.Fprintf(w, `<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>%s/a</loc></url><url><loc>%s/b</loc></url>`, base, base)
		w.(http.Flusher).Flush()
		<-r.Context().Done() // the rest never comes
	})
	srv := httptest.NewServer(mux)
	defer srv.Close()
	var w warnings
	cfg := Config{Depth: 1, IgnoreRobots: true, MaxPages: 1, Rules: []Rule{}, RequestOptions: RequestOptions{Sitemaps: true},
		Timeout: 500 * time.Millisecond, Warn: w.warn}
	_, stats := crawl(t, srv, cfg)
	if stats.Discovered != 3 {
		t.Errorf("%d URLs discovered, want 3 (the start URL, /a and /b)", stats.Discovered)
	}
	if warned := w.all(); len(warned) != 1 || !strings.Contains(warned[0], "no answer for 500ms") {
		t.Errorf("warnings %q, want one saying the sitemap stalled past Timeout", warned)
	}
}
