// Package echotest gives tests of echo clients a misbehaving echo server.
// It is for tests only.
package echotest

import (
	"context"
	"net"
	"sync"
	"testing"
)

// CorruptingServer starts an echo server on a loopback port that sends
// back each read with its last byte flipped, so that every round trip of a
// client that checks the echo is a mismatch, and returns its address. The
// server and its connections are closed when the test ends.
func CorruptingServer(t testing.TB) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	t.Cleanup(func() { cancel(); ln.Close(); wg.Wait() })
	wg.Go(func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			context.AfterFunc(ctx, func() { c.Close() })
			wg.Go(func() { echoCorrupted(c) })
		}
	})
	return ln.Addr().String()
}

// echoCorrupted echoes c's reads, each with its last byte flipped, until
// the connection ends.
func echoCorrupted(c net.Conn) {
	defer c.Close()
	buf := make([]byte, 4096)
	for {
		n, err := c.Read(buf)
		if n > 0 {
			buf[n-1] ^= 1
			if _, werr := c.Write(buf[:n]); werr != nil {
				return
			}
		}
		if err != nil {
			return
		}
	}
}
