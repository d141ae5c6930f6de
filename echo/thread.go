package echo

import (
	"context"
	"net"

	"github.com/poolscrape/poolscrape/executor"
)

// threadMode serves each connection as a task on an executor.ThreadPool.
type threadMode struct {
	srv  *Server
	pool *executor.ThreadPool
}

func newThreadMode(cfg Config, srv *Server) *threadMode {
	return &threadMode{srv: srv, pool: executor.NewThreadPool(cfg.Workers)}
}

// serve submits c; the task echoes it to the end, counting bytes live. A
// connection still queued when the server closes is cancelled and closed
// unserved.
func (m *threadMode) serve(c net.Conn, done func(in, out int64, err error)) {
	srv := m.srv
	f := executor.Submit(m.pool, func(ctx context.Context) (struct{}, error) {
		_, _, err := serveConn(ctx, c, srv.opts, &srv.st.traffic)
		return struct{}{}, err
	}, executor.WithContext(srv.ctx))
	f.AddDoneCallback(func(f *executor.Future[struct{}]) {
		c.Close()
		done(0, 0, f.Err())
	})
}

func (m *threadMode) shutdown(ctx context.Context) error { return m.pool.Shutdown(ctx) }

func (m *threadMode) stats() executor.Stats { return m.pool.Stats() }
