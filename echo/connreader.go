package echo

import (
	"net"
	"sync"
	"syscall"
)

// connReader reads a connection into an echo buffer that it borrows from
// bufPools only while data flows: where the system allows (Unix), it reads
// the socket itself through syscall.RawConn and, once a read would block,
// puts the buffer back before it parks waiting for the socket to become
// readable, so an idle connection holds no buffer. The connection's read
// deadline and closing still end that wait. Elsewhere, or for a net.Conn
// with no descriptor, it reads with c.Read into a buffer it keeps.
type connReader struct {
	c    net.Conn
	rc   syscall.RawConn // nil: read with c.Read
	pool *sync.Pool      // of its buffers (bufPool)
	buf  *[]byte         // borrowed, or nil
	fn   func(fd uintptr) bool
	n    int   // what the last readFd read
	err  error // and the error it met
}

// newConnReader reads c with size-byte buffers.
func newConnReader(c net.Conn, size int) *connReader {
	r := &connReader{c: c, pool: bufPool(size)}
	if sc, ok := c.(syscall.Conn); ok && rawReads {
		if rc, err := sc.SyscallConn(); err == nil {
			r.rc = rc
			r.fn = r.readFd
		}
	}
	return r
}

// read waits for data and returns what it read, valid until the next read
// or release; io.EOF once the client has half-closed.
func (r *connReader) read() ([]byte, error) {
	if r.rc == nil {
		if r.buf == nil {
			r.buf = r.pool.Get().(*[]byte)
		}
		n, err := r.c.Read(*r.buf)
		return (*r.buf)[:n], err
	}
	r.n, r.err = 0, nil
	if err := r.rc.Read(r.fn); err != nil {
		return nil, err
	}
	return (*r.buf)[:r.n], r.err
}

// release puts back the buffer, if the reader holds one.
func (r *connReader) release() {
	if r.buf != nil {
		r.pool.Put(r.buf)
		r.buf = nil
	}
}
