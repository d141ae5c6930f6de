package redistest

import (
	"io"
	"net"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// Flaky forwards a loopback port to a Redis server or, while refusing,
// takes each connection and closes it at once: Redis unreachable for its
// clients. It counts the connections it refuses, so that a test can wait
// for a client's retries without sleeping.
type Flaky struct {
	target   string
	ln       net.Listener
	refusing atomic.Bool
	refused  chan struct{}
	wg       sync.WaitGroup
	mu       sync.Mutex
	conns    []net.Conn
}

// NewFlaky forwards a new loopback port to target (host:port) until the
// test ends.
func NewFlaky(tb testing.TB, target string) *Flaky {
	tb.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
	}
	p := &Flaky{target: target, ln: ln, refused: make(chan struct{}, 1000)}
	p.wg.Add(1)
	go p.serve()
	tb.Cleanup(func() {
		ln.Close()
		p.cut()
		p.wg.Wait()
	})
	return p
}

// Addr is the forwarded port's address.
func (p *Flaky) Addr() string { return p.ln.Addr().String() }

func (p *Flaky) serve() {
	defer p.wg.Done()
	for {
		c, err := p.ln.Accept()
		if err != nil {
			return
		}
		if p.refusing.Load() {
			c.Close()
			select {
			case p.refused <- struct{}{}:
			default:
			}
			continue
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
}

// Refuse starts an outage: the open connections are cut, new ones closed.
func (p *Flaky) Refuse() {
	for len(p.refused) > 0 { // refusals of an earlier outage
		<-p.refused
	}
	p.refusing.Store(true)
	p.cut()
}

// Forward ends the outage: new connections reach Redis again.
func (p *Flaky) Forward() { p.refusing.Store(false) }

func (p *Flaky) cut() {
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, c := range p.conns {
		c.Close()
	}
	p.conns = nil
}

// WaitRefused waits until n connections were refused in this outage (for a
// minute at most: then it fails the test).
func (p *Flaky) WaitRefused(tb testing.TB, n int) {
	tb.Helper()
	for range n {
		select {
		case <-p.refused:
		case <-time.After(time.Minute):
			tb.Fatalf("fewer than %d connection attempts in a minute", n)
		}
	}
}
