//go:build unix

package echo

import (
	"io"
	"os"
	"syscall"
	"unsafe"
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
		n, err := rawSyscall(syscall.SYS_READ, fd, *r.buf)
		switch err {
		case 0:
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
		n, err := rawSyscall(syscall.SYS_WRITE, fd, p[r.off:])
		switch err {
		case 0:
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

// rawSyscall is read(2) or write(2) (trap) of a non-blocking descriptor and
// a non-empty p. It is a raw system call, without syscall.Read's and
// syscall.Write's telling the scheduler that the goroutine may block
// (entersyscall and exitsyscall, paid three times a round trip: the read of
// the message, the write of its echo and the read that finds nothing), which
// is sound because neither waits on a non-blocking socket: each copies what
// it can, at most len(p) bytes, or fails with EAGAIN at once.
func rawSyscall(trap, fd uintptr, p []byte) (int, syscall.Errno) {
	n, _, errno := syscall.RawSyscall(trap, fd, uintptr(unsafe.Pointer(&p[0])), uintptr(len(p)))
	return int(n), errno
}
