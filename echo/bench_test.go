package echo

import (
	"context"
	"net"
	"testing"
	"time"
)

// BenchmarkEchoPingPong measures 1,000 connections doing 4 KiB ping-pong
// against a bare goroutine-per-connection echo server (the baseline) and
// against the Server in thread and process mode, in one run, interleaved so
// that the machine's noise falls on all three alike. It reports each one's
// round trips per second (best of the rounds) and the ratios to the
// baseline; the goals are thread >= 1.0x and process >= 0.7x, no failures.
//
//	go test -run '^$' -bench EchoPingPong -benchtime 3x ./echo
func BenchmarkEchoPingPong(b *testing.B) {
	const conns, trips, size = 1000, 100, 4 << 10
	baseAddr := startBareServer(b)
	_, threadAddr := startServer(b, Config{Mode: ModeThread})
	_, procAddr := startServer(b, Config{Mode: ModeProcess})
	targets := []struct{ name, addr string }{{"baseline", baseAddr}, {"thread", threadAddr}, {"process", procAddr}}
	best := map[string]float64{}
	for b.Loop() {
		for _, tg := range targets {
			res, err := RunBench(context.Background(), BenchConfig{Addr: tg.addr, Conns: conns, RoundTrips: trips, Size: size, Timeout: 5 * time.Minute})
			if err != nil {
				b.Fatalf("%s: %v", tg.name, err)
			}
			best[tg.name] = max(best[tg.name], res.Rate())
		}
	}
	for _, tg := range targets {
		b.ReportMetric(best[tg.name], tg.name+"-rt/s")
	}
	b.ReportMetric(best["thread"]/best["baseline"], "thread/baseline")
	b.ReportMetric(best["process"]/best["baseline"], "process/baseline")
}

// startBareServer is the baseline: the textbook goroutine-per-connection
// echo with io.Copy, no pool, no limits, no deadlines (serveBare).
func startBareServer(b *testing.B) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	stop := serveBare(ln)
	b.Cleanup(func() { _ = stop() })
	return ln.Addr().String()
}
