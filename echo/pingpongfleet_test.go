package echo

import (
	"fmt"
	"net"
	"sync"
	"sync/atomic"
	"time"
)

// fleetHangBound fails a fleet window whose connection gets no echo for this
// long: a hang guard, far above any round trip.
const fleetHangBound = time.Minute

// pingPongFleet is a set of connections to one echo server, dialed once and
// kept open, that do ping-pong round trips all together, one measurement
// window after another (BenchmarkEchoPingPong).
type pingPongFleet struct {
	pps   []*pingPong
	trips []uint64 // each connection's round trips so far, its next stamp
	hists []histogram
}

// dialFleet opens conns connections to addr, each with a random size-byte
// message.
func dialFleet(addr string, conns, size int) (*pingPongFleet, error) {
	f := &pingPongFleet{trips: make([]uint64, conns), hists: make([]histogram, histShards)}
	for i := range conns {
		c, err := net.Dial("tcp", addr)
		if err != nil {
			f.close()
			return nil, fmt.Errorf("dial connection %d to %s: %w", i, addr, err)
		}
		f.pps = append(f.pps, newPingPong(c, size, &f.hists[i%histShards]))
	}
	return f, nil
}

// fleetWindow is what one window measured.
type fleetWindow struct {
	// rate is the round trips per second completed between warm and
	// warm+d after the start: the start (every connection sending at once)
	// is left out, and the round trips in flight at the end are neither
	// counted nor cut short.
	rate float64
	// perCPU is the round trips per second of CPU time that the test
	// process and its children used (treeCPU), all of the window's round
	// trips over all of its CPU time: unlike rate, it does not fall when
	// other programs take the machine's cores.
	perCPU float64
}

// window releases every connection at once and has each do round trips,
// checking every echo, until warm+d has passed since the release, and
// returns what it measured. It fails on the first connection that fails.
func (f *pingPongFleet) window(warm, d time.Duration) (fleetWindow, error) {
	for _, pp := range f.pps {
		pp.c.SetDeadline(time.Now().Add(warm + d + fleetHangBound))
	}
	var counted, all atomic.Int64
	var wg sync.WaitGroup
	errs := make(chan error, len(f.pps))
	cpu0 := treeCPU()
	start := time.Now()
	from, to := start.Add(warm), start.Add(warm+d)
	for i, pp := range f.pps {
		wg.Go(func() {
			n, trips := int64(0), int64(0)
			for {
				if err := pp.roundTrip(f.trips[i]); err != nil {
					errs <- fmt.Errorf("connection %d, round trip %d: %w", i, f.trips[i], err)
					return
				}
				f.trips[i]++
				trips++
				t := time.Now()
				if t.After(to) {
					break
				}
				if !t.Before(from) {
					n++
				}
			}
			counted.Add(n)
			all.Add(trips)
		})
	}
	wg.Wait()
	cpu := treeCPU() - cpu0
	close(errs)
	if err := <-errs; err != nil {
		return fleetWindow{}, err
	}
	w := fleetWindow{rate: float64(counted.Load()) / d.Seconds()}
	if cpu > 0 {
		w.perCPU = float64(all.Load()) / cpu.Seconds()
	}
	return w, nil
}

// close closes every connection.
func (f *pingPongFleet) close() {
	for _, pp := range f.pps {
		pp.c.Close()
	}
}
