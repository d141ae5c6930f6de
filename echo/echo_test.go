package echo

import (
	"bytes"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"sync"
	"testing"
	"time"

	"github.com/poolscrape/poolscrape/internal/echotest"
)

// TestConcurrentConnections holds 2,000 connections open at once, each doing
// round trips only after all are connected, and checks every byte.
func TestConcurrentConnections(t *testing.T) {
	forModes(t, func(t *testing.T, mode Mode) {
		const conns, trips = 2000, 5
		srv, addr := startServer(t, Config{Mode: mode})
		cs := make([]net.Conn, conns)
		for i := range cs {
			cs[i] = echotest.Dial(t, addr)
		}
		// Every connection is served at once: each gets its echo while
		// all the others are open.
		waitFor(t, "2000 active connections", func() bool { return srv.Stats().Active == conns })
		errs := make(chan error, conns)
		var wg sync.WaitGroup
		for i, c := range cs {
			wg.Go(func() {
				for n := range trips {
					msg := []byte(fmt.Sprintf("conn %d trip %d %x", i, n, randomBytes(16)))
					if err := echotest.RoundTrip(c, msg); err != nil {
						errs <- fmt.Errorf("conn %d trip %d: %w", i, n, err)
						return
					}
				}
			})
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Error(err)
		}
		for _, c := range cs {
			c.Close()
		}
		waitFor(t, "no active connections", func() bool { return srv.Stats().Active == 0 })
		st := srv.Stats()
		if st.Accepted != conns || st.Refused != 0 {
			t.Errorf("stats %v: want accepted=%d refused=0", st, conns)
		}
		if mode == ModeThread && st.BytesIn != st.BytesOut {
			t.Errorf("stats %v: bytes in and out differ", st)
		}
	})
}

// TestLargeMessage echoes a 1 MiB message byte for byte, written while the
// echo is read.
func TestLargeMessage(t *testing.T) {
	forModes(t, func(t *testing.T, mode Mode) {
		srv, addr := startServer(t, Config{Mode: mode})
		c := echotest.Dial(t, addr)
		msg := randomBytes(1 << 20)
		got := exchangeConcurrently(t, c, [][]byte{msg})
		if !bytes.Equal(got, msg) {
			t.Fatalf("1 MiB echo differs at byte %d", firstDiff(got, msg))
		}
		c.Close()
		waitFor(t, "bytes counted", func() bool { return srv.Stats().BytesOut == 1<<20 })
	})
}

// TestRandomSplits writes a message in random-sized pieces with pauses, so
// the server sees arbitrary splits, and checks the echo is whole.
func TestRandomSplits(t *testing.T) {
	forModes(t, func(t *testing.T, mode Mode) {
		_, addr := startServer(t, Config{Mode: mode, BufferSize: 1000})
		for range 4 {
			c := echotest.Dial(t, addr)
			msg := randomBytes(256<<10 + rand.IntN(4096))
			got := exchangeConcurrently(t, c, randomSplit(msg))
			if !bytes.Equal(got, msg) {
				t.Fatalf("echo of %d bytes in random pieces differs at byte %d", len(msg), firstDiff(got, msg))
			}
		}
	})
}

// TestHalfClose closes the client's write side after the message: the
// client still gets the whole echo, then EOF.
func TestHalfClose(t *testing.T) {
	forModes(t, func(t *testing.T, mode Mode) {
		srv, addr := startServer(t, Config{Mode: mode})
		c := echotest.Dial(t, addr)
		msg := randomBytes(3<<20 + 17)
		got := exchangeConcurrently(t, c, [][]byte{msg}) // reads to EOF
		if !bytes.Equal(got, msg) {
			t.Fatalf("echo after half-close: %d bytes, want %d; differs at %d", len(got), len(msg), firstDiff(got, msg))
		}
		waitFor(t, "connection ended", func() bool { return srv.Stats().Active == 0 })
		if st := srv.Stats(); st.Errors != 0 {
			t.Errorf("stats %v: a half-close counted as an error", st)
		}
	})
}

// exchangeConcurrently writes pieces to c (then half-closes it) while it
// reads the echo to EOF, and returns what it read.
func exchangeConcurrently(t *testing.T, c *net.TCPConn, pieces [][]byte) []byte {
	t.Helper()
	c.SetDeadline(time.Now().Add(60 * time.Second))
	werr := make(chan error, 1)
	go func() {
		for _, p := range pieces {
			if _, err := c.Write(p); err != nil {
				werr <- err
				return
			}
			if len(pieces) > 1 && rand.IntN(4) == 0 {
				time.Sleep(time.Millisecond)
			}
		}
		werr <- c.CloseWrite()
	}()
	got, rerr := io.ReadAll(c)
	if err := <-werr; err != nil {
		t.Fatalf("write: %v", err)
	}
	if rerr != nil {
		t.Fatalf("read echo: %v (after %d bytes)", rerr, len(got))
	}
	return got
}

// randomSplit cuts msg into pieces of 1 byte to 20 KiB.
func randomSplit(msg []byte) [][]byte {
	var pieces [][]byte
	for len(msg) > 0 {
		n := min(len(msg), 1+rand.IntN(20<<10))
		if rand.IntN(3) == 0 {
			n = min(len(msg), 1+rand.IntN(7))
		}
		pieces = append(pieces, msg[:n])
		msg = msg[n:]
	}
	return pieces
}
