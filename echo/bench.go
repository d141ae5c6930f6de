package echo

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"sync"
	"sync/atomic"
	"time"
)

// BenchConfig sets up RunBench.
type BenchConfig struct {
	Addr       string        // the echo server's TCP address
	Conns      int           // connections, all open at once
	RoundTrips int           // round trips per connection
	Size       int           // message size in bytes
	Timeout    time.Duration // bound on the whole run, dialing included (0: none)
	// RoundTripTimeout fails a connection whose round trip (write and
	// echo) takes longer (within 1/64 more: see lazyDeadline), so a server
	// that accepts but does not echo fails fast instead of holding the run
	// until Timeout (0: none).
	RoundTripTimeout time.Duration
}

// ErrRoundTripTimeout is wrapped by a connection's failure when its echo did
// not come back within BenchConfig.RoundTripTimeout.
var ErrRoundTripTimeout = errors.New("echo: no echo within the round-trip timeout")

// ErrBenchFailed is wrapped by RunBench's error when a connection failed or
// an echo did not match; the BenchResult still holds the figures.
var ErrBenchFailed = errors.New("echo: bench failures")

// BenchResult is what RunBench measured.
type BenchResult struct {
	Conns      int           // connections asked for
	RoundTrips uint64        // round trips completed and checked
	Failures   int           // connections that failed (dial, I/O, timeout or mismatch)
	Mismatches int           // connections whose echo differed from what they sent
	Elapsed    time.Duration // from the moment all connections were dialed
	P50        time.Duration // median round-trip latency
	P99        time.Duration
	P999       time.Duration
	Max        time.Duration
	Errors     []string // the first few failures, for the report
}

// Rate is completed round trips per second.
func (r BenchResult) Rate() float64 {
	if r.Elapsed <= 0 {
		return 0
	}
	return float64(r.RoundTrips) / r.Elapsed.Seconds()
}

// String is the report the echo bench command prints.
func (r BenchResult) String() string {
	return fmt.Sprintf("%d round trips in %v: %.0f round trips/s\nlatency p50=%v p99=%v p99.9=%v max=%v\nfailures=%d mismatches=%d",
		r.RoundTrips, r.Elapsed.Round(time.Millisecond), r.Rate(), roundLatency(r.P50), roundLatency(r.P99),
		roundLatency(r.P999), roundLatency(r.Max), r.Failures, r.Mismatches)
}

const (
	maxBenchErrors = 5
	histShards     = 16
	// concurrentWriteAbove is the message size past which a connection
	// writes and reads at once, so a message larger than the socket
	// buffers cannot deadlock against the server's echo.
	concurrentWriteAbove = 64 << 10
)

// Validate reports the first bad field of c, naming it and its value.
func (c BenchConfig) Validate() error {
	switch {
	case c.Addr == "":
		return fmt.Errorf("%w: bench Addr is empty", ErrBadConfig)
	case c.Conns <= 0:
		return fmt.Errorf("%w: bench Conns is %d, want > 0", ErrBadConfig, c.Conns)
	case c.RoundTrips <= 0:
		return fmt.Errorf("%w: bench RoundTrips is %d, want > 0", ErrBadConfig, c.RoundTrips)
	case c.Size <= 0:
		return fmt.Errorf("%w: bench Size is %d, want > 0", ErrBadConfig, c.Size)
	case c.Timeout < 0:
		return fmt.Errorf("%w: bench Timeout is %v, want >= 0", ErrBadConfig, c.Timeout)
	case c.RoundTripTimeout < 0:
		return fmt.Errorf("%w: bench RoundTripTimeout is %v, want >= 0", ErrBadConfig, c.RoundTripTimeout)
	}
	return nil
}

