package scrape

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// ctxFrontier is a MemoryFrontier that honours its contexts as a frontier
// on disk or across the network does: a call with a context that ended
// fails.
type ctxFrontier struct{ *MemoryFrontier }

func (f ctxFrontier) Push(ctx context.Context, reqs ...Request) (int, error) {
	if err := ctx.Err(); err != nil {
		return 0, fmt.Errorf("push: %w", err)
	}
	return f.MemoryFrontier.Push(ctx, reqs...)
}

func (f ctxFrontier) Ack(ctx context.Context, l Lease) error {
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("ack %s: %w", l.URL, err)
	}
	return f.MemoryFrontier.Ack(ctx, l)
}

func (f ctxFrontier) Retry(ctx context.Context, l Lease, notBefore time.Time) error {
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("retry %s: %w", l.URL, err)
	}
	return f.MemoryFrontier.Retry(ctx, l, notBefore)
}

// TestCrawlDrainSettlesAfterTheHardStop: a fetch that DrainTimeout cuts
// short still gets its "interrupted" record written and acked, by a
// frontier that fails calls whose context ended: the hard stop ends the
// requests, not the bookkeeping of the drain. DrainTimeout is long enough
// that a loaded machine settles the page before the bookkeeping's own
// deadline, DrainTimeout after the hard stop (with 50 ms, an Output that
// took 100 ms to write the record failed the test).
func TestCrawlDrainSettlesAfterTheHardStop(t *testing.T) {
	asked := make(chan struct{}, 1)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case asked <- struct{}{}:
		default:
		}
		<-r.Context().Done() // hangs until the crawler gives up
	}))
	defer srv.Close()
	out := &collect{}
	c, err := New(Config{
		Starts: []string{srv.URL + "/"}, Output: out, IgnoreRobots: true,
		Frontier: ctxFrontier{NewMemoryFrontier()}, Timeout: 10 * time.Minute, DrainTimeout: time.Second,
	})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	type result struct {
		s   Stats
		err error
	}
	done := make(chan result, 1)
	go func() {
		s, err := c.Run(ctx)
		done <- result{s, err}
	}()
	<-asked
	cancel()
	r := <-done
	if r.err != nil {
		t.Fatalf("Run after a hard stop: %v", r.err)
	}
	if len(out.recs) != 1 || !strings.HasPrefix(out.recs[0].Error, "interrupted: ") {
		t.Fatalf("records %+v, want one interrupted", out.recs)
	}
	if r.s.CrawlDone != 1 {
		t.Errorf("frontier done %d, want 1 (the interrupted fetch acked)", r.s.CrawlDone)
	}
}
