package diskfrontier

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/poolscrape/poolscrape/scrape"
)

// TestStaleLeaseEndsNothing: a URL's lease given back (Release) or left
// leased by a Close, and handed out again (by the next Open), has a new
// ID; the old lease's late Ack, Retry or Release leaves the new one and its
// redirect claims alone (an Ack is ignored, a Retry or Release fails as
// not leased). When the process then dies, Open requeues the URL and
// unmarks the target the new lease claimed.
func TestStaleLeaseEndsNothing(t *testing.T) {
	type end func(ctx context.Context, f *Frontier, l scrape.Lease) error
	late := map[string]struct {
		end   end
		fails bool // as not leased
	}{
		"ack":     {func(ctx context.Context, f *Frontier, l scrape.Lease) error { return f.Ack(ctx, l) }, false},
		"failed":  {func(ctx context.Context, f *Frontier, l scrape.Lease) error { return f.AckAs(ctx, l, Failed) }, false},
		"retry":   {func(ctx context.Context, f *Frontier, l scrape.Lease) error { return f.Retry(ctx, l, time.Now()) }, true},
		"release": {func(ctx context.Context, f *Frontier, l scrape.Lease) error { return f.Release(ctx, l) }, true},
	}
	for name, tc := range late {
		for _, reopen := range []bool{false, true} {
			t.Run(fmt.Sprintf("%s/reopen=%v", name, reopen), func(t *testing.T) {
				ctx := context.Background()
				dir := t.TempDir()
				f := openT(t, dir, Config{PopBatch: 1})
				start, target := "http://a/start", "http://a/target"
				if _, err := f.Push(ctx, scrape.Request{URL: start}); err != nil {
					t.Fatal(err)
				}
				first := popAndClaim(t, f, start, target)
				if reopen {
					if err := f.Close(ctx); err != nil {
						t.Fatal(err)
					}
					f = openT(t, dir, Config{PopBatch: 1})
				} else {
					if err := f.Unmark(ctx, target); err != nil { // as the crawler does before a release
						t.Fatal(err)
					}
					if err := f.Release(ctx, first); err != nil {
						t.Fatal(err)
					}
				}
				again := popAndClaim(t, f, start, target)
				if again.ID == first.ID {
					t.Fatalf("the lease handed out again has the ID of the first, %d", first.ID)
				}
				if err := tc.end(ctx, f, first); (err != nil) != tc.fails {
					t.Fatalf("late %s of the first lease: error %v; want one: %v", name, err, tc.fails)
				}
				if l, _, err := f.Pop(ctx, nil); err == nil {
					t.Errorf("after the first lease's late %s, Pop handed out %s again", name, l.URL)
				}
				if err := f.Sync(); err != nil {
					t.Fatal(err)
				}
				if c := f.Progress(); c.Leased != 1 || c.Done != 0 || c.Failed != 0 {
					t.Errorf("after the first lease's late %s: %+v; want the second leased, nothing settled", name, c)
				}
				f.db.Close() // the process dies holding the second lease
				f = openT(t, dir, Config{})
				if f.Requeued() != 1 {
					t.Errorf("Requeued = %d, want 1 (%s)", f.Requeued(), start)
				}
				popAndClaim(t, f, start, target)
			})
		}
	}
}

// popAndClaim pops want from f and claims target by its lease, as a fetch
// following its redirect does, failing unless target was unmarked.
func popAndClaim(t *testing.T, f *Frontier, want, target string) scrape.Lease {
	t.Helper()
	l, _, err := f.Pop(context.Background(), nil)
	if err != nil || l.URL != want {
		t.Fatalf("Pop = %q, %v; want %s", l.URL, err, want)
	}
	if ok, err := f.MarkSeen(context.Background(), target, l.URL); err != nil || !ok {
		t.Fatalf("MarkSeen(%s) by the lease of %s = %v, %v; want true", target, want, ok, err)
	}
	return l
}
