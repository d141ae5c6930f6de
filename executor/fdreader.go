package executor

import (
	"errors"
	"fmt"
	"io"
	"net"
	"syscall"
)

// errFilesLost is a call whose descriptors the worker could not receive
// (it is out of descriptors): that call fails, the connection goes on.
var errFilesLost = errors.New("descriptors lost")

// fdReader reads a Unix socket with recvmsg and queues, in order, the file
// descriptors that arrive with SCM_RIGHTS. It is a worker's view of its
// socket: calls bring descriptors, and the frame says how many to take.
//
// It counts the stream's bytes, so that a call frame can tell the
// descriptors that came with or before its first byte from those that came
// after, and whether a read that brought its first byte lost descriptors.
type fdReader struct {
	conn *net.UnixConn
	oob  []byte
	off  int64      // bytes read so far
	fds  []queuedFD // received, not yet taken
	lost []span     // reads that lost descriptors, oldest first
	// lostNext: a recvmsg failed for want of descriptors, which the
	// bytes of the next read have lost.
	lostNext bool
}

type queuedFD struct {
	fd int
	at int64 // stream offset of the first byte of the read it came with
}

// span is the stream offsets [start, end) of one read.
type span struct{ start, end int64 }

// Bounds on what a broken or hostile peer can make a worker hold: the
// descriptors received ahead of their frames, and the reads that lost
// descriptors and are not yet behind the frame being parsed.
const (
	maxQueuedFDs = 1 << 14
	maxLostReads = 1 << 10
	// maxLostRetries bounds the failed recvmsg calls in a row that one
	// Read retries.
	maxLostRetries = 1 << 10
)

func newFDReader(conn *net.UnixConn) *fdReader {
	return &fdReader{conn: conn, oob: make([]byte, oobSpace(maxFrameFDs))}
}

// Read reads bytes, keeping any descriptors that come with them and noting
// a read that lost some.
func (r *fdReader) Read(p []byte) (int, error) {
	for retries := 0; ; retries++ {
		n, oobn, flags, _, err := r.conn.ReadMsgUnix(p, r.oob)
		if errors.Is(err, io.EOF) {
			err = io.EOF // ReadMsgUnix wraps it, unlike Read
		}
		if n == 0 && descriptorsLost(err) && retries < maxLostRetries {
			// macOS and the BSDs drop the descriptors and keep the
			// bytes for the next recvmsg.
			r.lostNext = true
			continue
		}
		start := r.off
		r.off += int64(n)
		if oobn > 0 {
			fds, perr := parseRights(r.oob[:oobn])
			for _, fd := range fds {
				r.fds = append(r.fds, queuedFD{fd: fd, at: start})
			}
			if perr != nil && err == nil {
				err = perr
			}
		}
		if n > 0 && (r.lostNext || flags&msgCtrunc != 0) {
			r.lostNext = false
			r.lost = append(r.lost, span{start, r.off})
		}
		if err == nil && len(r.fds) > maxQueuedFDs {
			err = fmt.Errorf("%w: %d descriptors queued ahead of their frames", errBadFrame, len(r.fds))
		}
		if err == nil && len(r.lost) > maxLostReads {
			err = fmt.Errorf("%w: %d reads lost descriptors ahead of their frames", errBadFrame, len(r.lost))
		}
		return n, err
	}
}

// descriptorsLost reports a recvmsg error that means the receiver had no
// room for the descriptors sent.
func descriptorsLost(err error) bool {
	return errors.Is(err, syscall.EMFILE) || errors.Is(err, syscall.ENFILE) || errors.Is(err, syscall.EMSGSIZE)
}

// take removes the n descriptors of the call frame that starts at stream
// offset at. If the read that brought the frame's first byte lost
// descriptors and too few came with or before it, the call's descriptors
// are lost: take closes those that came and returns an error matching
// errFilesLost, and the connection goes on. Too few descriptors otherwise
// breaks the protocol (errBadFrame).
func (r *fdReader) take(at int64, n int) ([]int, error) {
	for len(r.lost) > 0 && r.lost[0].end <= at {
		r.lost = r.lost[1:]
	}
	if n == 0 {
		return nil, nil
	}
	if len(r.lost) > 0 && r.lost[0].start <= at {
		avail := 0
		for avail < len(r.fds) && avail < n && r.fds[avail].at <= at {
			avail++
		}
		if avail < n {
			closeFDs(r.pop(avail))
			return nil, fmt.Errorf("%w: %d of the call's %d descriptors arrived (is the worker out of descriptors?)",
				errFilesLost, avail, n)
		}
	}
	if n > len(r.fds) {
		return nil, fmt.Errorf("%w: call announces %d descriptors, %d arrived", errBadFrame, n, len(r.fds))
	}
	return r.pop(n), nil
}

// pop removes the first n descriptors from the queue.
func (r *fdReader) pop(n int) []int {
	if n == 0 {
		return nil
	}
	fds := make([]int, n)
	for i := range fds {
		fds[i] = r.fds[i].fd
	}
	r.fds = append(r.fds[:0], r.fds[n:]...)
	return fds
}

// closeAll closes the descriptors still queued.
func (r *fdReader) closeAll() {
	closeFDs(r.pop(len(r.fds)))
}
