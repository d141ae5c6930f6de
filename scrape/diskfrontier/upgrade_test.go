package diskfrontier

import (
	"context"
	"errors"
	"path/filepath"
	"testing"

	"github.com/poolscrape/poolscrape/scrape"
	bolt "go.etcd.io/bbolt"
)

// TestOldStateResumes: a state folder left by the code before lease IDs
// (meta without the count of opens), with a URL leased and a redirect
// target it claimed when its process stopped, opens: the lease goes back to
// the queue and its claim is unmarked, the resumed crawl is handed out
// leases with IDs that end them, and a later Open's IDs are new ones.
func TestOldStateResumes(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	f := openT(t, dir, Config{})
	if _, err := f.Push(ctx, scrape.Request{URL: "http://a/"}, scrape.Request{URL: "http://a/b"}); err != nil {
		t.Fatal(err)
	}
	l, _, err := f.Pop(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	if ok, err := f.MarkSeen(ctx, "http://a/target", l.URL); err != nil || !ok {
		t.Fatalf("MarkSeen = %v, %v", ok, err)
	}
	if err := f.Close(ctx); err != nil {
		t.Fatal(err)
	}
	makeOld(t, dir)

	f = openT(t, dir, Config{})
	if n := f.Requeued(); n != 2 {
		t.Errorf("Requeued = %d, want 2 (the leased URL and the one Pop leased ahead)", n)
	}
	if ok, err := f.MarkSeen(ctx, "http://a/target", "http://a/"); err != nil || !ok {
		t.Errorf("MarkSeen of the dead lease's target after the Open = %v, %v; want it unmarked", ok, err)
	}
	if err := f.Unmark(ctx, "http://a/target"); err != nil {
		t.Fatal(err)
	}
	first := drainIDs(t, f)
	if c := f.Progress(); c.Done != 2 || !c.Finished() {
		t.Errorf("progress %+v, want 2 done, finished", c)
	}
	f.Close(ctx)

	f = openT(t, dir, Config{})
	if _, err := f.Push(ctx, scrape.Request{URL: "http://a/c"}); err != nil {
		t.Fatal(err)
	}
	for id := range drainIDs(t, f) {
		if first[id] {
			t.Errorf("lease ID %d handed out by two Opens", id)
		}
	}
}

// makeOld removes from the state in dir what the code before lease IDs
// did not write: the count of opens in meta.
func makeOld(t *testing.T, dir string) {
	t.Helper()
	db, err := bolt.Open(filepath.Join(dir, FileName), 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	err = db.Update(func(tx *bolt.Tx) error {
		meta := tx.Bucket(bucketMeta)
		if meta.Get(keyOpens) == nil {
			return errors.New("no count of opens in meta to remove")
		}
		return meta.Delete(keyOpens)
	})
	if err != nil {
		t.Fatal(err)
	}
}

// drainIDs pops and acks until f is drained, failing on an ID of 0 or one
// handed out twice or an ack that does not settle its URL, and returns the
// IDs.
func drainIDs(t *testing.T, f *Frontier) map[uint64]bool {
	t.Helper()
	ctx := context.Background()
	ids := map[uint64]bool{}
	for {
		l, _, err := f.Pop(ctx, nil)
		if errors.Is(err, scrape.ErrDrained) {
			return ids
		}
		if err != nil {
			t.Fatal(err)
		}
		if l.ID == 0 || ids[l.ID] {
			t.Fatalf("lease of %s has ID %d (IDs so far %v)", l.URL, l.ID, ids)
		}
		ids[l.ID] = true
		done := f.Progress().Done
		if err := f.Ack(ctx, l); err != nil {
			t.Fatal(err)
		}
		if f.Progress().Done != done+1 {
			t.Fatalf("Ack of %s (ID %d) did not settle it", l.URL, l.ID)
		}
	}
}
