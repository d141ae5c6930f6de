package echo

import (
	"context"
	"errors"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/poolscrape/poolscrape/internal/echotest"
)

func TestRunBench(t *testing.T) {
	forModes(t, func(t *testing.T, mode Mode) {
		_, addr := startServer(t, Config{Mode: mode})
		for _, size := range []int{1, 64, 200 << 10} {
			res, err := RunBench(context.Background(), BenchConfig{Addr: addr, Conns: 20, RoundTrips: 10, Size: size, Timeout: time.Minute})
			if err != nil {
				t.Fatalf("size %d: %v", size, err)
			}
			if res.RoundTrips != 200 || res.Failures != 0 || res.Rate() <= 0 {
				t.Errorf("size %d: %+v", size, res)
			}
			if res.P50 <= 0 || res.P50 > res.P99 || res.P99 > res.P999 || res.P999 > res.Max {
				t.Errorf("size %d: latencies out of order: %+v", size, res)
			}
		}
	})
}

// TestRunBenchMismatch runs the bench against a server that corrupts one
// byte: every connection must fail with a mismatch.
func TestRunBenchMismatch(t *testing.T) {
	addr := echotest.CorruptingServer(t)
	res, err := RunBench(context.Background(), BenchConfig{Addr: addr, Conns: 4, RoundTrips: 3, Size: 100, Timeout: time.Minute})
	if !errors.Is(err, ErrBenchFailed) {
		t.Fatalf("RunBench = %v, want ErrBenchFailed", err)
	}
	if res.Failures != 4 || res.Mismatches != 4 {
		t.Errorf("result %+v: want 4 failures, all mismatches", res)
	}
}

// TestRunBenchNoServer fails every connection when nothing listens.
func TestRunBenchNoServer(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	res, err := RunBench(context.Background(), BenchConfig{Addr: addr, Conns: 3, RoundTrips: 1, Size: 8})
	if !errors.Is(err, ErrBenchFailed) || res.Failures != 3 || res.Mismatches != 0 {
		t.Fatalf("RunBench with no server = %+v, %v", res, err)
	}
}

// TestRunBenchTimeout ends a run against a server that never answers.
func TestRunBenchTimeout(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close() // accepted by the kernel, never read
	res, err := RunBench(context.Background(), BenchConfig{Addr: ln.Addr().String(), Conns: 2, RoundTrips: 1, Size: 8, Timeout: 200 * time.Millisecond})
	if !errors.Is(err, ErrBenchFailed) || res.Failures != 2 {
		t.Fatalf("RunBench against a silent server = %+v, %v", res, err)
	}
}

// TestRunBenchRoundTripTimeout fails the connections to a server that
// accepts but never echoes once the round-trip timeout passes, naming that
// cause rather than the run's (five-minute) Timeout.
func TestRunBenchRoundTripTimeout(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close() // accepted by the kernel, never read
	res, err := RunBench(context.Background(), BenchConfig{Addr: ln.Addr().String(), Conns: 3, RoundTrips: 1, Size: 8,
		Timeout: 5 * time.Minute, RoundTripTimeout: 200 * time.Millisecond})
	if !errors.Is(err, ErrBenchFailed) || res.Failures != 3 || !strings.Contains(err.Error(), ErrRoundTripTimeout.Error()) {
		t.Fatalf("RunBench against a silent server = %+v, %v; want 3 failures naming %q", res, err, ErrRoundTripTimeout)
	}
}

func TestBenchConfigValidate(t *testing.T) {
	for _, c := range []BenchConfig{
		{Conns: 1, RoundTrips: 1, Size: 1},
		{Addr: "x", RoundTrips: 1, Size: 1},
		{Addr: "x", Conns: 1, Size: 1},
		{Addr: "x", Conns: 1, RoundTrips: 1, Size: -1},
		{Addr: "x", Conns: 1, RoundTrips: 1, Size: 1, Timeout: -time.Second},
		{Addr: "x", Conns: 1, RoundTrips: 1, Size: 1, RoundTripTimeout: -time.Second},
	} {
		if _, err := RunBench(context.Background(), c); !errors.Is(err, ErrBadConfig) {
			t.Errorf("RunBench(%+v) = %v, want ErrBadConfig", c, err)
		}
	}
}

func TestHistogramQuantiles(t *testing.T) {
	var h histogram
	for i := 1; i <= 100000; i++ {
		h.record(time.Duration(i) * time.Microsecond)
	}
	q := h.quantiles(0.5, 0.99, 0.999, 1)
	want := []time.Duration{50 * time.Millisecond, 99 * time.Millisecond, 99900 * time.Microsecond, 100 * time.Millisecond}
	for i := range q {
		if diff := float64(q[i]-want[i]) / float64(want[i]); diff < -0.02 || diff > 0.02 {
			t.Errorf("quantile %d = %v, want %v within 2%%", i, q[i], want[i])
		}
	}
	for v := uint64(0); v < 1<<20; v += 7 {
		if b := bucketOf(v); bucketValue(b) > v*102/100+1 || bucketValue(b)*102/100+1 < v {
			t.Fatalf("value %d in bucket %d of middle %d", v, b, bucketValue(b))
		}
	}
}
