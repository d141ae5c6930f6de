package echotest

import (
	"io"
	"net"
	"testing"
)

// TestRoundTrip: a round trip through the corrupting server is an error,
// through a true echo (a loopback listener that copies back) is not.
func TestRoundTrip(t *testing.T) {
	if err := RoundTrip(Dial(t, CorruptingServer(t)), []byte("hello")); err == nil {
		t.Error("round trip through the corrupting server: no error")
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		c, err := ln.Accept()
		if err != nil {
			return
		}
		defer c.Close()
		io.Copy(c, c)
	}()
	c := Dial(t, ln.Addr().String())
	if err := RoundTrip(c, []byte("hello")); err != nil {
		t.Errorf("round trip through a true echo: %v", err)
	}
	c.Close()
	ln.Close()
	<-done
}
