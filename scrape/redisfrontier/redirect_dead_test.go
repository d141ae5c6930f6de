package redisfrontier

import (
	"context"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/poolscrape/poolscrape/internal/hostile"
	"github.com/poolscrape/poolscrape/internal/redistest"
	"github.com/poolscrape/poolscrape/internal/testsite"
	"github.com/poolscrape/poolscrape/scrape"
	"github.com/poolscrape/poolscrape/scrape/record"
)

// TestRedirectClaimOfADeadProcessIsUndone: process A leases /start, marks
// its redirect targets /hop and /target seen (as its fetch following the
// chain does) and dies without acking. When its lease expires and process
// B takes /start, the claims are undone in the same script: B follows the
// chain to /target, whose 200 is /start's record, and crawls /below.
func TestRedirectClaimOfADeadProcessIsUndone(t *testing.T) {
	job := redistest.Job(t)
	site := &hostile.FlakyRedirect{}
	srv := httptest.NewServer(site)
	t.Cleanup(srv.Close)
	cfg := Config{LeaseTimeout: 300 * time.Millisecond, Poll: 5 * time.Millisecond}
	ctx := context.Background()

	a := joinT(t, job, cfg)
	start := srv.URL + "/start"
	if _, err := a.Push(ctx, req(start, 0)); err != nil {
		t.Fatal(err)
	}
	l, err := popWait(t, a, time.Second)
	if err != nil || l.URL != start {
		t.Fatalf("A popped %q, %v; want %s", l.URL, err, start)
	}
	for _, target := range []string{srv.URL + "/hop", srv.URL + "/target"} {
		if ok, err := a.MarkSeen(ctx, target, l.URL); err != nil || !ok {
			t.Fatalf("A's MarkSeen(%s) = %v, %v; want true", target, ok, err)
		}
	}
	a.abandon()

	b := joinT(t, job, cfg)
	out := &records{}
	c, err := scrape.New(scrape.Config{Starts: []string{start}, Depth: 2, Output: out, IgnoreRobots: true, Frontier: b})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Run(ctx); err != nil {
		t.Fatal(err)
	}
	got := map[string]record.Record{}
	for _, r := range out.recs {
		p, _ := testsite.PathOf(r.URL)
		got[p] = r
	}
	if r := got["/start"]; r.Status != 200 || r.Title != "Target" {
		t.Errorf("/start: status %d, title %q, final URL %s, error %q; want the 200 of /target", r.Status, r.Title, r.FinalURL, r.Error)
	}
	if r, ok := got["/below"]; !ok || r.Status != 200 {
		t.Errorf("/below (linked only from /target): status %d, present %v; want a 200 record", r.Status, ok)
	}
	if n := site.Hits("/target"); n != 1 {
		t.Errorf("/target asked %d times, want 1 (B's fetch)", n)
	}
}
