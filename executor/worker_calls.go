package executor

import (
	"context"
	"errors"
	"fmt"
	"os"
	"slices"
	"strconv"
	"sync"
)

// How a worker process schedules the calls the pool sends it. The pool sends
// each worker calls ahead of the ones it runs (WithSendAhead), so that the
// next call already waits in the worker when the current one ends; the
// worker runs up to inFlight of them at once and keeps the rest, in order,
// until a slot is free. The pool knows which calls have started without being
// told: a call starts when a slot is free, and a slot is freed only once the
// result of the call that held it has been written to the socket, which the
// pool reads before anything else the worker writes after it. So the pool
// can give the calls still waiting in a worker that dies to another worker:
// none of them has begun.

// workerCall is a call received from the pool.
type workerCall struct {
	frame callFrame
	files []*os.File
	ctx   context.Context // set when it starts
	lost  error           // its descriptors did not arrive: it fails, unrun
}

// startCall starts the call in body, a frame that starts at stream offset
// at, or keeps it until a slot is free. A call whose descriptors were lost
// takes its turn like any other and fails with ErrFiles.
func (s *workerServer) startCall(at int64, body []byte) error {
	c, err := parseCall(body)
	if err != nil {
		return err
	}
	fds, err := s.in.take(at, c.nfds)
	var lost error
	if errors.Is(err, errFilesLost) {
		lost, err = err, nil
	}
	if err != nil {
		return err
	}
	c.payload = append([]byte(nil), c.payload...) // body is reused
	wc := &workerCall{frame: c, files: filesOf(fds), lost: lost}
	s.mu.Lock()
	defer s.mu.Unlock()
	switch {
	case s.slots < s.inFlight:
		s.slots++
		s.beginLocked(wc)
		go s.runFrom(wc)
	case s.reserved > 0:
		// A slot whose result is being written: the pool, once it reads
		// that result, counts the next call as started.
		s.reserved--
		s.beginLocked(wc)
		s.handed = append(s.handed, wc)
	default:
		s.waiting = append(s.waiting, wc)
	}
	return nil
}

// beginLocked makes wc's context, which its timeout bounds from now on.
func (s *workerServer) beginLocked(wc *workerCall) {
	var cancel context.CancelFunc
	if wc.frame.timeout > 0 {
		wc.ctx, cancel = context.WithTimeout(context.Background(), wc.frame.timeout)
	} else {
		wc.ctx, cancel = context.WithCancel(context.Background())
	}
	s.running[wc.frame.id] = cancel
}

// cancel answers a waiting call with kindCanceled without running it: for
// a cancel frame, because its future was canceled; for an unsend frame,
// because the pool gives it to an idle worker instead. A cancel frame also
// cancels the context of a call that has started, which then never runs if
// its task has not begun yet (runFrom); an unsend frame leaves it be.
func (s *workerServer) cancel(body []byte, running bool) error {
	id, err := parseCancel(body)
	if err != nil {
		return err
	}
	s.mu.Lock()
	if cancel := s.running[id]; cancel != nil {
		s.mu.Unlock()
		if running {
			cancel()
		}
		return nil
	}
	for i, wc := range s.waiting {
		if wc.frame.id == id {
			s.waiting = append(s.waiting[:i], s.waiting[i+1:]...)
			seq := s.out.queueLocked(appendResult(nil, &resultFrame{id: id, kind: kindCanceled, text: context.Canceled.Error()}))
			err := s.flushLocked(seq)
			s.mu.Unlock()
			closeFiles(wc.files)
			return err
		}
	}
	s.mu.Unlock()
	return nil // it has finished
}

// runFrom runs wc, then the calls waiting for its slot, until none waits.
func (s *workerServer) runFrom(wc *workerCall) {
	for wc != nil {
		r := resultFrame{id: wc.frame.id}
		switch err := wc.ctx.Err(); {
		case wc.lost != nil:
			r.kind, r.text = kindFiles, fmt.Sprintf("%v: task %q: %v", ErrFiles, wc.frame.name, wc.lost)
		case err != nil:
			// Its cancel frame (or its timeout) came between its turn
			// and now, while the result before it was being written:
			// it never runs.
			r.kind, r.text = notRunKind(err), err.Error()
		default:
			r.kind, r.text, r.payload = s.execute(withFiles(wc.ctx, wc.files), wc.frame)
		}
		closeFiles(wc.files)
		wc = s.finish(wc, &r)
	}
}

