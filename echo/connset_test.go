package echo

import (
	"errors"
	"io"
	"net"
	"testing"
)

// TestConnSetCloseAll: closeAll closes the connections in the set, not the
// ones removed, and every connection added after it at once.
func TestConnSetCloseAll(t *testing.T) {
	var s connSet
	in, inPeer := net.Pipe()
	out, outPeer := net.Pipe()
	defer inPeer.Close()
	defer out.Close()
	defer outPeer.Close()
	if !s.add(in) || !s.add(out) {
		t.Fatal("add before closeAll refused")
	}
	s.remove(out)
	s.closeAll()
	if _, err := in.Write([]byte("x")); !errors.Is(err, io.ErrClosedPipe) {
		t.Errorf("write to a connection in the set after closeAll: %v, want io.ErrClosedPipe", err)
	}
	go outPeer.Read(make([]byte, 1))
	if _, err := out.Write([]byte("x")); err != nil {
		t.Errorf("write to a removed connection after closeAll: %v", err)
	}
	late, latePeer := net.Pipe()
	defer latePeer.Close()
	if s.add(late) {
		t.Error("add after closeAll accepted")
	}
	if _, err := late.Write([]byte("x")); !errors.Is(err, io.ErrClosedPipe) {
		t.Errorf("write to a connection added after closeAll: %v, want io.ErrClosedPipe", err)
	}
}
