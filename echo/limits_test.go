package echo

import (
	"errors"
	"io"
	"net"
	"testing"
	"time"

	"github.com/poolscrape/poolscrape/internal/echotest"
)

// TestIdleTimeout closes a silent connection after IdleTimeout, while one
// that trickles a byte at a time more often than that stays open.
func TestIdleTimeout(t *testing.T) {
	forModes(t, func(t *testing.T, mode Mode) {
		const idle = 300 * time.Millisecond
		srv, addr := startServer(t, Config{Mode: mode, IdleTimeout: idle})
		silent, trickle := echotest.Dial(t, addr), echotest.Dial(t, addr)
		start := time.Now()
		closed := make(chan time.Duration, 1)
		go func() {
			silent.SetReadDeadline(time.Now().Add(30 * time.Second))
			io.Copy(io.Discard, silent)
			closed <- time.Since(start)
		}()
		for i := 0; time.Since(start) < 3*idle; i++ {
			if err := echotest.RoundTrip(trickle, []byte{byte(i)}); err != nil {
				t.Fatalf("trickling connection cut off after %v: %v", time.Since(start), err)
			}
			time.Sleep(idle / 6)
		}
		if after := <-closed; after < idle {
			t.Errorf("silent connection closed after %v, before the %v idle timeout", after, idle)
		}
		trickle.Close()
		waitFor(t, "connections ended", func() bool { return srv.Stats().Active == 0 })
		if st := srv.Stats(); st.Errors != 1 {
			t.Errorf("stats %v: want 1 error (the idle timeout)", st)
		}
	})
}

// TestMaxConnsRefusal closes connections past MaxConns at once and counts
// them, and serves again once a slot is free.
func TestMaxConnsRefusal(t *testing.T) {
	forModes(t, func(t *testing.T, mode Mode) {
		const maxConns = 3
		srv, addr := startServer(t, Config{Mode: mode, MaxConns: maxConns})
		var open []net.Conn
		for range maxConns {
			c := echotest.Dial(t, addr)
			if err := echotest.RoundTrip(c, []byte("hello")); err != nil {
				t.Fatalf("connection within the limit: %v", err)
			}
			open = append(open, c)
		}
		for range 2 {
			extra := echotest.Dial(t, addr)
			expectClosed(t, extra)
		}
		if st := srv.Stats(); st.Refused != 2 || st.Accepted != maxConns || st.Active != maxConns {
			t.Errorf("stats %v: want refused=2 accepted=%d active=%d", st, maxConns, maxConns)
		}
		open[0].Close()
		waitFor(t, "a slot freed", func() bool { return srv.Stats().Active == maxConns-1 })
		if err := echotest.RoundTrip(echotest.Dial(t, addr), []byte("again")); err != nil {
			t.Fatalf("connection after a slot freed: %v", err)
		}
	})
}

// TestNonReaderCutOff has a client write without ever reading: the server's
// writes block, the write deadline cuts it off, and other connections are
// served meanwhile and after.
func TestNonReaderCutOff(t *testing.T) {
	forModes(t, func(t *testing.T, mode Mode) {
		srv, addr := startServer(t, Config{Mode: mode, WriteTimeout: 300 * time.Millisecond})
		hog := echotest.Dial(t, addr)
		other := echotest.Dial(t, addr)
		hogErr := make(chan error, 1)
		go func() {
			chunk := randomBytes(64 << 10)
			hog.SetWriteDeadline(time.Now().Add(60 * time.Second))
			for {
				if _, err := hog.Write(chunk); err != nil {
					hogErr <- err
					return
				}
			}
		}()
		for range 20 {
			if err := echotest.RoundTrip(other, []byte("still here")); err != nil {
				t.Fatalf("other connection while the hog writes: %v", err)
			}
			time.Sleep(20 * time.Millisecond)
		}
		err := <-hogErr
		var ne net.Error
		if errors.As(err, &ne) && ne.Timeout() {
			t.Fatalf("the non-reading client was never cut off")
		}
		waitFor(t, "the cut-off counted", func() bool { return srv.Stats().Errors == 1 && srv.Stats().Active == 1 })
		if err := echotest.RoundTrip(echotest.Dial(t, addr), []byte("after")); err != nil {
			t.Fatalf("new connection after the cut-off: %v", err)
		}
	})
}

// TestThreadWorkersQueue: with fewer thread workers than connections, the
// extra connections wait in the pool's queue and are served in turn.
func TestThreadWorkersQueue(t *testing.T) {
	srv, addr := startServer(t, Config{Mode: ModeThread, Workers: 1})
	first, second := echotest.Dial(t, addr), echotest.Dial(t, addr)
	if err := echotest.RoundTrip(first, []byte("first")); err != nil {
		t.Fatal(err)
	}
	if _, err := second.Write([]byte("second")); err != nil {
		t.Fatal(err)
	}
	second.SetReadDeadline(time.Now().Add(200 * time.Millisecond))
	if n, err := second.Read(make([]byte, 10)); n != 0 || err == nil {
		t.Fatalf("queued connection served while the only worker is busy: %d bytes, %v", n, err)
	}
	if st := srv.PoolStats(); st.Queued != 1 {
		t.Errorf("pool stats %+v: want 1 queued connection", st)
	}
	first.Close()
	got := make([]byte, 6)
	second.SetReadDeadline(time.Now().Add(30 * time.Second))
	if _, err := io.ReadFull(second, got); err != nil || string(got) != "second" {
		t.Fatalf("queued connection after the first ended: %q, %v", got, err)
	}
}
