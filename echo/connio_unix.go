//go:build unix

package echo

import (
	"io"
	"os"
	"syscall"
)

// rawIO says that connIO reads and writes sockets itself here.
const rawIO = true

// readFd is connIO's syscall.RawConn.Read callback: it reads fd (which the
// runtime keeps non-blocking) into a borrowed buffer and reports done, or,
// when no data is there, puts the buffer back and reports not done, so that
// the runtime parks the goroutine until fd is readable.
func (r *connIO) readFd(fd uintptr) bool {
	if r.buf == nil {
		r.buf = r.pool.Get().(*[]byte)
	}
	for {
		n, err := syscall.Read(int(fd), *r.buf)
		switch err {
		case nil:
			r.n = int32(n)
			if n == 0 {
				r.err = io.EOF
			}
			return true
		case syscall.EINTR:
			continue
		case syscall.EAGAIN:
			r.release()
			return false
		}
		r.err = os.NewSyscallError("read", err)
		return true
	}
}

// writeFd is connIO's syscall.RawConn.Write callback: it writes the rest of
// the echo to fd and reports done, or, when the socket has no room, moves
// the write deadline at least the write timeout ahead and reports not done,
// so that the runtime parks the goroutine until fd is writable or the
// deadline passes.
func (r *connIO) writeFd(fd uintptr) bool {
	p := (*r.buf)[:r.n]
	for int(r.off) < len(p) {
		n, err := syscall.Write(int(fd), p[r.off:])
		switch err {
		case nil:
			if n == 0 {
				r.err = io.ErrShortWrite
				return true
			}
			r.off += int32(n)
			continue
		case syscall.EINTR:
			continue
		case syscall.EAGAIN:
			r.wdl.refresh(r.c.SetWriteDeadline)
			return false
		}
		r.err = os.NewSyscallError("write", err)
		return true
	}
	return true
}
