//go:build unix

package echo

import (
	"io"
	"os"
	"syscall"
	"unsafe"
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
		n, err := readNonblock(fd, *r.buf)
		switch err {
		case 0:
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

// readNonblock is read(2) on a non-blocking descriptor into a non-empty p.
// It is a raw system call, without syscall.Read's telling the scheduler
// that the goroutine may block (entersyscall and exitsyscall, paid twice a
// round trip: the read of the message and the one that finds nothing),
// which is sound because a read of a non-blocking socket never waits: it
// copies what is queued, at most len(p) bytes, or fails with EAGAIN at once.
func readNonblock(fd uintptr, p []byte) (int, syscall.Errno) {
	n, _, errno := syscall.RawSyscall(syscall.SYS_READ, fd, uintptr(unsafe.Pointer(&p[0])), uintptr(len(p)))
	return int(n), errno
}