// RunBench opens cfg.Conns connections to cfg.Addr, and once all are open,
// has each do cfg.RoundTrips round trips of a random cfg.Size-byte message,
// checking every byte of every echo. It returns the figures, and an error
// wrapping ErrBenchFailed if any connection failed or any echo differed
// (ctx ending, or the Timeout passing, fails the connections still at work).
func RunBench(ctx context.Context, cfg BenchConfig) (BenchResult, error) {
	if err := cfg.Validate(); err != nil {
		return BenchResult{}, err
	}
	if cfg.Timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, cfg.Timeout)
		defer cancel()
	}
	r := &benchRun{cfg: cfg, hists: make([]histogram, histShards), start: make(chan struct{})}
	elapsed := r.run(ctx)
	return r.result(elapsed)
}

// benchRun is the state one RunBench shares among its connections.
type benchRun struct {
	cfg        BenchConfig
	hists      []histogram
	start      chan struct{} // closed once every connection is dialed
	roundTrips atomic.Uint64
	mu         sync.Mutex
	failures   int
	mismatches int
	errs       []string
}

// run dials every connection, releases them together, and returns the time
// from the release until the last one is done.
func (r *benchRun) run(ctx context.Context) time.Duration {
	var dialed, done sync.WaitGroup
	dialed.Add(r.cfg.Conns)
	done.Add(r.cfg.Conns)
	for i := range r.cfg.Conns {
		go func() {
			defer done.Done()
			r.conn(ctx, i, &dialed)
		}()
	}
	dialed.Wait()
	t0 := time.Now()
	close(r.start)
	done.Wait()
	return time.Since(t0)
}

// conn runs one connection from dial to its last round trip.
func (r *benchRun) conn(ctx context.Context, i int, dialed *sync.WaitGroup) {
	var d net.Dialer
	c, err := d.DialContext(ctx, "tcp", r.cfg.Addr)
	dialed.Done()
	if err != nil {
		r.fail(fmt.Errorf("connection %d: dial %s: %w", i, r.cfg.Addr, err))
		return
	}
	defer c.Close()
	stop := context.AfterFunc(ctx, func() { c.Close() })
	defer stop()
	<-r.start
	pp := newPingPong(c, r.cfg.Size, &r.hists[i%histShards])
	dl := lazyDeadline{d: r.cfg.RoundTripTimeout}
	for n := range r.cfg.RoundTrips {
		dl.refresh(c.SetDeadline)
		if err := pp.roundTrip(uint64(n)); err != nil {
			switch {
			case ctx.Err() != nil:
				err = fmt.Errorf("%w (%w)", err, context.Cause(ctx))
			case errors.Is(err, os.ErrDeadlineExceeded):
				err = fmt.Errorf("%w (%v): %w", ErrRoundTripTimeout, r.cfg.RoundTripTimeout, err)
			}
			r.fail(fmt.Errorf("connection %d, round trip %d: %w", i, n, err))
			return
		}
		r.roundTrips.Add(1)
	}
}

func (r *benchRun) fail(err error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.failures++
	if errors.Is(err, errMismatch) {
		r.mismatches++
	}
	if len(r.errs) < maxBenchErrors {
		r.errs = append(r.errs, err.Error())
	}
}

func (r *benchRun) result(elapsed time.Duration) (BenchResult, error) {
	var all histogram
	for i := range r.hists {
		for j := range r.hists[i].counts {
			all.counts[j].Add(r.hists[i].counts[j].Load())
		}
	}
	q := all.quantiles(0.50, 0.99, 0.999, 1)
	res := BenchResult{
		Conns: r.cfg.Conns, RoundTrips: r.roundTrips.Load(), Elapsed: elapsed,
		Failures: r.failures, Mismatches: r.mismatches, Errors: r.errs,
		P50: q[0], P99: q[1], P999: q[2], Max: q[3],
	}
	if res.Failures > 0 {
		return res, fmt.Errorf("%w: %d of %d connections failed, %d mismatched; first: %s",
			ErrBenchFailed, res.Failures, res.Conns, res.Mismatches, res.Errors[0])
	}
	return res, nil
}

// roundLatency keeps three significant digits or so of a latency.
func roundLatency(d time.Duration) time.Duration {
	switch {
	case d >= time.Second:
		return d.Round(time.Millisecond)
	case d >= time.Millisecond:
		return d.Round(time.Microsecond)
	}
	return d
}
