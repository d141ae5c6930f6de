package diskfrontier

import (
	"context"
	"testing"

	"github.com/poolscrape/poolscrape/scrape"
)

// TestClaimsFollowTheLease: a redirect target marked by a lease stays seen
// once that lease is acked, and is unmarked (Seen counts it no more) when
// Open finds the lease left by a dead process; a target queued since, or
// marked by no lease, is left alone.
func TestClaimsFollowTheLease(t *testing.T) {
	for _, acked := range []bool{true, false} {
		dir := t.TempDir()
		ctx := context.Background()
		f := openT(t, dir, Config{PopBatch: 1})
		if _, err := f.Push(ctx, scrape.Request{URL: "http://a/s"}, scrape.Request{URL: "http://a/q"}); err != nil {
			t.Fatal(err)
		}
		l, _, err := f.Pop(ctx, nil)
		if err != nil || l.URL != "http://a/s" {
			t.Fatalf("Pop = %+v, %v; want http://a/s", l, err)
		}
		for _, u := range []string{"http://a/t", "http://a/u"} {
			if ok, err := f.MarkSeen(ctx, u, l.URL); !ok || err != nil {
				t.Fatalf("MarkSeen(%s) = %v, %v", u, ok, err)
			}
		}
		if ok, _ := f.MarkSeen(ctx, "http://a/q", l.URL); ok {
			t.Fatal("MarkSeen of a queued URL = true")
		}
		if acked {
			if err := f.Ack(ctx, l); err != nil {
				t.Fatal(err)
			}
			if err := f.Sync(); err != nil {
				t.Fatal(err)
			}
		}
		f.db.Close() // as a killed process: no Close, the lease stays
		f = openT(t, dir, Config{})
		want := map[string]bool{"http://a/s": true, "http://a/q": true, "http://a/t": acked, "http://a/u": acked}
		for u, w := range want {
			if got, err := f.Seen(ctx, u); err != nil || got != w {
				t.Errorf("acked %v: Seen(%s) = %v, %v; want %v", acked, u, got, err, w)
			}
		}
		wantSeen := int64(2)
		if acked {
			wantSeen = 4
		}
		if c := f.Progress(); c.Seen != wantSeen {
			t.Errorf("acked %v: counts %+v, want %d seen", acked, c, wantSeen)
		}
	}
}
