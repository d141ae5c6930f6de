package diskfrontier

import (
	"context"
	"errors"
	"maps"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/poolscrape/poolscrape/internal/ordertest"
	"github.com/poolscrape/poolscrape/scrape"
	"github.com/poolscrape/poolscrape/scrape/resume"
)

// idOf is testID with the order, as resume.IdentityOf records it.
func idOf(t *testing.T, o scrape.Order) resume.Identity {
	t.Helper()
	id, err := resume.IdentityOf(scrape.Config{Starts: []string{"http://a.test/"}, Order: o})
	if err != nil {
		t.Fatal(err)
	}
	out := maps.Clone(testID)
	if v, ok := id["order"]; ok {
		out["order"] = v
	}
	return out
}

// TestOrder: a state made with scrape.OrderBreadth hands the tree out level
// by level, one made with scrape.OrderDepth the first link's subtree first.
func TestOrder(t *testing.T) {
	ordertest.Check(t, func(t *testing.T, o scrape.Order) scrape.Frontier {
		f, err := Open(t.TempDir(), idOf(t, o), Config{})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { f.Close(context.Background()) })
		return f
	})
}

// TestOrderDepthKeepsRetries: a retry leased ahead stays in memory when a
// Push gives the fresh entries back to the queue, and is handed out again.
func TestOrderDepthKeepsRetries(t *testing.T) {
	ctx := context.Background()
	f, err := Open(t.TempDir(), idOf(t, scrape.OrderDepth), Config{})
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close(ctx)
	if _, err := f.Push(ctx, scrape.Request{URL: "http://a.test/a"}, scrape.Request{URL: "http://a.test/b"}); err != nil {
		t.Fatal(err)
	}
	l, _, err := f.Pop(ctx, nil)
	if err != nil || l.URL != "http://a.test/a" {
		t.Fatalf("pop: %v %v, want /a", l.URL, err)
	}
	if err := f.Retry(ctx, l, l.NotBefore); err != nil {
		t.Fatal(err)
	}
	if _, err := f.Push(ctx, scrape.Request{URL: "http://a.test/c", Depth: 1}); err != nil {
		t.Fatal(err)
	}
	var got []string
	for {
		l, _, err := f.Pop(ctx, nil)
		if err != nil {
			break
		}
		got = append(got, l.URL)
		if l.URL == "http://a.test/a" && l.Attempt != 1 {
			t.Errorf("retry of /a has attempt %d, want 1", l.Attempt)
		}
		f.Ack(ctx, l)
	}
	if len(got) != 3 {
		t.Errorf("handed out %v, want /a, /b and /c once each", got)
	}
}

// TestOrderDepthAfterRefusal: URLs leased ahead while admit refused their
// host go back behind the URLs a later Push adds, which come out first.
func TestOrderDepthAfterRefusal(t *testing.T) {
	ctx := context.Background()
	f, err := Open(t.TempDir(), idOf(t, scrape.OrderDepth), Config{})
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close(ctx)
	if _, err := f.Push(ctx, scrape.Request{URL: "http://a.test/a"}, scrape.Request{URL: "http://a.test/b"}, scrape.Request{URL: "http://a.test/c"}); err != nil {
		t.Fatal(err)
	}
	refuse := func(string, string) (bool, time.Duration) { return false, time.Second }
	if _, _, err := f.Pop(ctx, refuse); !errors.Is(err, scrape.ErrNoneReady) {
		t.Fatalf("pop refused: %v, want ErrNoneReady", err)
	}
	if _, err := f.Push(ctx, scrape.Request{URL: "http://a.test/x", Depth: 1}); err != nil {
		t.Fatal(err)
	}
	var got []string
	for {
		l, _, err := f.Pop(ctx, nil)
		if err != nil {
			break
		}
		got = append(got, strings.TrimPrefix(l.URL, "http://a.test"))
		f.Ack(ctx, l)
	}
	if want := []string{"/x", "/a", "/b", "/c"}; !slices.Equal(got, want) {
		t.Errorf("handed out %v, want %v", got, want)
	}
}
