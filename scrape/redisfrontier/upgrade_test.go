package redisfrontier

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/poolscrape/poolscrape/internal/redistest"
	"github.com/poolscrape/poolscrape/scrape"
	"github.com/redis/go-redis/v9"
)

// oldProcess is a process of the code before lease IDs in a job, running
// that code's scripts (oldscripts_test.go) with a client of its own.
type oldProcess struct {
	t      *testing.T
	rdb    *redis.Client
	prefix string
	name   string
}

func newOldProcess(t *testing.T, job, name string) oldProcess {
	return oldProcess{t: t, rdb: newClient(t, redistest.URL(t)), prefix: Prefix(job), name: name}
}

func (o oldProcess) run(s *redis.Script, args ...any) any {
	o.t.Helper()
	v, err := s.Run(context.Background(), o.rdb, []string{o.prefix}, append([]any{o.prefix}, args...)...).Result()
	if err != nil {
		o.t.Fatalf("old process %s: %v", o.name, err)
	}
	return v
}

// pop leases the next URL for a minute, as the old Pop did; "": none.
func (o oldProcess) pop() string {
	o.t.Helper()
	return asString(asSlice(o.run(oldPopScript, o.name, time.Minute.Milliseconds(), 512))[0])
}

// renew renews the leases of urls, as the old renewal did, and returns how
// many it still held.
func (o oldProcess) renew(urls ...string) int64 {
	o.t.Helper()
	args := []any{o.name, time.Minute.Milliseconds(), (3 * time.Minute).Milliseconds()}
	for _, u := range urls {
		args = append(args, u)
	}
	return asInt(o.run(oldRenewScript, args...))
}

// ack acks url done, as the old Ack did; 0: late.
func (o oldProcess) ack(url string) int64 {
	o.t.Helper()
	return asInt(o.run(oldAckScript, url, "d"))
}

// TestUpgradeOldProcessKeepsItsLease: in a job begun by the code before
// lease IDs, an old process's lease (no ID, its process in owner) is not
// handed out by this code while live, whatever this code's processes do
// meanwhile, and the old process renews and acks it as before.
func TestUpgradeOldProcessKeepsItsLease(t *testing.T) {
	ctx := context.Background()
	job := redistest.Job(t)
	b := joinT(t, job, Config{})
	old := newOldProcess(t, job, "old-a")
	if _, err := b.Push(ctx, req("http://a.test/1", 0)); err != nil {
		t.Fatal(err)
	}
	u := old.pop()
	if u != "http://a.test/1" {
		t.Fatalf("old process popped %q", u)
	}
	if _, _, err := b.Pop(ctx, nil); !errors.Is(err, scrape.ErrNoneReady) {
		t.Fatalf("Pop with the old process's lease live = %v, want ErrNoneReady", err)
	}
	b.renew(ctx)
	if p, err := b.Progress(ctx); err != nil || p.Leased != 1 {
		t.Fatalf("progress %+v, %v; want the old lease", p, err)
	}
	if n := old.renew(u); n != 1 {
		t.Fatalf("old renewal held %d leases, want 1", n)
	}
	if n := old.ack(u); n != 1 {
		t.Fatal("old ack was late")
	}
	if p, err := b.Progress(ctx); err != nil || p.Done != 1 || p.Leased != 0 || p.LateAcks != 0 {
		t.Fatalf("progress after the old ack %+v, %v; want 1 done", p, err)
	}
	if _, _, err := b.Pop(ctx, nil); !errors.Is(err, scrape.ErrDrained) {
		t.Errorf("Pop at the end = %v, want ErrDrained", err)
	}
}

