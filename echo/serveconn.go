package echo

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"sync"
	"time"
)

// Errors a connection can end with. The serve loop wraps them with the
// client's address; callers branch with errors.Is.
var (
	// ErrIdleTimeout ends a connection that sent nothing for IdleTimeout.
	ErrIdleTimeout = errors.New("echo: idle timeout")
	// ErrWriteTimeout ends a connection whose echo could not be written
	// within WriteTimeout: a client that does not read.
	ErrWriteTimeout = errors.New("echo: write timeout")
)

// connOptions are what the serve loop needs from the Config; they cross to a
// worker process as the task's argument.
type connOptions struct {
	IdleTimeout  time.Duration
	WriteTimeout time.Duration
	BufferSize   int
}

// bufPools keep echo buffers by size, so that a connection borrows one only
// while data flows (see connIO).
var bufPools sync.Map // int -> *sync.Pool of *[]byte

// bufPool returns the pool of size-byte buffers.
func bufPool(size int) *sync.Pool {
	if p, ok := bufPools.Load(size); ok {
		return p.(*sync.Pool)
	}
	p, _ := bufPools.LoadOrStore(size, &sync.Pool{New: func() any {
		b := make([]byte, size)
		return &b
	}})
	return p.(*sync.Pool)
}

// serveConn echoes c until the client closes its write side, an error or a
// timeout, or c is closed. It adds the bytes it moves to live (if not nil) as
// it goes, each chunk once its echo is written, and returns the totals. A nil
// error means the client half-closed and got its whole echo. serveConn does
// not close c: the caller closes it after, and, to end the serve early, when
// ctx ends (an error after ctx ended says the server closed the connection).
func serveConn(ctx context.Context, c net.Conn, o connOptions, live *traffic) (in, out int64, err error) {
	r := newConnIO(c, o.BufferSize, o.WriteTimeout)
	defer r.release()
	idle := lazyDeadline{d: o.IdleTimeout}
	for {
		idle.refresh(c.SetReadDeadline)
		p, rerr := r.read()
		if n := len(p); n > 0 {
			w, werr := r.writeEcho()
			in += int64(n)
			out += int64(w)
			if live != nil {
				live.add(int64(n), int64(w))
			}
			if werr != nil {
				return in, out, connError(ctx, c, werr, ErrWriteTimeout)
			}
		}
		if rerr == io.EOF {
			return in, out, closeWrite(c)
		}
		if rerr != nil {
			return in, out, connError(ctx, c, rerr, ErrIdleTimeout)
		}
	}
}

// closeWrite half-closes c after the last echo, so the client reads EOF.
func closeWrite(c net.Conn) error {
	if cw, ok := c.(interface{ CloseWrite() error }); ok {
		if err := cw.CloseWrite(); err != nil && !errors.Is(err, net.ErrClosed) {
			return fmt.Errorf("echo: half-close to %s: %w", c.RemoteAddr(), err)
		}
	}
	return nil
}

// connError names what ended a connection: ctx's error if the server closed
// it, the timeout sentinel if a deadline passed, or the I/O error.
func connError(ctx context.Context, c net.Conn, err error, timeout error) error {
	if ctx.Err() != nil {
		return fmt.Errorf("echo: connection from %s closed by the server: %w", c.RemoteAddr(), context.Cause(ctx))
	}
	if errors.Is(err, os.ErrDeadlineExceeded) {
		return fmt.Errorf("echo: connection from %s: %w", c.RemoteAddr(), timeout)
	}
	return fmt.Errorf("echo: connection from %s: %w", c.RemoteAddr(), err)
}
