package executor

import (
	"bytes"
	"context"
	"encoding/gob"
	"io"
	"os"
	"os/exec"
	"sync"
	"testing"
	"time"
)

// benchInc is the trivial task of the process pool benchmarks.
var benchInc = Register("bench.inc", func(_ context.Context, n int) (int, error) { return n + 1, nil })

// BenchmarkProcessPoolCall measures trivial Calls on a 2-worker ProcessPool
// against the transport floor measured in the same run: the round trip of a
// fixed 24-byte frame (the size of a trivial call frame) over a Unix socket
// pair to a child process that echoes it (cat), with the same number of
// children and frames in flight. The floor has no encoding, no futures and
// no task dispatch: the ratio (pool rate / floor rate) says what those cost
// on top of the process hops, which both pay.
//
//   - serial: one call at a time (Call, then Result), one frame at a time.
//   - pipelined: calls submitted in batches of 1024, then waited for, with
//     WithInFlight(64) per worker; the floor keeps 64 frames in flight per
//     child.
func BenchmarkProcessPoolCall(b *testing.B) {
	b.Run("serial", func(b *testing.B) { benchPoolVsFloor(b, 1, 1, 256) })
	b.Run("pipelined", func(b *testing.B) { benchPoolVsFloor(b, 2, 64, 1024) })
}

func benchPoolVsFloor(b *testing.B, children, inFlight, batch int) {
	p, err := NewProcessPool(2, WithInFlight(inFlight))
	if err != nil {
		b.Fatal(err)
	}
	defer p.Shutdown(context.Background())
	floor := startEchoChildren(b, children)
	defer floor.close()
	var poolTime, floorTime time.Duration
	for b.Loop() {
		floorTime += timed(func() { floor.roundTrips(batch, inFlight) })
		poolTime += timed(func() { callBatch(b, p, batch, inFlight == 1) })
	}
	n := float64(b.N * batch)
	poolRate, floorRate := n/poolTime.Seconds(), n/floorTime.Seconds()
	b.ReportMetric(poolRate, "calls/s")
	b.ReportMetric(floorRate, "floor-roundtrips/s")
	b.ReportMetric(poolRate/floorRate, "ratio")
}

func timed(fn func()) time.Duration {
	start := time.Now()
	fn()
	return time.Since(start)
}

// callBatch makes n trivial calls: one at a time, or all at once and then
// waits for them.
func callBatch(b *testing.B, p *ProcessPool, n int, serial bool) {
	ctx := context.Background()
	if serial {
		for i := range n {
			if v, err := Call(p, benchInc, i).Result(ctx); err != nil || v != i+1 {
				b.Fatalf("bench.inc(%d) = %d, %v", i, v, err)
			}
		}
		return
	}
	futures := make([]*Future[int], n)
	for i := range n {
		futures[i] = Call(p, benchInc, i)
	}
	for i, f := range futures {
		if v, err := f.Result(ctx); err != nil || v != i+1 {
			b.Fatalf("bench.inc(%d) = %d, %v", i, v, err)
		}
	}
}

// echoChildren are cat processes, each echoing what comes in on a socket
// pair: the transport floor.
type echoChildren struct {
	cmds  []*exec.Cmd
	socks []*os.File
}

const floorFrame = 24

func startEchoChildren(b *testing.B, n int) *echoChildren {
	e := &echoChildren{}
	for range n {
		mine, theirs, err := socketPairFiles()
		if err != nil {
			b.Fatal(err)
		}
		cmd := exec.Command("cat")
		cmd.Stdin, cmd.Stdout = theirs, theirs
		if err := cmd.Start(); err != nil {
			b.Skipf("no cat to measure the floor with: %v", err)
		}
		theirs.Close()
		e.cmds, e.socks = append(e.cmds, cmd), append(e.socks, mine)
	}
	return e
}

func socketPairFiles() (mine, theirs *os.File, err error) {
	conn, child, err := socketPair()
	if err != nil {
		return nil, nil, err
	}
	defer conn.Close()
	f, err := conn.File()
	if err != nil {
		child.Close()
		return nil, nil, err
	}
	return f, child, nil
}

// roundTrips sends n frames, spread over the children, each child keeping
// up to window frames in flight, one write per frame, and reads them back.
func (e *echoChildren) roundTrips(n, window int) {
	var wg sync.WaitGroup
	for i, s := range e.socks {
		share := n / len(e.socks)
		if i == 0 {
			share += n % len(e.socks)
		}
		wg.Go(func() { echoOver(s, share, window) })
	}
	wg.Wait()
}

func echoOver(s *os.File, n, window int) {
	credit := make(chan struct{}, window)
	done := make(chan struct{})
	go func() {
		defer close(done)
		buf := make([]byte, floorFrame)
		for range n {
			if _, err := io.ReadFull(s, buf); err != nil {
				panic(err)
			}
			<-credit
		}
	}()
	frame := make([]byte, floorFrame)
	for range n {
		credit <- struct{}{}
		if _, err := s.Write(frame); err != nil {
			panic(err)
		}
	}
	<-done
}

func (e *echoChildren) close() {
	for i, s := range e.socks {
		s.Close()
		e.cmds[i].Wait()
	}
}

// BenchmarkCodec compares the round trip (encode, then decode) of values
// tasks pass: gob with a fresh encoder and decoder per value, which the codec
// used to be, against the codec (encodeValue and decodeValue: a tagged fast
// path for scalars, CBOR for the rest). It is what chose the codec (see
// codec.go).
func BenchmarkCodec(b *testing.B) {
	values := []struct {
		name string
		v    any
		ptr  func() any
	}{
		{"int", 12345, func() any { return new(int) }},
		{"string", "https://example.com/page", func() any { return new(string) }},
		{"struct", benchItem{ID: 7, Name: "item-7", Tags: []string{"a", "bb", "ccc"}}, func() any { return new(benchItem) }},
	}
	for _, v := range values {
		b.Run("gob/"+v.name, func(b *testing.B) {
			for b.Loop() {
				var buf bytes.Buffer
				if err := gob.NewEncoder(&buf).Encode(v.v); err != nil {
					b.Fatal(err)
				}
				if err := gob.NewDecoder(&buf).Decode(v.ptr()); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run("codec/"+v.name, func(b *testing.B) {
			for b.Loop() {
				data, err := encodeValue(v.v)
				if err != nil {
					b.Fatal(err)
				}
				if err := decodeValue(data, v.ptr()); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
