package diskfrontier

import (
	"context"
	"fmt"
	"os"
	"testing"
	"time"

	"github.com/poolscrape/poolscrape/internal/childtest"
	"github.com/poolscrape/poolscrape/scrape"
)

// childRole makes the test binary run runChild instead of the tests
// (package childtest); its argument is the folder.
const childRole = "diskfrontier-acker"

const childURLs = 2000

// runChild pushes childURLs URLs, pops half of them and acks every other
// popped one (in small batches, without Sync), prints how many it acked and
// waits to be killed.
func runChild(dir string) int {
	ctx := context.Background()
	f, err := Open(dir, testID, Config{AckBatch: 7, PopBatch: 16, SyncInterval: time.Hour})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	items := make([]scrape.Request, childURLs)
	for i := range items {
		items[i] = scrape.Request{URL: fmt.Sprintf("http://k.test/%d", i), Depth: i % 2}
	}
	for i := 0; i < len(items); i += 100 {
		if _, err := f.Push(ctx, items[i:i+100]...); err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 1
		}
	}
	acked := 0
	for i := 0; i < childURLs/2; i++ {
		l, _, err := f.Pop(ctx, nil)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 1
		}
		if i%2 == 0 {
			if err := f.Ack(ctx, l); err != nil {
				fmt.Fprintln(os.Stderr, err)
				return 1
			}
			acked++
		}
	}
	fmt.Printf("acked %d\n", acked)
	time.Sleep(time.Minute)
	return 0
}

func TestReopenAfterSIGKILLLosesNothing(t *testing.T) {
	dir := t.TempDir()
	child := childtest.Start(t, childRole, dir)
	var acked int
	line := child.ReadLine(t)
	if _, err := fmt.Sscanf(line, "acked %d", &acked); err != nil {
		t.Fatalf("child said %q: %v", line, err)
	}
	if werr := child.Kill(); !childtest.KilledBySIGKILL(werr) {
		t.Fatalf("child did not die of SIGKILL: %v", werr)
	}

	f := openT(t, dir, Config{})
	c := f.Progress()
	if c.Seen != childURLs || c.Leased != 0 || c.Queued+c.Done != childURLs {
		t.Fatalf("after kill -9: counts %+v, want %d seen, every one queued or done", c, childURLs)
	}
	// Acks are written at least every 7: at most 6 were held when killed.
	if c.Done > int64(acked) || c.Done < int64(acked-6) {
		t.Errorf("done = %d, want the acks written before the kill (%d acked, at most 6 held)", c.Done, acked)
	}
	seen := map[string]bool{}
	for _, it := range drain(t, f) {
		if seen[it.URL] {
			t.Errorf("%s popped twice", it.URL)
		}
		seen[it.URL] = true
	}
	if len(seen)+int(c.Done) != childURLs {
		t.Errorf("drained %d + done %d, want %d", len(seen), c.Done, childURLs)
	}
}
