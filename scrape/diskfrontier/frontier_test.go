package diskfrontier

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/poolscrape/poolscrape/scrape"
	"github.com/poolscrape/poolscrape/scrape/resume"
)

var testID = resume.Identity{"start": "http://a.test/", "scope": "host", "depth": "3"}

func openT(t *testing.T, dir string, cfg Config) *Frontier {
	t.Helper()
	f, err := Open(dir, testID, cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close(context.Background()) })
	return f
}

func urls(n int, prefix string) []scrape.Request {
	items := make([]scrape.Request, n)
	for i := range items {
		items[i] = scrape.Request{URL: fmt.Sprintf("http://a.test/%s/%d", prefix, i), Depth: i % 3, Referrer: "http://a.test/"}
	}
	return items
}

// drain pops everything, acking each as Done, and returns the requests in
// order.
func drain(t *testing.T, f *Frontier) []scrape.Request {
	t.Helper()
	ctx := context.Background()
	var got []scrape.Request
	for {
		l, _, err := f.Pop(ctx, nil)
		if errors.Is(err, scrape.ErrDrained) {
			return got
		}
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, l.Request)
		if err := f.Ack(ctx, l); err != nil {
			t.Fatal(err)
		}
	}
}

func TestPopOrderByDepthThenArrival(t *testing.T) {
	f := openT(t, t.TempDir(), Config{PopBatch: 4})
	ctx := context.Background()
	in := []scrape.Request{{URL: "u/d2a", Depth: 2}, {URL: "u/d0a", Depth: 0}, {URL: "u/d1a", Depth: 1, Referrer: "r"}, {URL: "u/d0b", Depth: 0}, {URL: "u/d2b", Depth: 2}}
	if _, err := f.Push(ctx, in...); err != nil {
		t.Fatal(err)
	}
	got := drain(t, f)
	want := []string{"u/d0a", "u/d0b", "u/d1a", "u/d2a", "u/d2b"}
	if len(got) != len(want) {
		t.Fatalf("popped %d items, want %d", len(got), len(want))
	}
	for i, it := range got {
		if it.URL != want[i] {
			t.Errorf("pop %d = %s, want %s", i, it.URL, want[i])
		}
	}
	if got[2].Referrer != "r" || got[2].Depth != 1 {
		t.Errorf("item lost its fields: %+v", got[2])
	}
	c := f.Progress()
	if !c.Finished() || c.Done != 5 || c.Seen != 5 {
		t.Errorf("counts after drain = %+v, want 5 seen, 5 done, finished", c)
	}
}

func TestConcurrentPushAddsEachURLOnce(t *testing.T) {
	f := openT(t, t.TempDir(), Config{})
	items := urls(300, "p")
	var wg sync.WaitGroup
	var mu sync.Mutex
	added := 0
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < len(items); i += 25 {
				n, err := f.Push(context.Background(), items[i:i+25]...)
				if err != nil {
					t.Error(err)
					return
				}
				mu.Lock()
				added += n
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	if added != len(items) {
		t.Fatalf("%d URLs added in all, want %d: each once", added, len(items))
	}
	got := drain(t, f)
	drained := map[string]int{}
	for _, r := range got {
		drained[r.URL]++
	}
	for _, it := range items {
		if n := drained[it.URL]; n != 1 {
			t.Errorf("%s queued %d times, want once", it.URL, n)
		}
	}
	if len(got) != len(items) {
		t.Errorf("drained %d, want %d", len(got), len(items))
	}
}

func TestIdentityMismatchRefused(t *testing.T) {
	dir := t.TempDir()
	f, err := Open(dir, testID, Config{})
	if err != nil {
		t.Fatal(err)
	}
	f.Close(context.Background())
	other := resume.Identity{"start": "http://a.test/", "scope": "domain", "depth": "3", "allow": "x"}
	_, err = Open(dir, other, Config{})
	if !errors.Is(err, resume.ErrIdentityMismatch) {
		t.Fatalf("Open with another identity: err = %v, want ErrIdentityMismatch", err)
	}
	for _, want := range []string{"diskfrontier: ", dir, `scope is "host" there, "domain" here`, `allow is unset there, "x" here`} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not say %q", err, want)
		}
	}
	f, err = Open(dir, testID, Config{})
	if err != nil {
		t.Fatalf("reopening with the same identity: %v", err)
	}
	f.Close(context.Background())
}

func TestSecondOpenIsLocked(t *testing.T) {
	dir := t.TempDir()
	openT(t, dir, Config{})
	_, err := Open(dir, testID, Config{LockTimeout: 50 * time.Millisecond})
	if !errors.Is(err, ErrLocked) {
		t.Fatalf("second Open: err = %v, want ErrLocked", err)
	}
}

func TestCleanReopenRequeuesLeased(t *testing.T) {
	dir := t.TempDir()
	ctx := context.Background()
	f, err := Open(dir, testID, Config{PopBatch: 3, AckBatch: 100})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.Push(ctx, urls(10, "r")...); err != nil {
		t.Fatal(err)
	}
	a, _, _ := f.Pop(ctx, nil)
	b, _, _ := f.Pop(ctx, nil)
	if err := f.AckAs(ctx, a, Failed); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(ctx); err != nil {
		t.Fatal(err)
	}
	f = openT(t, dir, Config{})
	if f.Requeued() != 3-1 { // b and the one leased ahead in the batch
		t.Errorf("Requeued = %d, want 2", f.Requeued())
	}
	c := f.Progress()
	if c.Failed != 1 || c.Queued != 9 || c.Leased != 0 || c.Seen != 10 {
		t.Errorf("counts after reopen = %+v, want 1 failed, 9 queued", c)
	}
	got := drain(t, f)
	if len(got) != 9 || got[0].URL != b.URL {
		t.Errorf("after reopen drained %d, first %s; want 9, first %s", len(got), got[0].URL, b.URL)
	}
}

func TestMarkWrittenAndRelease(t *testing.T) {
	f := openT(t, t.TempDir(), Config{})
	ctx := context.Background()
	items := urls(6, "m")
	if _, err := f.Push(ctx, items...); err != nil {
		t.Fatal(err)
	}
	first, _, err := f.Pop(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Release(ctx, first); err != nil {
		t.Fatal(err)
	}
	again, _, _ := f.Pop(ctx, nil)
	if again.URL != first.URL {
		t.Errorf("after Release, Pop = %s, want %s", again.URL, first.URL)
	}
	n, err := f.MarkWritten(ctx, []string{items[1].URL, items[2].URL, "http://never.added/", items[1].URL})
	if err != nil || n != 2 {
		t.Fatalf("MarkWritten = %d, %v; want 2", n, err)
	}
	if c := f.Progress(); c.Done != 2 || c.Leased != 1 || c.Queued != 3 {
		t.Errorf("counts = %+v, want 2 done, 1 leased, 3 queued", c)
	}
	if err := f.Ack(ctx, again); err != nil {
		t.Fatal(err)
	}
	got := drain(t, f)
	for _, it := range got {
		if it.URL == items[1].URL || it.URL == items[2].URL {
			t.Errorf("%s popped after MarkWritten", it.URL)
		}
	}
	if c := f.Progress(); c.Done != 6 || !c.Finished() {
		t.Errorf("counts = %+v, want 6 done, finished", c)
	}
}
