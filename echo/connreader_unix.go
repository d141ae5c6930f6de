//go:build unix

package echo

import (
	"io"
	"os"
	"syscall"
)

// rawReads says that connReader reads sockets itself here.
const rawReads = true

// readFd is connReader's syscall.RawConn.Read callback: it reads fd (which
// the runtime keeps non-blocking) into a borrowed buffer and reports done,
// or, when no data is there, puts the buffer back and reports not done, so
// that the runtime parks the goroutine until fd is readable.
func (r *connReader) readFd(fd uintptr) bool {
	if r.buf == nil {
		r.buf = r.pool.Get().(*[]byte)
	}
	for {
		n, err := syscall.Read(int(fd), *r.buf)
		switch err {
		case nil:
			r.n = n
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