// TestUpgradeLateEndLeavesTheOldProcessesLease: this code's process B
// leases /start and claims /target, stalls, and its lease expires and is
// handed out to a process of the old code (requeued by this code, or by
// the old one, which leaves B's lease ID behind), which claims /target
// again. B's late Ack, Retry or Release, and its Unmark of /target, change
// nothing (an Ack counts as late): the old process still renews its lease
// and acks it.
func TestUpgradeLateEndLeavesTheOldProcessesLease(t *testing.T) {
	start, target := "http://a.test/start", "http://a.test/target"
	for _, requeuer := range []string{"new", "old"} {
		for name, end := range lateEnds(target) {
			t.Run(requeuer+"/"+name, func(t *testing.T) {
				ctx := context.Background()
				job := redistest.Job(t)
				b := joinT(t, job, Config{})
				if _, err := b.Push(ctx, req(start, 0)); err != nil {
					t.Fatal(err)
				}
				lb := leaseAndClaim(t, b, start, target)
				expire(t, job, start)
				if requeuer == "new" {
					if _, err := joinT(t, job, Config{}).Progress(ctx); err != nil {
						t.Fatal(err)
					}
				}
				old := newOldProcess(t, job, "old-a")
				if u := old.pop(); u != start {
					t.Fatalf("old process popped %q, want %s", u, start)
				}
				if v := old.run(markSeenScript, target, start); asInt(v) != 1 { // the old code's markSeenScript was this one
					t.Fatalf("old process's MarkSeen(%s) = %v, want 1 (unmarked when B's lease was handed out)", target, v)
				}
				if err := end(ctx, b, lb); err != nil {
					t.Fatalf("B's late %s: %v", name, err)
				}
				checkLeftAlone(t, b, "B's", name)
				if n := old.renew(start); n != 1 {
					t.Errorf("old renewal after B's late %s held %d leases, want 1", name, n)
				}
				if n := old.ack(start); n != 1 {
					t.Errorf("old ack after B's late %s was late", name)
				}
			})
		}
	}
}

// TestUpgradeOldLeaseExpires: an old process's lease that expires is
// handed out again by this code, under an ID and without its owner: the
// old process's renewal no longer extends it, and its new holder's Ack
// settles it.
func TestUpgradeOldLeaseExpires(t *testing.T) {
	ctx := context.Background()
	job := redistest.Job(t)
	b := joinT(t, job, Config{})
	if _, err := b.Push(ctx, req("http://a.test/1", 0)); err != nil {
		t.Fatal(err)
	}
	old := newOldProcess(t, job, "old-a")
	u := old.pop()
	expire(t, job, u)
	l, _, err := b.Pop(ctx, nil)
	if err != nil || l.URL != u {
		t.Fatalf("Pop after the old lease expired = %q, %v; want %s", l.URL, err, u)
	}
	if n := old.renew(u); n != 0 {
		t.Errorf("the old process's renewal held %d leases after its lease was handed out again, want 0", n)
	}
	if err := b.Ack(ctx, l); err != nil {
		t.Fatal(err)
	}
	if p, err := b.Progress(ctx); err != nil || p.Done != 1 || p.LateAcks != 0 || p.Refetched != 1 || !p.Finished() {
		t.Errorf("progress %+v, %v; want 1 done, 1 refetched, none late, finished", p, err)
	}
}

// TestUpgradeStaleOwnerDropped: a queued URL with an owner left behind (the
// code between lease IDs and this one requeued an old process's expired
// lease without dropping it) is leased by this code as its own: its
// holder's Ack settles it.
func TestUpgradeStaleOwnerDropped(t *testing.T) {
	ctx := context.Background()
	job := redistest.Job(t)
	b := joinT(t, job, Config{})
	if _, err := b.Push(ctx, req("http://a.test/1", 0)); err != nil {
		t.Fatal(err)
	}
	if err := redistest.Client(t).HSet(ctx, Prefix(job)+"owner", "http://a.test/1", "old-a").Err(); err != nil {
		t.Fatal(err)
	}
	l, _, err := b.Pop(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := b.Ack(ctx, l); err != nil {
		t.Fatal(err)
	}
	if p, err := b.Progress(ctx); err != nil || p.Done != 1 || p.LateAcks != 0 || !p.Finished() {
		t.Errorf("progress %+v, %v; want 1 done, none late, finished", p, err)
	}
}
