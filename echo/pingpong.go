package echo

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"time"
)

// errMismatch marks a round trip whose echo differed from what was sent.
var errMismatch = errors.New("echo differs from the message sent")

// pingPong is one bench connection's message, echo buffer and latency
// histogram.
type pingPong struct {
	c    net.Conn
	msg  []byte
	echo []byte
	hist *histogram
}

func newPingPong(c net.Conn, size int, hist *histogram) *pingPong {
	msg := make([]byte, size)
	rng := rand.NewChaCha8([32]byte(binary.LittleEndian.AppendUint64(make([]byte, 24), rand.Uint64())))
	rng.Read(msg)
	return &pingPong{c: c, msg: msg, echo: make([]byte, size), hist: hist}
}

// roundTrip stamps the message with n (so a stale echo cannot pass), sends
// it, reads the echo back and checks every byte.
func (p *pingPong) roundTrip(n uint64) error {
	stamp(p.msg, n)
	t0 := time.Now()
	if err := p.exchange(); err != nil {
		return err
	}
	p.hist.record(time.Since(t0))
	if !bytes.Equal(p.msg, p.echo) {
		return fmt.Errorf("%w: first difference at byte %d of %d", errMismatch, firstDiff(p.msg, p.echo), len(p.msg))
	}
	return nil
}

// exchange writes the message and reads as many bytes back; a large message
// is written concurrently with the reading.
func (p *pingPong) exchange() error {
	if len(p.msg) <= concurrentWriteAbove {
		if _, err := p.c.Write(p.msg); err != nil {
			return fmt.Errorf("write: %w", err)
		}
		return readEcho(p.c, p.echo)
	}
	werr := make(chan error, 1)
	go func() {
		_, err := p.c.Write(p.msg)
		werr <- err
	}()
	rerr := readEcho(p.c, p.echo)
	if rerr != nil {
		p.c.Close() // unblock the writer
	}
	if err := <-werr; err != nil {
		return fmt.Errorf("write: %w", err)
	}
	return rerr
}

func readEcho(c net.Conn, buf []byte) error {
	if n, err := io.ReadFull(c, buf); err != nil {
		return fmt.Errorf("read echo (%d of %d bytes): %w", n, len(buf), err)
	}
	return nil
}

// stamp writes n over the first bytes of msg.
func stamp(msg []byte, n uint64) {
	var b [8]byte
	binary.LittleEndian.PutUint64(b[:], n)
	copy(msg, b[:])
}

func firstDiff(a, b []byte) int {
	for i := range min(len(a), len(b)) {
		if a[i] != b[i] {
			return i
		}
	}
	return min(len(a), len(b))
}
