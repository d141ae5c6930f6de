package echo

import (
	"context"
	"fmt"
	"net"
	"runtime"
	"runtime/pprof"
	"slices"
	"testing"
	"time"
)

// BenchmarkEchoPingPong measures 1,000 connections doing 4 KiB ping-pong
// against a bare goroutine-per-connection echo server (serveBare, the
// baseline) and against the Server in thread and in process mode, in one
// run. It reports each one's round trips per second (rt/s) and the ratios to
// the baseline; the goals are thread >= 1.0x and process >= 0.7x. It also
// reports round trips per second of CPU time (rt/cpu-s: the test process's,
// which holds the clients, the baseline and the thread-mode server, and its
// worker processes'), and those ratios (/baseline-cpu), which other
// programs' load on the machine hardly moves, unlike rt/s.
//
// The method, so that a noisy machine tilts neither side: each server gets
// its 1,000 connections, dialed before any measurement and kept open (the
// figures are round trips, not connection setups). A pass measures each
// server once for a short window (every connection does round trips from a
// common start, checking every echo; for rt/s, those that complete from
// 50ms to 350ms after the start count, so the start, all connections
// sending at once, is left out), one server after another. Each iteration
// is 6 passes after a garbage collection, one in each order of the three
// servers, so that each server is measured first, second and last equally
// often, and directly after each other one equally often. A pass's ratio is
// a server's figure over the baseline's in the same pass, measured within a
// second, so a change in the machine's load mostly falls on both alike. The
// benchmark reports each server's median figures and the median ratios over
// all passes, and logs each iteration's medians and the spread of the pass
// ratios (quartiles and range: a window in which the machine let a server
// complete no round trip at all makes a ratio 0 or +Inf, which the medians
// shrug off).
// Each window's client goroutines carry the pprof label target (baseline,
// thread or process), so that a -cpuprofile tells their costs apart.
//
//	go test -run '^$' -bench EchoPingPong -benchtime 5x ./echo
func BenchmarkEchoPingPong(b *testing.B) {
	const (
		conns, size    = 1000, 4 << 10
		warm, measure  = 50 * time.Millisecond, 300 * time.Millisecond
		passesPerRound = 6 // 3!: every order of the three servers once
	)
	targets := pingPongTargets(b)
	fleets := make([]*pingPongFleet, len(targets))
	for i, tg := range targets {
		f, err := dialFleet(tg.addr, conns, size)
		if err != nil {
			b.Fatalf("%s: %v", tg.name, err)
		}
		b.Cleanup(f.close)
		fleets[i] = f
	}
	var all series
	round := 0
	for b.Loop() {
		runtime.GC()
		var rs series
		for pass := range passesPerRound {
			got := make([]fleetWindow, len(targets))
			for _, i := range passOrder(len(targets), pass) {
				var w fleetWindow
				var err error
				pprof.Do(context.Background(), pprof.Labels("target", targets[i].name), func(context.Context) {
					w, err = fleets[i].window(warm, measure)
				})
				if err != nil {
					b.Fatalf("%s: %v", targets[i].name, err)
				}
				got[i] = w
				rs.add(targets[i].name+"-rt/s", w.rate)
				rs.add(targets[i].name+"-rt/cpu-s", w.perCPU)
			}
			for i, tg := range targets[1:] {
				rs.add(tg.name+"/baseline", got[i+1].rate/got[0].rate)
				rs.add(tg.name+"/baseline-cpu", got[i+1].perCPU/got[0].perCPU)
			}
		}
		round++
		line := fmt.Sprintf("round %d: baseline %.0f rt/s, %.0f rt/cpu-s", round, rs.median("baseline-rt/s"), rs.median("baseline-rt/cpu-s"))
		for _, tg := range targets[1:] {
			line += fmt.Sprintf("; %s %.0f rt/s (%.3fx), %.0f rt/cpu-s (%.3fx)", tg.name,
				rs.median(tg.name+"-rt/s"), rs.median(tg.name+"/baseline"),
				rs.median(tg.name+"-rt/cpu-s"), rs.median(tg.name+"/baseline-cpu"))
		}
		b.Log(line)
		all.merge(rs)
	}
	for _, tg := range targets {
		b.ReportMetric(all.median(tg.name+"-rt/s"), tg.name+"-rt/s")
		b.ReportMetric(all.median(tg.name+"-rt/cpu-s"), tg.name+"-rt/cpu-s")
	}
	for _, tg := range targets[1:] {
		for _, m := range []string{tg.name + "/baseline", tg.name + "/baseline-cpu"} {
			b.ReportMetric(all.median(m), m)
			xs := all[m]
			b.Logf("%s over %d passes: median %.3fx, middle half %.3f-%.3fx, range %.3f-%.3fx", m, len(xs),
				all.median(m), quantile(xs, 0.25), quantile(xs, 0.75), slices.Min(xs), slices.Max(xs))
		}
	}
}

// passOrder is the order in which pass number pass measures n targets: the
// permutations of 0..n-1 in turn (see permutations), so that over n! passes
// each target goes first, second, ... equally often, and directly after
// each other target equally often (whatever one window leaves behind falls
// on each of the others alike).
func passOrder(n, pass int) []int {
	perms := permutations(n)
	return perms[pass%len(perms)]
}

// permutations returns every order of 0..n-1.
func permutations(n int) [][]int {
	if n == 0 {
		return [][]int{{}}
	}
	var out [][]int
	for _, p := range permutations(n - 1) {
		for at := 0; at <= len(p); at++ {
			q := slices.Insert(slices.Clone(p), at, n-1)
			out = append(out, q)
		}
	}
	return out
}

// pingPongTarget is a server BenchmarkEchoPingPong measures.
type pingPongTarget struct{ name, addr string }

// pingPongTargets starts the baseline (serveBare), then the Server in thread
// and in process mode, all closed when the benchmark ends.
func pingPongTargets(b *testing.B) []pingPongTarget {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	stop := serveBare(ln)
	b.Cleanup(func() { _ = stop() })
	targets := []pingPongTarget{{"baseline", ln.Addr().String()}}
	for _, mode := range []Mode{ModeThread, ModeProcess} {
		_, addr := startServer(b, Config{Mode: mode})
		targets = append(targets, pingPongTarget{string(mode), addr})
	}
	return targets
}

// series are a benchmark's measurements by metric.
type series map[string][]float64

func (s *series) add(metric string, x float64) {
	if *s == nil {
		*s = series{}
	}
	(*s)[metric] = append((*s)[metric], x)
}

func (s *series) merge(o series) {
	for m, xs := range o {
		for _, x := range xs {
			s.add(m, x)
		}
	}
}

func (s series) median(metric string) float64 { return median(s[metric]) }

// median returns the middle value of xs (the mean of the two middle ones
// for an even count); xs is not changed.
func median(xs []float64) float64 { return quantile(xs, 0.5) }

// quantile returns the q-quantile of xs (0 <= q <= 1), interpolating
// linearly between the two nearest values; 0 for no values. xs is not
// changed.
func quantile(xs []float64, q float64) float64 {
	s := slices.Sorted(slices.Values(xs))
	if len(s) == 0 {
		return 0
	}
	pos := q * float64(len(s)-1)
	i := int(pos)
	if i >= len(s)-1 {
		return s[len(s)-1]
	}
	return s[i] + (pos-float64(i))*(s[i+1]-s[i])
}
