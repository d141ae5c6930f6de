package echotest

import (
	"bytes"
	"fmt"
	"io"
	"net"
	"testing"
	"time"
)

// Dial connects to the echo server at addr, failing the test if it cannot;
// the connection is closed when the test ends.
func Dial(t testing.TB, addr string) *net.TCPConn {
	t.Helper()
	c, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatalf("dial %s: %v", addr, err)
	}
	t.Cleanup(func() { c.Close() })
	return c.(*net.TCPConn)
}

// RoundTrip sends msg on c and checks that the same bytes come back,
// within a generous 30 s bound (a hang guard, not a speed check).
func RoundTrip(c net.Conn, msg []byte) error {
	c.SetDeadline(time.Now().Add(30 * time.Second))
	defer c.SetDeadline(time.Time{})
	if _, err := c.Write(msg); err != nil {
		return err
	}
	got := make([]byte, len(msg))
	if _, err := io.ReadFull(c, got); err != nil {
		return err
	}
	if !bytes.Equal(got, msg) {
		return fmt.Errorf("the echo of %d bytes differs from what was sent", len(msg))
	}
	return nil
}
