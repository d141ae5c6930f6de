package echo

import (
	"fmt"
	"sync/atomic"
)

// Stats is a snapshot of a Server's counters, from Server.Stats.
//
// In process mode the parent counts Accepted, Refused and Active as they
// happen, but BytesIn and BytesOut of a connection arrive with the task's
// result when the connection ends: live byte counters lag by the traffic of
// the connections still open. In thread mode they are counted as each chunk
// read is echoed (BytesIn with it, not before the echo's write).
type Stats struct {
	Accepted uint64 // connections taken for service
	Refused  uint64 // connections closed at once because MaxConns were open
	Active   int64  // connections open now
	BytesIn  uint64 // bytes read from clients
	BytesOut uint64 // bytes echoed back to clients
	// Errors counts connections that ended other than by the client's
	// close (idle timeout, write deadline, reset, a worker process that
	// died, closed by Shutdown) and failed accepts.
	Errors uint64
}

// String is the one-line form printed by the echo command.
func (s Stats) String() string {
	return fmt.Sprintf("accepted=%d refused=%d active=%d bytes_in=%d bytes_out=%d errors=%d",
		s.Accepted, s.Refused, s.Active, s.BytesIn, s.BytesOut, s.Errors)
}

// counters are a Server's live Stats.
type counters struct {
	accepted, refused, errors atomic.Uint64
	active                    atomic.Int64
	traffic
}

// traffic counts bytes in and out; the serve loop adds to it as it goes in
// thread mode, and the parent adds a connection's totals in process mode.
// Nearly every byte read is echoed, so it keeps the bytes that went both ways
// in one counter and only the difference apart: an echo costs one atomic add
// on a counter that every connection shares, not two.
type traffic struct {
	both            atomic.Uint64 // bytes read and echoed
	onlyIn, onlyOut atomic.Uint64 // the rest of the bytes read, written
}

// add counts in bytes read and out bytes written.
func (t *traffic) add(in, out int64) {
	both := min(in, out)
	if both > 0 {
		t.both.Add(uint64(both))
	}
	if in > both {
		t.onlyIn.Add(uint64(in - both))
	}
	if out > both {
		t.onlyOut.Add(uint64(out - both))
	}
}

// totals returns the bytes counted in and out.
func (t *traffic) totals() (in, out uint64) {
	both := t.both.Load()
	return both + t.onlyIn.Load(), both + t.onlyOut.Load()
}

func (c *counters) snapshot() Stats {
	in, out := c.totals()
	return Stats{
		Accepted: c.accepted.Load(),
		Refused:  c.refused.Load(),
		Active:   c.active.Load(),
		BytesIn:  in,
		BytesOut: out,
		Errors:   c.errors.Load(),
	}
}
