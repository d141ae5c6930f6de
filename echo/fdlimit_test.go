//go:build unix

package echo

import (
	"fmt"
	"net"
	"testing"

	"github.com/poolscrape/poolscrape/internal/echotest"
)

// TestProcessModeOutOfDescriptors runs the worker processes with few
// descriptors (envWorkerFileLimit) and opens more connections than they can
// hold: each connection a worker cannot take is closed and counted as an
// error, and the worker goes on serving the ones it holds; none is replaced.
func TestProcessModeOutOfDescriptors(t *testing.T) {
	const limit, held, more = 64, 45, 100
	t.Setenv(envWorkerFileLimit, fmt.Sprint(limit))
	srv, addr := startServer(t, Config{Mode: ModeProcess, Workers: 2})
	var conns []*net.TCPConn
	for i := range held {
		c := echotest.Dial(t, addr)
		if err := echotest.RoundTrip(c, fmt.Appendf(nil, "held %d", i)); err != nil {
			t.Fatalf("held connection %d: %v", i, err)
		}
		conns = append(conns, c)
	}
	// All at once, as a load test's clients come: the descriptors reach
	// the workers faster than their tasks settle them.
	extra := make([]*net.TCPConn, more)
	for i := range extra {
		extra[i] = echotest.Dial(t, addr)
	}
	failed := 0
	for i, c := range extra {
		if err := echotest.RoundTrip(c, fmt.Appendf(nil, "more %d", i)); err != nil {
			failed++
			c.Close()
		}
	}
	if failed == 0 {
		t.Fatalf("all %d more connections served: the workers' limit of %d descriptors was never reached", more, limit)
	}
	for i, c := range conns {
		if err := echotest.RoundTrip(c, fmt.Appendf(nil, "still held %d", i)); err != nil {
			t.Fatalf("held connection %d after the workers ran out of descriptors: %v", i, err)
		}
	}
	if st := srv.PoolStats(); st.WorkerRestarts != 0 || st.WorkersAlive != 2 {
		t.Errorf("pool stats %+v: want no restarts, 2 workers alive", st)
	}
	waitFor(t, "the failed connections counted", func() bool { return srv.Stats().Errors >= uint64(failed) })
	// The next accept after a connection failed for want of descriptors
	// backs off, as when accept itself fails.
	expectClosedOrEcho(t, echotest.Dial(t, addr))
	waitFor(t, "an accept back-off", func() bool { return srv.backoffs.Load() > 0 })
	t.Logf("%d of %d more connections failed; stats %v", failed, more, srv.Stats())
}

// expectClosedOrEcho checks that c is either served or closed, never left
// hanging.
func expectClosedOrEcho(t *testing.T, c net.Conn) {
	t.Helper()
	if err := echotest.RoundTrip(c, []byte("one more")); err != nil {
		expectClosed(t, c)
	}
}
