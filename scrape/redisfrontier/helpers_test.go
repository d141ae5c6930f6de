package redisfrontier

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/poolscrape/poolscrape/internal/redistest"
	"github.com/poolscrape/poolscrape/scrape"
	"github.com/poolscrape/poolscrape/scrape/resume"
	"github.com/redis/go-redis/v9"
)

var testID = resume.Identity{"start": "http://a.test/", "scope": "host"}

// newClient is a client of its own, as another process would have.
func newClient(t *testing.T, url string) *redis.Client {
	t.Helper()
	opts, err := redis.ParseURL(url)
	if err != nil {
		t.Fatal(err)
	}
	c := redis.NewClient(opts)
	t.Cleanup(func() { c.Close() })
	return c
}

// joinT opens the job as a new process with its own client.
func joinT(t *testing.T, job string, cfg Config) *Frontier {
	t.Helper()
	f, err := Open(context.Background(), newClient(t, redistest.URL(t)), job, testID, cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close(context.Background()) })
	return f
}

// abandon stops renewing without giving leases back, as a killed process.
func (f *Frontier) abandon() {
	f.once.Do(func() {
		close(f.stop)
		<-f.done
	})
}

// req is a request for url (whose host is scrape.HostOf(url)).
func req(url string, depth int) scrape.Request {
	return scrape.Request{URL: url, Depth: depth}
}

// popWait pops, waiting out ErrNoneReady up to limit.
func popWait(t *testing.T, f *Frontier, limit time.Duration) (scrape.Lease, error) {
	t.Helper()
	deadline := time.Now().Add(limit)
	for {
		r, wait, err := f.Pop(context.Background(), nil)
		if !errors.Is(err, scrape.ErrNoneReady) || time.Now().After(deadline) {
			return r, err
		}
		time.Sleep(max(wait, 10*time.Millisecond))
	}
}

// expire makes the leases of urls in job expire now, as if their process
// had stopped renewing them a lease timeout ago.
func expire(t *testing.T, job string, urls ...string) {
	t.Helper()
	for _, u := range urls {
		if err := redistest.Client(t).ZAddXX(context.Background(), Prefix(job)+"leases", redis.Z{Score: 0, Member: u}).Err(); err != nil {
			t.Fatal(err)
		}
	}
}

// waitRenewed waits until the leases of urls in job have been renewed
// (each one's expiry moved on from what it was, by lease from the
// renewal's now: no further than lease from Redis's now after it), failing
// after a minute.
func waitRenewed(t *testing.T, job string, lease time.Duration, urls ...string) {
	t.Helper()
	ctx := context.Background()
	rdb := redistest.Client(t)
	key := Prefix(job) + "leases"
	for _, u := range urls {
		first, err := rdb.ZScore(ctx, key, u).Result()
		if err != nil {
			t.Fatalf("lease of %s: %v", u, err)
		}
		deadline := time.Now().Add(time.Minute)
		for {
			at, err := rdb.ZScore(ctx, key, u).Result()
			if err != nil {
				t.Fatalf("lease of %s: %v", u, err)
			}
			now, err := rdb.Time(ctx).Result()
			if err != nil {
				t.Fatal(err)
			}
			if at > first {
				if most := float64(now.Add(lease).UnixMilli()); at > most {
					t.Fatalf("lease of %s renewed until %.0f, past %v from Redis's now (%d)", u, at, lease, now.UnixMilli())
				}
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("lease of %s never renewed: it expires at %.0f still", u, at)
			}
			time.Sleep(5 * time.Millisecond)
		}
	}
}
