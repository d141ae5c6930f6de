package diskfrontier

import (
	"context"
	"maps"
	"testing"

	"github.com/poolscrape/poolscrape/scrape"
)

// TestPassChangesCountEachURLOnce: a URL remembered again in one pass (its
// fetch redone after a crash) moves from its old change to its new one;
// StartPass empties the counts.
func TestPassChangesCountEachURLOnce(t *testing.T) {
	ctx := context.Background()
	f, err := Open(t.TempDir(), testID, Config{})
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close(ctx)
	for _, r := range []struct{ url, change string }{
		{"http://a.test/1", "gone"}, {"http://a.test/2", "unchanged"}, {"http://a.test/1", "unchanged"}, {"http://a.test/2", "unchanged"},
	} {
		if err := f.Remember(ctx, r.url, scrape.PageMemo{Change: r.change}); err != nil {
			t.Fatal(err)
		}
	}
	got, err := f.PassChanges(ctx)
	if err != nil || !maps.Equal(got, map[string]int64{"unchanged": 2}) {
		t.Fatalf("PassChanges = %v, %v; want unchanged 2", got, err)
	}
	if _, err := f.Push(ctx, scrape.Request{URL: "http://a.test/1"}); err != nil {
		t.Fatal(err)
	}
	l, _, err := f.Pop(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Ack(ctx, l); err != nil {
		t.Fatal(err)
	}
	if _, err := f.StartPass(ctx); err != nil {
		t.Fatal(err)
	}
	if got, err := f.PassChanges(ctx); err != nil || len(got) != 0 {
		t.Errorf("PassChanges after StartPass = %v, %v; want none", got, err)
	}
}
