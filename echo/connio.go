package echo

import (
	"io"
	"net"
	"sync"
	"syscall"
	"time"
)

// connIO reads a connection into an echo buffer that it borrows from
// bufPools only while data flows, and writes the echo back from it.
//
// Where the system allows (Unix), it reads and writes the socket itself
// through syscall.RawConn. Once a read would block, it puts the buffer back
// before it parks waiting for the socket to become readable, so an idle
// connection holds no buffer; the read deadline and closing the connection
// still end that wait. A write sets the write deadline only when it has to
// wait for room in the socket, and clears it once done, so that the writes
// that do not wait, nearly all of them, read no clock and move no timer.
//
// Elsewhere, or for a net.Conn with no descriptor, it reads with c.Read into
// a buffer it keeps and writes with c.Write, the write deadline moved ahead
// (lazily) before each write.
type connIO struct {
	c    net.Conn
	rc   syscall.RawConn // nil: c.Read and c.Write
	pool *sync.Pool      // of its buffers (bufPool)
	buf  *[]byte         // borrowed, or nil
	fn   func(fd uintptr) bool
	err  error // what the last readFd or writeFd met
	wdl  lazyDeadline
	// n is what the last read read, the echo to write, and off how much
	// of it is written: int32 (a buffer is at most maxBufferSize) so that,
	// with writing, they fit in one word of what an idle connection holds.
	n, off int32
	// writing: fn writes (writeFd) rather than reads (readFd). One
	// callback for both keeps an idle connection one closure smaller.
	writing bool
}

// newConnIO reads c with size-byte buffers, and gives a write that waits for
// room at least writeTimeout (0: no bound).
func newConnIO(c net.Conn, size int, writeTimeout time.Duration) *connIO {
	r := &connIO{c: c, pool: bufPool(size), wdl: lazyDeadline{d: writeTimeout}}
	if sc, ok := c.(syscall.Conn); ok && rawIO {
		if rc, err := sc.SyscallConn(); err == nil {
			r.rc = rc
			r.fn = r.doFd
		}
	}
	return r
}

// read waits for data and returns what it read, valid until the next read
// or release; io.EOF once the client has half-closed.
func (r *connIO) read() ([]byte, error) {
	if r.rc == nil {
		if r.buf == nil {
			r.buf = r.pool.Get().(*[]byte)
		}
		n, err := r.c.Read(*r.buf)
		r.n = int32(n)
		return (*r.buf)[:n], err
	}
	r.n, r.err, r.writing = 0, nil, false
	if err := r.rc.Read(r.fn); err != nil {
		return nil, err
	}
	return (*r.buf)[:r.n], r.err
}

// writeEcho writes back all that the last read returned, completing
// partial writes; each wait for room in the socket gets at least the write
// timeout. It returns how many bytes it wrote.
func (r *connIO) writeEcho() (int, error) {
	if r.rc == nil {
		return r.writeConn()
	}
	r.off, r.err, r.writing = 0, nil, true
	err := r.rc.Write(r.fn)
	r.wdl.clear(r.c.SetWriteDeadline)
	if err != nil {
		return int(r.off), err
	}
	return int(r.off), r.err
}

// writeConn is writeEcho with c.Write.
func (r *connIO) writeConn() (int, error) {
	p := (*r.buf)[:r.n]
	done := 0
	for done < len(p) {
		r.wdl.refresh(r.c.SetWriteDeadline)
		n, err := r.c.Write(p[done:])
		done += n
		if err != nil {
			return done, err
		}
		if n == 0 {
			return done, io.ErrShortWrite
		}
	}
	return done, nil
}

// doFd is the syscall.RawConn callback: writeFd while writing, else readFd.
func (r *connIO) doFd(fd uintptr) bool {
	if r.writing {
		return r.writeFd(fd)
	}
	return r.readFd(fd)
}

// release puts back the buffer, if the connection holds one.
func (r *connIO) release() {
	if r.buf != nil {
		r.pool.Put(r.buf)
		r.buf = nil
	}
}
