package executor

import (
	"encoding/binary"
	"net"
	"sync"
)

// frameWriter sends a worker its frames from one goroutine (loop), so that
// nobody who queues a frame ever blocks on the socket: not a Call, and above
// all not the goroutine reading the worker's results (the worker may itself
// be blocked writing results to it). Frames queued while a write is under way
// go out together in the next one, which is what makes pipelined calls cheap.
type frameWriter struct {
	conn *net.UnixConn
	wake chan struct{} // one token: there is work
	done chan struct{} // closed when loop has returned
	// refused is told of a call whose descriptors the kernel refused to
	// send (see filesRefused): its frame was left out of the stream, which
	// goes on. loop calls it before it writes anything after that frame,
	// so it must not block: it must not settle a future here, whose
	// done-callbacks would run on the writer.
	refused func(id uint64, err error)

	mu         sync.Mutex
	segs       []outSeg // frames waiting to be written
	free       [][]byte // buffers to reuse
	closeWrite bool     // shut the write side once segs are out
	stopped    bool     // discard everything; loop returns
}

// outSeg is bytes for one sendmsg and the descriptors that go with it; the
// writer owns the descriptors and closes them once sent (the kernel holds
// its own reference while they are in flight). A segment with descriptors
// starts with the frame of the call they belong to.
type outSeg struct {
	buf  []byte
	fds  []int
	call uint64 // the id of that call
}

func newFrameWriter(conn *net.UnixConn, refused func(id uint64, err error)) *frameWriter {
	return &frameWriter{conn: conn, refused: refused, wake: make(chan struct{}, 1), done: make(chan struct{})}
}

// call queues a call frame; the writer takes ownership of fds.
func (w *frameWriter) call(c *callFrame, fds []int) {
	w.mu.Lock()
	if w.stopped {
		w.mu.Unlock()
		closeFDs(fds)
		return
	}
	s := w.segFor(len(fds))
	s.buf = appendCall(s.buf, c)
	if len(fds) > 0 {
		s.fds, s.call = fds, c.id
	}
	w.mu.Unlock()
	w.signal()
}

// cancel queues a cancel frame.
func (w *frameWriter) cancel(id uint64) {
	w.mu.Lock()
	if !w.stopped {
		s := w.segFor(0)
		s.buf = appendCancel(s.buf, id)
	}
	w.mu.Unlock()
	w.signal()
}

// unsend queues an unsend frame.
func (w *frameWriter) unsend(id uint64) {
	w.mu.Lock()
	if !w.stopped {
		s := w.segFor(0)
		s.buf = appendUnsend(s.buf, id)
	}
	w.mu.Unlock()
	w.signal()
}

// shutdownWrite shuts the socket's write side once the frames queued so far
// are out: the worker reads EOF and exits.
func (w *frameWriter) shutdownWrite() {
	w.mu.Lock()
	w.closeWrite = true
	w.mu.Unlock()
	w.signal()
}

// stop makes loop discard what is queued, close its descriptors and return.
func (w *frameWriter) stop() {
	w.mu.Lock()
	w.stopped = true
	w.mu.Unlock()
	w.signal()
}

func (w *frameWriter) signal() {
	select {
	case w.wake <- struct{}{}:
	default:
	}
}

// segFor returns the segment to append a frame with nfds descriptors to: a
// new one for a frame with descriptors, so that they go out on a sendmsg of
// their own that starts with that frame (see the frame protocol). w.mu must
// be held.
func (w *frameWriter) segFor(nfds int) *outSeg {
	if n := len(w.segs); n > 0 && nfds == 0 {
		return &w.segs[n-1]
	}
	var buf []byte
	if n := len(w.free); n > 0 {
		buf, w.free = w.free[n-1], w.free[:n-1]
	}
	w.segs = append(w.segs, outSeg{buf: buf})
	return &w.segs[len(w.segs)-1]
}

// loop writes queued frames until stop. After a write error it discards
// frames: the worker is gone, and its reader will find out.
func (w *frameWriter) loop() {
	defer close(w.done)
	var failed, shut bool
	var segs []outSeg
	for range w.wake {
		w.mu.Lock()
		segs, w.segs = w.segs, segs[:0]
		stopped, closeWrite := w.stopped, w.closeWrite
		w.mu.Unlock()
		for i := range segs {
			if !failed && !stopped && !shut {
				failed = w.send(&segs[i]) != nil
			}
			closeFDs(segs[i].fds)
		}
		w.recycle(segs)
		if stopped {
			return
		}
		if closeWrite && !shut && !failed {
			shut = true
			w.conn.CloseWrite()
		}
	}
}

// send writes one segment, its descriptors with its first bytes. If the
// kernel refuses the descriptors (filesRefused), nothing has gone out: send
// leaves out the frame of their call, tells refused, and writes the rest.
func (w *frameWriter) send(s *outSeg) error {
	buf := s.buf
	if len(s.fds) > 0 {
		n, _, err := w.conn.WriteMsgUnix(buf, unixRights(s.fds), nil)
		switch {
		case err != nil && n == 0 && filesRefused(err):
			w.refused(s.call, err)
			buf = buf[frameHeaderLen+binary.BigEndian.Uint32(buf):]
		case err != nil:
			return err
		default:
			buf = buf[n:]
		}
	}
	if len(buf) == 0 {
		return nil
	}
	_, err := w.conn.Write(buf)
	return err
}

// recycle keeps the segments' buffers (small ones) for later frames.
func (w *frameWriter) recycle(segs []outSeg) {
	w.mu.Lock()
	defer w.mu.Unlock()
	for i := range segs {
		if c := cap(segs[i].buf); c > 0 && c <= keepFrameBuf && len(w.free) < 4 {
			w.free = append(w.free, segs[i].buf[:0])
		}
		segs[i] = outSeg{}
	}
}
