package executor

import (
	"context"
	"strconv"
	"testing"
	"time"
)

// BenchmarkMapVsCall runs pythonCalls calls of benchInc on a 2-worker
// ProcessPool with default options, alternating in each round between
// submitting all of them with Call and collecting them (the baseline) and
// Map with its default window or a given one; it reports Map's rate as a
// ratio of the baseline's from the same rounds (x-call).
func BenchmarkMapVsCall(b *testing.B) {
	for _, w := range []int{0, 20} {
		name := "window=default"
		if w > 0 {
			name = "window=" + strconv.Itoa(w)
		}
		b.Run(name, func(b *testing.B) { benchMapVsCall(b, w) })
	}
}

func benchMapVsCall(b *testing.B, window int) {
	p, err := NewProcessPool(2)
	if err != nil {
		b.Fatal(err)
	}
	defer p.Shutdown(context.Background())
	var opts []MapOption
	if window > 0 {
		opts = append(opts, Window(window))
	}
	call := func() { callAll(b, p, benchInc, func(i int) int { return i }, func(i int) int { return i + 1 }) }
	mapped := func() { mapAllOpts(b, p, opts...) }
	call() // warm up
	mapped()
	var callTime, mapTime time.Duration
	for b.Loop() {
		callTime += timed(call)
		mapTime += timed(mapped)
	}
	b.ReportMetric(float64(b.N*pythonCalls)/mapTime.Seconds(), "map-calls/s")
	b.ReportMetric(callTime.Seconds()/mapTime.Seconds(), "x-call")
}

// mapAllOpts makes pythonCalls calls of benchInc with Map and opts and
// checks them.
func mapAllOpts(b *testing.B, p *ProcessPool, opts ...MapOption) {
	i := 0
	for v, err := range Map(context.Background(), p, benchInc, seqN(pythonCalls), opts...) {
		if err != nil || v != i+1 {
			b.Fatalf("bench.inc(%d) = %d, %v", i, v, err)
		}
		i++
	}
}
