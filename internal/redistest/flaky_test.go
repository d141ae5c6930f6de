package redistest

import (
	"io"
	"net"
	"sync"
	"testing"
	"time"

	"go.uber.org/goleak"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// echoServer accepts on a loopback port and echoes each connection until
// the test ends; it stands in for Redis.
func echoServer(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	var mu sync.Mutex
	var conns []net.Conn
	wg.Add(1)
	go func() {
		defer wg.Done()
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			mu.Lock()
			conns = append(conns, c)
			mu.Unlock()
			wg.Add(1)
			go func() { defer wg.Done(); io.Copy(c, c); c.Close() }()
		}
	}()
	t.Cleanup(func() {
		ln.Close()
		mu.Lock()
		for _, c := range conns {
			c.Close()
		}
		mu.Unlock()
		wg.Wait()
	})
	return ln.Addr().String()
}

// TestRefuseCutsAConnectionBeingForwarded: a connection Flaky accepted
// before an outage began, and is still connecting to the target when it
// begins, is cut with the others (and counted as refused) rather than
// forwarded through the outage, where a client could keep using it.
func TestRefuseCutsAConnectionBeingForwarded(t *testing.T) {
	p := newFlaky(t, echoServer(t), (*Flaky).Refuse) // the outage begins just as the target answers
	c, err := net.Dial("tcp", p.Addr())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(time.Minute))
	if _, err := c.Write([]byte("x")); err != nil {
		t.Fatal(err)
	}
	if n, err := c.Read(make([]byte, 1)); err == nil {
		t.Fatalf("read %d byte through a connection set up as the outage began, want it cut", n)
	}
	p.WaitRefused(t, 1)
}

// TestForwardAfterRefuse: after an outage, new connections reach the
// target again, and each connection of the outage was refused.
func TestForwardAfterRefuse(t *testing.T) {
	p := NewFlaky(t, echoServer(t))
	p.Refuse()
	c, err := net.Dial("tcp", p.Addr())
	if err != nil {
		t.Fatal(err)
	}
	c.SetDeadline(time.Now().Add(time.Minute))
	if _, err := c.Read(make([]byte, 1)); err == nil {
		t.Fatal("read through a refused connection")
	}
	c.Close()
	p.WaitRefused(t, 1)
	p.Forward()
	c, err = net.Dial("tcp", p.Addr())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(time.Minute))
	if _, err := c.Write([]byte("x")); err != nil {
		t.Fatal(err)
	}
	if _, err := io.ReadFull(c, make([]byte, 1)); err != nil {
		t.Fatalf("echo after Forward: %v", err)
	}
}
