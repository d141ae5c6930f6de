package diskfrontier

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/poolscrape/poolscrape/scrape"
)

func TestDepthGatingAndLowering(t *testing.T) {
	f := openT(t, t.TempDir(), Config{})
	ctx := context.Background()
	f.Push(ctx, scrape.Request{URL: "http://a/0", Depth: 0}, scrape.Request{URL: "http://a/x", Depth: 3}, scrape.Request{URL: "http://a/2", Depth: 2})
	l, _, err := f.Pop(ctx, nil)
	if err != nil || l.URL != "http://a/0" {
		t.Fatalf("Pop = %v, %v; want http://a/0", l.URL, err)
	}
	if _, _, err := f.Pop(ctx, nil); !errors.Is(err, scrape.ErrNoneReady) {
		t.Fatalf("Pop with depth 0 leased = %v, want ErrNoneReady (depth 2 waits)", err)
	}
	added, _ := f.Push(ctx, scrape.Request{URL: "http://a/x", Depth: 1, Referrer: "http://a/0"})
	if added != 0 {
		t.Fatal("a seen URL was added again")
	}
	f.Ack(ctx, l)
	l, _, _ = f.Pop(ctx, nil)
	if l.URL != "http://a/x" || l.Depth != 1 || l.Referrer != "http://a/0" {
		t.Fatalf("Pop = %+v, want http://a/x lowered to depth 1", l)
	}
	if c := f.Progress(); c.Duplicates != 1 {
		t.Errorf("duplicates = %d, want 1", c.Duplicates)
	}
}

func TestAdmitSkipsBusyHostAndRetryWaits(t *testing.T) {
	f := openT(t, t.TempDir(), Config{})
	ctx := context.Background()
	f.Push(ctx, scrape.Request{URL: "http://busy/1"}, scrape.Request{URL: "http://busy/2"}, scrape.Request{URL: "http://free/1"})
	asked := map[string]int{}
	admit := func(host, _ string) (bool, time.Duration) {
		asked[host]++
		return host != "busy", 7 * time.Millisecond
	}
	l, _, err := f.Pop(ctx, admit)
	if err != nil || l.URL != "http://free/1" || asked["busy"] != 1 {
		t.Fatalf("Pop = %v, %v, asked %v; want http://free/1, busy asked once", l.URL, err, asked)
	}
	if _, wait, err := f.Pop(ctx, admit); !errors.Is(err, scrape.ErrNoneReady) || wait != 7*time.Millisecond {
		t.Fatalf("Pop with only the busy host = %v, wait %v; want ErrNoneReady, 7ms", err, wait)
	}
	due := time.Now().Add(200 * time.Millisecond)
	if err := f.Retry(ctx, l, due); err != nil {
		t.Fatal(err)
	}
	l, wait, err := f.Pop(ctx, admit)
	switch {
	case err == nil: // the machine was slow: the retry was due by then
		if early := time.Until(due); early > 0 {
			t.Fatalf("Pop handed the retry out %v before it was due", early)
		}
	case !errors.Is(err, scrape.ErrNoneReady) || wait <= 0:
		t.Fatalf("Pop before the retry is due = %v, %v", err, wait)
	default:
		time.Sleep(time.Until(due)) // the Pop after it is due
		l, _, err = f.Pop(ctx, admit)
	}
	if err != nil || l.URL != "http://free/1" || l.Attempt != 1 {
		t.Fatalf("Pop after the wait = %+v, %v; want the retry, attempt 1", l, err)
	}
}

func TestMarkSeen(t *testing.T) {
	dir := t.TempDir()
	f, err := Open(dir, testID, Config{})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if ok, _ := f.MarkSeen(ctx, "http://a/r", "http://a/"); !ok {
		t.Fatal("MarkSeen of a new URL = false")
	}
	if ok, _ := f.MarkSeen(ctx, "http://a/r", "http://a/"); ok {
		t.Fatal("second MarkSeen = true")
	}
	if added, _ := f.Push(ctx, scrape.Request{URL: "http://a/r"}); added != 0 {
		t.Fatal("Push after MarkSeen added it")
	}
	f.Close(ctx)
	f = openT(t, dir, Config{})
	if c := f.Progress(); c.Seen != 1 || c.Queued != 0 || c.Duplicates != 2 {
		t.Errorf("counts after reopen = %+v, want 1 seen, none queued, 2 duplicates", c)
	}
	if _, _, err := f.Pop(ctx, nil); !errors.Is(err, scrape.ErrDrained) {
		t.Errorf("Pop = %v, want ErrDrained", err)
	}
}
