package scrape

import (
	"io"
	"net"
	"testing"
)

// headConnPair returns a headConn dialled over real TCP to a server that
// answers each line it reads with the next of replies, and the limit.
func headConnPair(t *testing.T, limit int, replies ...string) *headConn {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	done := make(chan struct{})
	go func() {
		defer close(done)
		s, err := ln.Accept()
		if err != nil {
			return
		}
		defer s.Close()
		buf := make([]byte, 1)
		for _, r := range replies {
			for { // one request: up to its '\n'
				if _, err := s.Read(buf); err != nil {
					return
				}
				if buf[0] == '\n' {
					break
				}
			}
			if _, err := io.WriteString(s, r); err != nil {
				return
			}
		}
		_, _ = io.Copy(io.Discard, s)
	}()
	c, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	hc := &headConn{Conn: c, limit: limit}
	t.Cleanup(func() { hc.Close(); <-done })
	return hc
}

// exchangeOn writes a request line on hc and reads n bytes back in reads
// of chunk bytes, and returns the head kept.
func exchangeOn(t *testing.T, hc *headConn, first byte, n, chunk int) string {
	t.Helper()
	if _, err := hc.Write([]byte{first, '\n'}); err != nil {
		t.Fatal(err)
	}
	buf := make([]byte, chunk)
	for got := 0; got < n; {
		m, err := hc.Read(buf[:min(chunk, n-got)])
		if err != nil {
			t.Fatal(err)
		}
		got += m
	}
	return string(hc.takeHead())
}

// TestHeadConn: a headConn keeps each response's head on a kept-alive
// connection, whatever the reads it comes in (byte by byte: the empty line
// straddles reads), past an interim 1xx head; nothing for a head over its
// limit nor once TLS starts.
func TestHeadConn(t *testing.T) {
	first := "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nb: 1\r\nA: 2\r\n\r\nbody"
	second := "HTTP/1.1 404 Nope\nx: y\n\nHTTP/1.1 200 not a head: body bytes"
	hc := headConnPair(t, 1<<10, first, second)
	if got, want := exchangeOn(t, hc, 'G', len(first), 1), "HTTP/1.1 200 OK\r\nb: 1\r\nA: 2\r\n\r\n"; got != want {
		t.Errorf("first head %q, want %q", got, want)
	}
	if got, want := exchangeOn(t, hc, 'G', len(second), 7), "HTTP/1.1 404 Nope\nx: y\n\n"; got != want {
		t.Errorf("second head %q, want %q", got, want)
	}

	long := "HTTP/1.1 200 OK\r\nX-Long: " + string(make([]byte, 200)) + "\r\n\r\n"
	hc = headConnPair(t, 100, long)
	if got := exchangeOn(t, hc, 'G', len(long), 64); got != "" {
		t.Errorf("a head over the limit kept: %q", got)
	}

	hc = headConnPair(t, 1<<10, "HTTP/1.1 200 OK\r\n\r\n")
	if got := exchangeOn(t, hc, tlsHandshake, len("HTTP/1.1 200 OK\r\n\r\n"), 64); got != "" {
		t.Errorf("a head kept after a TLS handshake was written: %q", got)
	}
}
