package main

import (
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/poolscrape/poolscrape/internal/redistest"
	"github.com/redis/go-redis/v9"
)

// TestRedisOutageReconnects: a Redis that goes away during a crawl and comes
// back before --redis-max-outage gets one "unreachable, retrying" line
// (however many times the crawl retried) and one "reachable again" line, and
// the crawl ends normally.
func TestRedisOutageReconnects(t *testing.T) {
	opts, err := redis.ParseURL(redistest.URL(t))
	if err != nil {
		t.Fatal(err)
	}
	p := redistest.NewFlaky(t, opts.Addr)
	asked, release := make(chan struct{}), make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/" {
			close(asked)
			<-release // Redis goes away and comes back meanwhile
		}
		w.Header().Set("Content-Type", "text/html")
	}))
	defer srv.Close()
	bin := scaleBinary(t)
	out := filepath.Join(t.TempDir(), "o.jsonl")
	c := startCrawl(t, bin, "-q", "-d", "0", "--ignore-robots", "--lease-timeout", "1s", "--redis-max-outage", "10m",
		"--redis", "redis://"+p.Addr()+"/"+strconv.Itoa(opts.DB), "--job", redistest.Job(t), "-o", out, srv.URL+"/")
	<-asked
	p.Refuse()
	p.WaitRefused(t, 20) // go-redis tries each command 4 times: several retries of the crawl's
	p.Forward()
	close(release)
	if code := c.wait(t); code != 0 {
		t.Fatalf("exit %d:\n%s", code, c.stderr.String())
	}
	var down, up int
	for _, line := range strings.Split(c.stderr.String(), "\n") {
		switch {
		case strings.HasPrefix(line, "poolscrape: Redis unreachable, retrying (for up to --redis-max-outage 10m0s): "):
			down++
		case strings.HasPrefix(line, "poolscrape: Redis reachable again after "):
			up++
		}
	}
	if down != 1 || up != 1 {
		t.Errorf("%d unreachable and %d reachable-again lines, want 1 and 1:\n%s", down, up, c.stderr.String())
	}
}
