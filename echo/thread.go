package echo

import (
	"context"
	"fmt"
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
// connection still queued when the server closes its connections is closed
// unserved. The task watches the server's context, not its own: the server
// shuts the pool down only after that context ended, and a task context
// linked to it would cost every idle connection two more context links.
func (m *threadMode) serve(c net.Conn, done func(in, out int64, err error)) {
	srv := m.srv
	f := executor.Submit(m.pool, func(context.Context) (struct{}, error) {
		if srv.ctx.Err() != nil {
			return struct{}{}, fmt.Errorf("echo: connection from %s closed by the server before it was served: %w", c.RemoteAddr(), context.Cause(srv.ctx))
		}
		_, _, err := serveConn(srv.ctx, c, srv.opts, &srv.st.traffic)
		return struct{}{}, err
	})
	f.AddDoneCallback(func(f *executor.Future[struct{}]) {
		c.Close()
		done(0, 0, f.Err())
	})
}

func (m *threadMode) shutdown(ctx context.Context) error { return m.pool.Shutdown(ctx) }

func (m *threadMode) stats() executor.Stats { return m.pool.Stats() }
