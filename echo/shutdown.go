package echo

import (
	"context"
	"errors"
	"time"
)

// Shutdown stops the server gracefully, as net/http.Server.Shutdown does: it
// closes the listeners, lets the open connections finish until ctx ends or
// the Config's DrainTimeout passes, whichever comes first, then closes the
// connections still open and shuts the pool down. It returns the context's
// error if connections had to be closed, else nil (or the pool's shutdown
// error). Serve returns ErrServerClosed once Shutdown began. Calling it
// again waits for the same end.
func (s *Server) Shutdown(ctx context.Context) error {
	s.stopAccepting()
	ctx, cancel := context.WithTimeout(ctx, s.cfg.DrainTimeout)
	defer cancel()
	drained := make(chan struct{})
	go func() {
		s.conns.Wait()
		close(drained)
	}()
	var err error
	select {
	case <-drained:
	case <-ctx.Done():
		err = ctx.Err()
	}
	s.endConns()
	if perr := s.shutdownPool(); err == nil {
		err = perr
	}
	<-drained
	return err
}

// Close closes the listeners and every open connection at once, then shuts
// the pool down. It returns the pool's shutdown error, if any.
func (s *Server) Close() error {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	err := s.Shutdown(ctx)
	if errors.Is(err, context.Canceled) {
		return nil
	}
	return err
}

// stopAccepting closes every listener and waits for the accept loops to
// return, after which no new connection starts.
func (s *Server) stopAccepting() {
	s.mu.Lock()
	if !s.closing {
		s.closing = true
		close(s.stopped)
	}
	for ln := range s.listeners {
		ln.Close()
	}
	s.mu.Unlock()
	s.accepting.Wait()
}

// shutdownPool shuts the pool down once. The connections' contexts have
// ended, so it has little to wait for; a process pool whose workers do not
// answer within a grace period is killed.
func (s *Server) shutdownPool() error {
	s.poolOnce.Do(func() {
		ctx, cancel := context.WithTimeout(context.Background(), processShutdownGrace)
		defer cancel()
		s.poolErr = s.pool.shutdown(ctx)
	})
	return s.poolErr
}

// sleep waits d, or less if the server starts closing or ctx ends.
func (s *Server) sleep(ctx context.Context, d time.Duration) {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
	case <-s.stopped:
	case <-ctx.Done():
	}
}
