package redistest

import (
	"io"
	"net"
	"sync"
	"testing"
	"time"
)

// Flaky forwards a loopback port to a Redis server or, while refusing,
// takes each connection and closes it at once: Redis unreachable for its
// clients. It counts the connections it refuses, so that a test can wait
// for a client's retries without sleeping.
type Flaky struct {
	target  string
	ln      net.Listener
	refused chan struct{}
	dialed  func(*Flaky) // tests of Flaky: called once the target answers a connection
	wg      sync.WaitGroup

	mu       sync.Mutex
	refusing bool       // an outage is under way
	closed   bool       // the test ended
	conns    []net.Conn // the connections forwarded, both ends
}

// NewFlaky forwards a new loopback port to target (host:port) until the
// test ends.
func NewFlaky(tb testing.TB, target string) *Flaky {
	tb.Helper()
	return newFlaky(tb, target, nil)
}

// newFlaky is NewFlaky, with dialed (if not nil) called by the forwarding
// goroutine each time target answers a connection, before the connection
// is forwarded or, in an outage, cut.
func newFlaky(tb testing.TB, target string, dialed func(*Flaky)) *Flaky {
	tb.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
	}
	p := &Flaky{target: target, ln: ln, refused: make(chan struct{}, 1000), dialed: dialed}
	p.wg.Add(1)
	go p.serve()
	tb.Cleanup(func() {
		ln.Close()
		p.mu.Lock()
		p.closed = true
		p.cutLocked()
		p.mu.Unlock()
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
		if p.isRefusing() {
			p.refuse(c)
			continue
		}
		up, err := net.Dial("tcp", p.target)
		if err != nil {
			c.Close()
			continue
		}
		if p.dialed != nil {
			p.dialed(p)
		}
		p.forward(c, up)
	}
}

func (p *Flaky) isRefusing() bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.refusing
}

// refuse closes c, a connection of the outage, and counts it.
func (p *Flaky) refuse(c net.Conn) {
	c.Close()
	select {
	case p.refused <- struct{}{}:
	default:
	}
}

// forward copies between c and up, unless an outage began (or the test
// ended) while up was being dialed: the check and the keeping of both
// under p.mu, so that Refuse, which cuts under p.mu, cannot miss them.
func (p *Flaky) forward(c, up net.Conn) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.refusing || p.closed {
		up.Close()
		if p.refusing {
			p.refuse(c)
		} else {
			c.Close()
		}
		return
	}
	p.conns = append(p.conns, c, up)
	p.wg.Add(2)
	go func() { defer p.wg.Done(); io.Copy(up, c); up.Close() }()
	go func() { defer p.wg.Done(); io.Copy(c, up); c.Close() }()
}

// Refuse starts an outage: the open connections are cut, new ones closed.
func (p *Flaky) Refuse() {
	p.mu.Lock()
	defer p.mu.Unlock()
	for len(p.refused) > 0 { // refusals of an earlier outage
		<-p.refused
	}
	p.refusing = true
	p.cutLocked()
}

// Forward ends the outage: new connections reach Redis again.
func (p *Flaky) Forward() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.refusing = false
}

// cutLocked closes the connections forwarded; p.mu is held.
func (p *Flaky) cutLocked() {
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
