package echotest

import (
	"io"
	"net"
	"testing"
	"time"
)

// TestCorruptingServer: a byte comes back flipped (one byte is always one
// read); a connection still open when the test ends is closed.
func TestCorruptingServer(t *testing.T) {
	c, err := net.Dial("tcp", CorruptingServer(t))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(time.Minute))
	for _, b := range []byte("ab") {
		if _, err := c.Write([]byte{b}); err != nil {
			t.Fatal(err)
		}
		got := make([]byte, 1)
		if _, err := io.ReadFull(c, got); err != nil || got[0] != b^1 {
			t.Errorf("echo of %q: %q, %v; want %q", b, got, err, b^1)
		}
	}
}
