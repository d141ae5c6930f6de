package echo

import (
	"bytes"
	"io"
	"testing"
	"time"

	"github.com/poolscrape/poolscrape/internal/echotest"
)

// TestParkedThenLargeSplit: a connection that echoed once, then sat idle
// (parked waiting for readability, its buffer given back), echoes a large
// message sent in random pieces byte for byte, then EOF after its
// half-close.
func TestParkedThenLargeSplit(t *testing.T) {
	forModes(t, func(t *testing.T, mode Mode) {
		srv, addr := startServer(t, Config{Mode: mode, BufferSize: 1000})
		c := echotest.Dial(t, addr)
		if err := echotest.RoundTrip(c, []byte("before the pause")); err != nil {
			t.Fatal(err)
		}
		time.Sleep(200 * time.Millisecond) // the scenario: the connection sits idle
		msg := randomBytes(2<<20 + 333)
		got := exchangeConcurrently(t, c, randomSplit(msg))
		if !bytes.Equal(got, msg) {
			t.Fatalf("echo after a pause: %d bytes, want %d; differs at %d", len(got), len(msg), firstDiff(got, msg))
		}
		waitFor(t, "connection ended", func() bool { return srv.Stats().Active == 0 })
		if st := srv.Stats(); st.Errors != 0 {
			t.Errorf("stats %v: want no errors", st)
		}
	})
}

// TestParkedIdleTimeout: a connection that echoed, then went silent, is
// closed by IdleTimeout while it waits for readability, and counted as an
// error.
func TestParkedIdleTimeout(t *testing.T) {
	forModes(t, func(t *testing.T, mode Mode) {
		const idle = 200 * time.Millisecond
		srv, addr := startServer(t, Config{Mode: mode, IdleTimeout: idle})
		c := echotest.Dial(t, addr)
		if err := echotest.RoundTrip(c, []byte("then silence")); err != nil {
			t.Fatal(err)
		}
		start := time.Now()
		c.SetReadDeadline(time.Now().Add(30 * time.Second))
		n, err := io.Copy(io.Discard, c)
		if err != nil || n != 0 {
			t.Fatalf("silent connection: read %d bytes, %v; want the server's close", n, err)
		}
		if after := time.Since(start); after < idle {
			t.Errorf("closed after %v, before the %v idle timeout", after, idle)
		}
		waitFor(t, "connection ended", func() bool { return srv.Stats().Active == 0 })
		if st := srv.Stats(); st.Errors != 1 {
			t.Errorf("stats %v: want 1 error (the idle timeout)", st)
		}
	})
}
