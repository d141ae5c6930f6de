package echo

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"

	"github.com/poolscrape/poolscrape/executor"
)

// connResult is what a worker process reports when a connection ends: the
// bytes it moved and, if it did not end by the client's close, why.
type connResult struct {
	In, Out int64
	Err     string
}

// serveTask serves one connection in a worker process: its file descriptor
// arrives with executor.WithFiles and is rebuilt with net.FileConn.
var serveTask = executor.Register("echo.serve", serveInWorker)

func serveInWorker(ctx context.Context, o connOptions) (connResult, error) {
	files := executor.Files(ctx)
	defer func() {
		for _, f := range files {
			f.Close()
		}
	}()
	if len(files) != 1 {
		return connResult{}, fmt.Errorf("echo: serve task got %d files, want 1 connection", len(files))
	}
	c, err := net.FileConn(files[0])
	if err != nil {
		return connResult{}, fmt.Errorf("echo: rebuild connection from fd %d: %w", files[0].Fd(), err)
	}
	defer c.Close()
	files[0].Close()
	stop := context.AfterFunc(ctx, func() { c.Close() })
	defer stop()
	in, out, err := serveConn(ctx, c, o, nil)
	res := connResult{In: in, Out: out}
	if err != nil {
		res.Err = err.Error()
	}
	return res, nil
}

// processMode serves each connection in a worker process of an
// executor.ProcessPool, many connections per worker.
type processMode struct {
	srv  *Server
	pool *executor.ProcessPool
}

func newProcessMode(cfg Config, srv *Server) (*processMode, error) {
	inFlight := (cfg.MaxConns+cfg.Workers-1)/cfg.Workers + processInFlightMargin
	p, err := executor.NewProcessPool(cfg.Workers, executor.WithInFlight(inFlight))
	if err != nil {
		return nil, fmt.Errorf("echo: start %d worker processes: %w", cfg.Workers, err)
	}
	return &processMode{srv: srv, pool: p}, nil
}

// fileConn is a connection whose descriptor can be passed to a worker.
type fileConn interface {
	File() (*os.File, error)
}

// serve passes c's descriptor to the least-loaded worker and closes the
// parent's copies once Call returns (Call keeps a duplicate until the frame
// that carries it is sent, then closes that too): the worker then holds the
// only one, so a worker that dies takes its connections down with it and no
// other. A connection that cannot be passed (the parent or the worker is out
// of descriptors: executor.ErrFiles) is closed and counted as an error, and
// the accept loop backs off.
func (m *processMode) serve(c net.Conn, done func(in, out int64, err error)) {
	fc, ok := c.(fileConn)
	if !ok {
		c.Close()
		done(0, 0, fmt.Errorf("echo: process mode cannot pass a %T to a worker", c))
		return
	}
	f, err := fc.File()
	c.Close()
	if err != nil {
		m.failed(done, fmt.Errorf("echo: descriptor of connection from %s: %w", c.RemoteAddr(), err))
		return
	}
	fut := executor.Call(m.pool, serveTask, m.srv.opts, executor.WithFiles(f), executor.WithContext(m.srv.ctx))
	f.Close()
	fut.AddDoneCallback(func(fut *executor.Future[connResult]) {
		res, err := fut.Result(context.Background())
		if err == nil && res.Err != "" {
			err = errors.New(res.Err)
		}
		if outOfFiles(err) {
			m.srv.filesShort.Store(true)
		}
		done(res.In, res.Out, err)
	})
}

// failed ends a connection that never reached a worker; one that failed for
// want of descriptors makes the accept loop back off.
func (m *processMode) failed(done func(in, out int64, err error), err error) {
	if outOfFiles(err) {
		m.srv.filesShort.Store(true)
	}
	done(0, 0, err)
}

func (m *processMode) shutdown(ctx context.Context) error { return m.pool.Shutdown(ctx) }

func (m *processMode) stats() executor.Stats { return m.pool.Stats() }
