package redisfrontier

import (
	"context"
	"errors"
	"io"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/poolscrape/poolscrape/internal/redistest"
	"github.com/redis/go-redis/v9"
)

// proxy forwards a loopback port to Redis and can cut it (Redis
// unreachable: connections dropped, new ones refused) and restore it.
type proxy struct {
	target string
	addr   string
	mu     sync.Mutex
	ln     net.Listener
	conns  []net.Conn
	wg     sync.WaitGroup
}

func newProxy(t *testing.T, target string) *proxy {
	p := &proxy{target: target}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p.addr = ln.Addr().String()
	p.serve(ln)
	t.Cleanup(p.down)
	t.Cleanup(p.wg.Wait)
	return p
}

func (p *proxy) serve(ln net.Listener) {
	p.mu.Lock()
	p.ln = ln
	p.mu.Unlock()
	p.wg.Add(1)
	go func() {
		defer p.wg.Done()
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			up, err := net.Dial("tcp", p.target)
			if err != nil {
				c.Close()
				continue
			}
			p.mu.Lock()
			p.conns = append(p.conns, c, up)
			p.mu.Unlock()
			p.wg.Add(2)
			go func() { defer p.wg.Done(); io.Copy(up, c); up.Close() }()
			go func() { defer p.wg.Done(); io.Copy(c, up); c.Close() }()
		}
	}()
}

// down closes the listener and every connection.
func (p *proxy) down() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.ln != nil {
		p.ln.Close()
		p.ln = nil
	}
	for _, c := range p.conns {
		c.Close()
	}
	p.conns = nil
}

// up listens again on the same address.
func (p *proxy) up(t *testing.T) {
	ln, err := net.Listen("tcp", p.addr)
	if err != nil {
		t.Fatal(err)
	}
	p.serve(ln)
}

func TestRedisOutageRetriedThenBounded(t *testing.T) {
	job := redistest.Job(t)
	opts, _ := redis.ParseURL(redistest.URL(t))
	p := newProxy(t, opts.Addr)
	opts.Addr = p.addr
	opts.MaxRetries = -1
	c := redis.NewClient(opts)
	defer c.Close()
	ctx := context.Background()
	retried := make(chan struct{}, 100)
	f, err := Open(ctx, c, job, testID, Config{MaxOutage: 3 * time.Second, OnRetry: func(error) {
		select {
		case retried <- struct{}{}:
		default:
		}
	}})
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close(ctx)
	f.Push(ctx, req("o/1", 0))

	// Down for a while, then back: the call waits and succeeds.
	p.down()
	errc := make(chan error, 1)
	go func() {
		_, err := f.Push(ctx, req("o/2", 0), req("o/1", 0))
		errc <- err
	}()
	<-retried
	time.Sleep(200 * time.Millisecond)
	p.up(t)
	if err := <-errc; err != nil {
		t.Fatalf("Push across an outage: %v", err)
	}
	cnt, err := f.Progress(ctx)
	if err != nil || cnt.Seen != 2 || cnt.Queued != 2 {
		t.Fatalf("counts after the outage %+v, %v; want 2 seen, 2 queued", cnt, err)
	}

	// Down for good: a clear error after the bound, the job intact.
	f.cfg.MaxOutage = 300 * time.Millisecond
	p.down()
	_, _, err = f.Pop(ctx, nil)
	if !errors.Is(err, ErrUnavailable) || !strings.Contains(err.Error(), job) {
		t.Fatalf("Pop with Redis gone = %v, want ErrUnavailable naming the job", err)
	}
	other := joinT(t, job, Config{})
	if cnt, _ := other.Progress(ctx); cnt.Queued != 2 || cnt.Leased != 0 {
		t.Errorf("job after the failed Pop: %+v, want 2 queued, none leased", cnt)
	}
}