// notRunKind is the result kind of a call whose context ended before its
// task began: kindNotRun if it was canceled, which the pool settles as a
// cancellation, else what err's kind is (its timeout passed).
func notRunKind(err error) byte {
	if errors.Is(err, context.Canceled) {
		return kindNotRun
	}
	return errorKind(err)
}

// finish writes wc's result and returns the call that takes its slot, which
// runs only once the result is on its way, or nil if the slot is free. The
// call that takes it is the first waiting, as the pool expects; if none
// waits, the slot is reserved while the result is written for a call that
// comes meanwhile (startCall), since the pool, reading the result, counts
// the first call it sent that had to wait as started.
func (s *workerServer) finish(wc *workerCall, r *resultFrame) *workerCall {
	s.mu.Lock()
	cancel := s.running[wc.frame.id]
	delete(s.running, wc.frame.id)
	seq := s.out.queueLocked(appendResult(nil, r))
	next := s.nextLocked()
	if next == nil {
		s.reserved++
	}
	err := s.flushLocked(seq)
	if next == nil {
		if len(s.handed) > 0 {
			next = s.handed[0]
			s.handed = slices.Delete(s.handed, 0, 1)
		} else {
			s.reserved--
			s.slots--
		}
	}
	s.mu.Unlock()
	cancel()
	if err != nil {
		// The pool is gone or has given up on this worker.
		fmt.Fprintf(os.Stderr, "executor: worker: send result: %v\n", err)
		os.Exit(2)
	}
	return next
}

// nextLocked takes the first waiting call and begins it, or returns nil.
func (s *workerServer) nextLocked() *workerCall {
	if len(s.waiting) == 0 {
		return nil
	}
	wc := s.waiting[0]
	s.waiting[0] = nil
	s.waiting = s.waiting[1:]
	if len(s.waiting) == 0 {
		s.waiting = s.waiting[:0:0] // let the backing array go
	}
	s.beginLocked(wc)
	return wc
}

func filesOf(fds []int) []*os.File {
	if len(fds) == 0 {
		return nil
	}
	files := make([]*os.File, len(fds))
	for i, fd := range fds {
		files[i] = os.NewFile(uintptr(fd), "executor-file-"+strconv.Itoa(i))
	}
	return files
}

// closeFiles closes the files of a call that the task left open, so that a
// worker never accumulates descriptors.
func closeFiles(files []*os.File) {
	for _, f := range files {
		f.Close()
	}
}

// resultOut is the worker's outgoing frames. Whoever needs a frame written
// queues it and writes everything queued, unless another goroutine is
// writing, whose next write takes it (flat combining); either way it waits
// until its frame is out. workerServer.mu guards it.
type resultOut struct {
	buf, spare []byte
	queued     uint64 // frames queued, ever
	sent       uint64 // frames written, ever
	writing    bool
	err        error     // the first write error
	written    sync.Cond // broadcast after each write
}

// queueLocked queues frame and returns its number.
func (o *resultOut) queueLocked(frame []byte) uint64 {
	o.buf = append(o.buf, frame...)
	o.queued++
	return o.queued
}

// flushLocked returns once frame seq has been written, or a write has
// failed. It unlocks s.mu while it writes or waits.
func (s *workerServer) flushLocked(seq uint64) error {
	o := &s.out
	for o.sent < seq && o.err == nil {
		if o.writing {
			o.written.Wait()
			continue
		}
		o.writing = true
		out, upto := o.buf, o.queued
		o.buf = o.spare[:0]
		s.mu.Unlock()
		_, err := s.conn.Write(out)
		s.mu.Lock()
		o.writing, o.err, o.sent = false, err, upto
		if cap(out) <= keepFrameBuf {
			o.spare = out[:0]
		} else {
			o.spare = nil
		}
		o.written.Broadcast()
	}
	return o.err
}

// send writes frame and returns the first write error.
func (s *workerServer) send(frame []byte) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.flushLocked(s.out.queueLocked(frame))
}
