package echo

import (
	"context"
	"errors"
	"fmt"
	"net"
	"sync"
	"sync/atomic"

	"github.com/poolscrape/poolscrape/executor"
)

// ErrServerClosed is returned by Serve and ListenAndServe after Shutdown or
// Close, as net/http's is.
var ErrServerClosed = errors.New("echo: server closed")

// Server is a TCP echo server whose connections are tasks on an executor
// pool. Make one with New; it is safe for concurrent use.
type Server struct {
	cfg      Config
	opts     connOptions
	pool     pool
	st       counters
	endConns context.CancelFunc // ends every connection's context
	ctx      context.Context    // parent of every connection's context

	mu        sync.Mutex
	closing   bool
	listeners map[net.Listener]struct{}
	accepting sync.WaitGroup // accept loops running
	conns     sync.WaitGroup // connections not yet finished
	stopped   chan struct{}  // closed when closing begins
	poolOnce  sync.Once
	poolErr   error

	// filesShort: a connection failed for want of descriptors since the
	// last accept (see acceptLoop).
	filesShort atomic.Bool
	backoffs   atomic.Uint64 // accept back-offs, for tests
}

// pool is how a mode serves an accepted connection.
type pool interface {
	// serve hands c to the pool; done is called exactly once when the
	// connection has ended, with what it moved (for the counters) and
	// why it ended (nil: the client closed).
	serve(c net.Conn, done func(in, out int64, err error))
	shutdown(ctx context.Context) error
	stats() executor.Stats
}

// New checks cfg and starts the server's pool (in process mode, its worker
// processes). The server does not listen until Serve or ListenAndServe; call
// Shutdown or Close to release the pool even if it never served.
func New(cfg Config) (*Server, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	cfg = cfg.withDefaults()
	ctx, cancel := context.WithCancel(context.Background())
	s := &Server{
		cfg:       cfg,
		opts:      connOptions{IdleTimeout: cfg.IdleTimeout, WriteTimeout: cfg.WriteTimeout, BufferSize: cfg.BufferSize},
		endConns:  cancel,
		ctx:       ctx,
		listeners: map[net.Listener]struct{}{},
		stopped:   make(chan struct{}),
	}
	var err error
	switch cfg.Mode {
	case ModeProcess:
		s.pool, err = newProcessMode(cfg, s)
	default:
		s.pool = newThreadMode(cfg, s)
	}
	if err != nil {
		cancel()
		return nil, err
	}
	return s, nil
}

// Config returns the server's configuration with the defaults filled in.
func (s *Server) Config() Config { return s.cfg }

// Stats returns a snapshot of the server's counters.
func (s *Server) Stats() Stats { return s.st.snapshot() }

// ListenAndServe listens on the configured TCP address and serves it until
// Shutdown, Close or ctx ends, as Serve does.
func (s *Server) ListenAndServe(ctx context.Context) error {
	var lc net.ListenConfig
	ln, err := lc.Listen(ctx, "tcp", s.cfg.Addr)
	if err != nil {
		return fmt.Errorf("echo: listen on %s: %w", s.cfg.Addr, err)
	}
	return s.Serve(ctx, ln)
}

// Serve accepts connections on ln and serves each on the pool until Shutdown
// or Close (it then returns ErrServerClosed) or ctx ends (it then closes the
// server as Close does and returns ctx's error). Serve closes ln when it
// returns. Process mode needs connections with a File method (TCP or Unix).
func (s *Server) Serve(ctx context.Context, ln net.Listener) error {
	if !s.track(ln) {
		ln.Close()
		return ErrServerClosed
	}
	stop := context.AfterFunc(ctx, func() { ln.Close() })
	err := s.acceptLoop(ctx, ln)
	stop()
	s.untrack(ln)
	s.accepting.Done()
	if ctx.Err() != nil && !s.isClosing() {
		s.Close()
		return ctx.Err()
	}
	return err
}

// track adds ln to the listeners Shutdown closes, unless closing began.
func (s *Server) track(ln net.Listener) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closing {
		return false
	}
	s.listeners[ln] = struct{}{}
	s.accepting.Add(1)
	return true
}

func (s *Server) untrack(ln net.Listener) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.listeners, ln)
	ln.Close()
}

func (s *Server) isClosing() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.closing
}

// PoolStats returns the counters of the executor pool under the server: in
// process mode, WorkersAlive and WorkerRestarts tell of worker processes
// that died and were replaced.
func (s *Server) PoolStats() executor.Stats { return s.pool.stats() }
