package echo

import (
	"bytes"
	"io"
	"testing"
	"time"

	"github.com/poolscrape/poolscrape/internal/echotest"
)

// TestWaitedWriteLeavesNoDeadline: an echo that had to wait for the client
// to read (the write deadline set for the wait) and then completed leaves
// no deadline behind: after a pause longer than WriteTimeout, the
// connection still echoes. WriteTimeout is long enough that a test process
// the loaded machine stops for a while as it reads the echo does not see
// its connection cut (it was with 300 ms: SIGSTOP for 600 ms then).
func TestWaitedWriteLeavesNoDeadline(t *testing.T) {
	forModes(t, func(t *testing.T, mode Mode) {
		const writeTimeout = 2 * time.Second
		srv, addr := startServer(t, Config{Mode: mode, WriteTimeout: writeTimeout})
		c := echotest.Dial(t, addr)
		c.SetDeadline(time.Now().Add(60 * time.Second))
		// More than the socket buffers hold while the client does not
		// read, so that the echo's writes must wait.
		msg := randomBytes(16 << 20)
		werr := make(chan error, 1)
		go func() {
			_, err := c.Write(msg)
			werr <- err
		}()
		time.Sleep(100 * time.Millisecond) // the scenario: the client reads late, within the timeout
		got := make([]byte, len(msg))
		if _, err := io.ReadFull(c, got); err != nil {
			t.Fatalf("read the echo: %v", err)
		}
		if err := <-werr; err != nil {
			t.Fatalf("write: %v", err)
		}
		if !bytes.Equal(got, msg) {
			t.Fatalf("echo differs at byte %d", firstDiff(got, msg))
		}
		// The scenario: a pause past any deadline left behind (set at most
		// WriteTimeout and its slack after the last wait began).
		time.Sleep(writeTimeout + writeTimeout/4)
		if err := echotest.RoundTrip(c, []byte("after the pause")); err != nil {
			t.Fatalf("echo after the pause: %v (stats %v)", err, srv.Stats())
		}
		if st := srv.Stats(); st.Errors != 0 {
			t.Errorf("stats %v: want no errors", st)
		}
	})
}
