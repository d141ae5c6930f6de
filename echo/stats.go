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
// the connections still open. In thread mode they are counted as the bytes
// move.
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
type traffic struct {
	in, out atomic.Uint64
}

func (c *counters) snapshot() Stats {
	return Stats{
		Accepted: c.accepted.Load(),
		Refused:  c.refused.Load(),
		Active:   c.active.Load(),
		BytesIn:  c.in.Load(),
		BytesOut: c.out.Load(),
		Errors:   c.errors.Load(),
	}
}
