package echo

import "testing"

// TestTrafficTotals counts echoes whole and cut short (a write that failed
// after part of the echo) and checks both totals.
func TestTrafficTotals(t *testing.T) {
	var c counters
	c.add(4096, 4096)
	c.add(1000, 300) // the write failed after 300 bytes
	c.add(0, 0)
	c.add(10, 25) // a process-mode total can be anything; never negative
	in, out := c.totals()
	if in != 5106 || out != 4421 {
		t.Fatalf("totals = %d in, %d out; want 5106 in, 4421 out", in, out)
	}
	if s := c.snapshot(); s.BytesIn != 5106 || s.BytesOut != 4421 {
		t.Fatalf("snapshot %v: want bytes_in=5106 bytes_out=4421", s)
	}
}
