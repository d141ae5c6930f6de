package echo

import (
	"context"
	"errors"
	"fmt"
	"net"
	"syscall"
	"time"

	"github.com/poolscrape/poolscrape/executor"
)

// acceptLoop accepts connections on ln and dispatches them until ln fails
// for good or is closed. Temporary errors, above all running out of file
// descriptors, back off from 5ms doubling to 1s (as net/http does) instead of
// spinning: the pending connection waits in the listen backlog until a
// descriptor is free.
func (s *Server) acceptLoop(ctx context.Context, ln net.Listener) error {
	var delay time.Duration
	for {
		c, err := ln.Accept()
		if err != nil {
			if s.isClosing() {
				return ErrServerClosed
			}
			if ctx.Err() != nil {
				return ctx.Err()
			}
			if !isTemporary(err) {
				return fmt.Errorf("echo: accept on %s: %w", ln.Addr(), err)
			}
			s.st.errors.Add(1)
			delay = nextBackoff(delay)
			s.backOff(ctx, delay)
			continue
		}
		s.dispatch(c)
		// In process mode accept does not run out of descriptors, the
		// workers do: a connection they could not take says so, and the
		// loop backs off as if accept had failed.
		if s.filesShort.Swap(false) {
			delay = nextBackoff(delay)
			s.backOff(ctx, delay)
		} else {
			delay = 0
		}
	}
}

// backOff sleeps d before the next accept, counting it.
func (s *Server) backOff(ctx context.Context, d time.Duration) {
	s.backoffs.Add(1)
	s.sleep(ctx, d)
}

// nextBackoff doubles d within [acceptBackoffStart, acceptBackoffMax].
func nextBackoff(d time.Duration) time.Duration {
	if d == 0 {
		return acceptBackoffStart
	}
	return min(2*d, acceptBackoffMax)
}

// outOfFiles reports an error that says a process ran out of descriptors.
func outOfFiles(err error) bool {
	return errors.Is(err, syscall.EMFILE) || errors.Is(err, syscall.ENFILE) || errors.Is(err, executor.ErrFiles)
}

// isTemporary reports whether an accept error is worth retrying: out of
// file descriptors or kernel memory, or an aborted handshake.
func isTemporary(err error) bool {
	for _, errno := range []syscall.Errno{syscall.EMFILE, syscall.ENFILE, syscall.ENOBUFS,
		syscall.ENOMEM, syscall.ECONNABORTED, syscall.EINTR, syscall.EAGAIN} {
		if errors.Is(err, errno) {
			return true
		}
	}
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout()
}

// dispatch refuses c if MaxConns connections are open, else hands it to the
// pool and counts it until it ends.
func (s *Server) dispatch(c net.Conn) {
	if s.st.active.Add(1) > int64(s.cfg.MaxConns) {
		s.st.active.Add(-1)
		s.st.refused.Add(1)
		c.Close()
		return
	}
	s.st.accepted.Add(1)
	s.conns.Add(1)
	s.pool.serve(c, s.finished)
}

// finished counts the end of a connection.
func (s *Server) finished(in, out int64, err error) {
	s.st.add(in, out)
	if err != nil {
		s.st.errors.Add(1)
	}
	s.st.active.Add(-1)
	s.conns.Done()
}
