package echo

import (
	"context"
	"fmt"
	"net"

	"github.com/poolscrape/poolscrape/executor"
)

// threadMode serves each connection as a task on an executor.ThreadPool.
type threadMode struct {
	srv   *Server
	pool  *executor.ThreadPool
	conns connSet // closed when the server's context ends
}

func newThreadMode(cfg Config, srv *Server) *threadMode {
	m := &threadMode{srv: srv, pool: executor.NewThreadPool(cfg.Workers)}
	context.AfterFunc(srv.ctx, m.conns.closeAll)
	return m
}

// serve submits c; the task echoes it to the end, counting bytes live. When
// the server's context ends, c is closed, which ends its task (or, for a
// connection still queued, makes it end at once unserved). The task watches
// the server's context, not its own: the server shuts the pool down only
// after that context ended, and a task context linked to it would cost
// every idle connection two more context links.
func (m *threadMode) serve(c net.Conn, done func(in, out int64, err error)) {
	srv := m.srv
	if !m.conns.add(c) {
		done(0, 0, closedUnserved(srv, c))
		return
	}
	f := executor.Submit(m.pool, func(context.Context) (struct{}, error) {
		if srv.ctx.Err() != nil {
			return struct{}{}, closedUnserved(srv, c)
		}
		_, _, err := serveConn(srv.ctx, c, srv.opts, &srv.st.traffic)
		return struct{}{}, err
	})
	f.AddDoneCallback(func(f *executor.Future[struct{}]) {
		m.conns.remove(c)
		c.Close()
		done(0, 0, f.Err())
	})
}

// closedUnserved is the error of a connection closed by the server before
// it was served.
func closedUnserved(srv *Server, c net.Conn) error {
	return fmt.Errorf("echo: connection from %s closed by the server before it was served: %w", c.RemoteAddr(), context.Cause(srv.ctx))
}

func (m *threadMode) shutdown(ctx context.Context) error { return m.pool.Shutdown(ctx) }

func (m *threadMode) stats() executor.Stats { return m.pool.Stats() }
