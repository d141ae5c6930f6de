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

// TestRequestHeadKept: a requestHead keeps the head of the request being
// written whatever the writes it comes in (byte by byte: the empty line
// straddles writes), not the body bytes after it; a new head once the
// response was answered or the head taken; nothing for a head over the
// limit.
func TestRequestHeadKept(t *testing.T) {
	const head = "GET / HTTP/1.1\r\nHost: h\r\n\r\n"
	var r requestHead
	for _, b := range []byte(head + "body bytes") {
		r.wrote([]byte{b}, 1<<10)
	}
	r.wrote([]byte("GET /not-a-head HTTP/1.1\r\n\r\n"), 1<<10) // still the body: no answer read
	if got := string(r.take()); got != head {
		t.Errorf("byte by byte: %q, want %q", got, head)
	}
	if got := r.take(); got != nil {
		t.Errorf("taken twice: %q", got)
	}
	r.wrote([]byte("GET /1 HTTP/1.1\r\n\r\n"), 1<<10)
	r.answered = true
	r.wrote([]byte("GET /2 HTTP/1.1\r\n"), 1<<10)
	r.wrote([]byte("\r\n"), 1<<10)
	if got, want := string(r.take()), "GET /2 HTTP/1.1\r\n\r\n"; got != want {
		t.Errorf("after an answer: %q, want %q", got, want)
	}
	r.wrote([]byte("GET /"+string(make([]byte, 200))+" HTTP/1.1\r\n"), 100)
	r.wrote([]byte("\r\n"), 100)
	if got := r.take(); got != nil {
		t.Errorf("a head over the limit kept: %q", got)
	}
}

// TestHeadConnRequestAfterTLS: a headConn keeps no request head once TLS
// starts on it (a CONNECT tunnel's request before it is forgotten).
func TestHeadConnRequestAfterTLS(t *testing.T) {
	hc := headConnPair(t, 1<<10, "HTTP/1.1 200 OK\r\n\r\n")
	connect := "CONNECT h:443 HTTP/1.1\r\nHost: h:443\r\n\r\n"
	if _, err := hc.Write([]byte(connect)); err != nil {
		t.Fatal(err)
	}
	buf := make([]byte, len("HTTP/1.1 200 OK\r\n\r\n"))
	if _, err := io.ReadFull(hc, buf); err != nil {
		t.Fatal(err)
	}
	if _, err := hc.Write([]byte{tlsHandshake, 3, 1}); err != nil {
		t.Fatal(err)
	}
	if got := hc.takeRequest(); got != nil {
		t.Errorf("a request head kept after a TLS handshake was written: %q", got)
	}
}
