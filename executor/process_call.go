package executor

import (
	"context"
	"errors"
	"fmt"
	"os"
	"sync/atomic"
	"time"
)

// procTask is a call on a ProcessPool, whatever its result type.
type procTask interface {
	req() *callReq
	// begin moves the future to running. It reports false if the future
	// was canceled, or if its WithContext context has ended: then the
	// context's AfterFunc, registered once the call is queued, cancels it.
	begin(stop func()) bool
	// deliver settles the future with a worker's result.
	deliver(r *resultFrame)
	// failRunning settles a running call's future with err.
	failRunning(err error)
	// reject settles a call that never ran with err.
	reject(err error)
	// cancelQueued cancels the future of a call still in the queue.
	cancelQueued() bool
	// whenCanceled arranges for fn to run if the future is canceled
	// (at once if it has been).
	whenCanceled(fn func())
}

// callReq is the part of a call that does not depend on its result type.
type callReq struct {
	pool    *ProcessPool
	ctx     context.Context // the WithContext context, if it can end; else nil
	name    string
	payload []byte // the encoded argument, until sent
	timeout time.Duration
	files   atomic.Pointer[[]int] // dups of the WithFiles files, until sent
	counted atomic.Bool           // its end has been counted in Stats
	// timedOut is set when its timeout passed: from then on it fails with
	// a timeout error, even if the worker's answer to the cancel that
	// follows (context.Canceled) arrives first.
	timedOut atomic.Bool

	// Guarded by pool.mu.
	id    uint64
	w     *procWorker // the worker running it
	timer *time.Timer // its timeout, then its grace period
}

// takeFiles takes ownership of the call's descriptors (nil if taken).
func (r *callReq) takeFiles() []int {
	if fds := r.files.Swap(nil); fds != nil {
		return *fds
	}
	return nil
}

// releaseFiles closes the call's descriptors unless they were taken.
func (r *callReq) releaseFiles() { closeFDs(r.takeFiles()) }

// procCall is a call whose future has result type R.
type procCall[R any] struct {
	callReq
	f *Future[R]
}

func (c *procCall[R]) req() *callReq { return &c.callReq }

func (c *procCall[R]) begin(stop func()) bool {
	if c.ctx != nil && c.ctx.Err() != nil {
		return false
	}
	return c.f.start(stop)
}

func (c *procCall[R]) deliver(r *resultFrame) {
	var v R
	var err error
	if c.timedOut.Load() {
		err = &timeoutError{after: c.timeout}
	} else if r.kind == kindNotRun {
		c.notRun()
		return
	} else if r.kind == kindOK {
		if derr := decodeValue(r.payload, &v); derr != nil {
			err = fmt.Errorf("executor: task %q: result: %w", c.name, derr)
		}
	} else {
		err = remoteErr(c.name, c.timeout, r)
	}
	c.finish(v, err)
}

// notRun fails a running call that its worker dropped, its cancellation
// having come before its task began, with its WithContext context's own
// error, or context.Canceled (Cancel, or its timeout's cancellation).
func (c *procCall[R]) notRun() {
	err := context.Canceled
	if c.ctx != nil && c.ctx.Err() != nil {
		err = c.ctx.Err()
	}
	c.failRunning(fmt.Errorf("executor: task %q: canceled before it began: %w", c.name, err))
}

func (c *procCall[R]) failRunning(err error) {
	var zero R
	c.finish(zero, err)
}

// finish counts the call's end and settles its future, once.
func (c *procCall[R]) finish(v R, err error) {
	if c.counted.CompareAndSwap(false, true) {
		c.pool.st.finished(err)
		c.f.settle(v, err)
	}
}

func (c *procCall[R]) reject(err error) {
	c.releaseFiles()
	var zero R
	c.f.settle(zero, err)
}

func (c *procCall[R]) cancelQueued() bool { return c.f.Cancel() }

func (c *procCall[R]) whenCanceled(fn func()) {
	c.f.AddDoneCallback(func(f *Future[R]) {
		if f.Err() == context.Canceled { // set so only by Cancel
			fn()
		}
	})
}

// callProcess is Call on a ProcessPool: it checks and encodes the call, then
// queues it for a worker.
func callProcess[A, R any](p *ProcessPool, t Task[A, R], arg A, opts []CallOption) *Future[R] {
	if p == nil {
		return failedFuture[R](errors.New("executor: Call on a nil *ProcessPool"))
	}
	cfg := newCallConfig(opts)
	c := &procCall[R]{f: newFuture[R]()}
	c.pool, c.name, c.timeout = p, t.name, cfg.timeout
	if err := c.prepare(arg, cfg.files); err != nil {
		p.st.rejected.Add(1)
		return failedFuture[R](err)
	}
	f := c.f
	f.counters = &p.st
	if len(cfg.files) > 0 {
		// A call canceled in the queue lets go of its descriptors at once.
		f.AddDoneCallback(func(*Future[R]) { c.releaseFiles() })
	}
	if cfg.ctx.Done() == nil {
		p.submit(cfg.ctx, c)
		return f
	}
	c.ctx = cfg.ctx
	p.submit(cfg.ctx, c)
	// Only a call the pool took can be canceled: a submit that gave up on
	// a full queue has failed already with ctx's error, counted as
	// rejected, as on a ThreadPool.
	stop := context.AfterFunc(cfg.ctx, func() { f.Cancel() })
	f.AddDoneCallback(func(*Future[R]) { stop() })
	return f
}

// prepare checks the task's name, encodes arg and duplicates files.
func (r *callReq) prepare(arg any, files []*os.File) error {
	switch {
	case r.name == "":
		return fmt.Errorf("%w: a Func has no name and cannot run in a worker process: make the task with Register", ErrUnknownTask)
	case len(r.name) > maxTaskName:
		return fmt.Errorf("%w: task name of %d bytes, over %d", ErrUnknownTask, len(r.name), maxTaskName)
	}
	if _, ok := lookupTask(r.name); !ok {
		return fmt.Errorf("%w: %q is not registered", ErrUnknownTask, r.name)
	}
	payload, err := encodeValue(arg)
	if err != nil {
		return fmt.Errorf("executor: task %q: argument: %w", r.name, err)
	}
	if len(payload) > r.pool.cfg.maxFrame {
		return fmt.Errorf("%w: task %q: argument is %d bytes encoded, over the %d-byte frame limit (WithMaxFrame)",
			ErrEncode, r.name, len(payload), r.pool.cfg.maxFrame)
	}
	r.payload = payload
	if len(files) == 0 {
		return nil
	}
	fds, err := dupFiles(files)
	if err != nil {
		return fmt.Errorf("%w: task %q: %w", ErrFiles, r.name, err)
	}
	r.files.Store(&fds)
	return nil
}

// dupFiles duplicates the descriptors of files, so that the caller may close
// its files once Call returns while the call waits in the queue.
func dupFiles(files []*os.File) ([]int, error) {
	if len(files) > maxFrameFDs {
		return nil, fmt.Errorf("WithFiles: %d files, over the limit of %d per call", len(files), maxFrameFDs)
	}
	fds := make([]int, 0, len(files))
	for i, f := range files {
		fd, err := dupFile(f)
		if err != nil {
			closeFDs(fds)
			return nil, fmt.Errorf("WithFiles: file %d: %w", i, err)
		}
		fds = append(fds, fd)
	}
	return fds, nil
}

// dupFile duplicates f's descriptor without touching f's blocking mode,
// which f.Fd would.
func dupFile(f *os.File) (int, error) {
	if f == nil {
		return -1, errors.New("nil *os.File")
	}
	rc, err := f.SyscallConn()
	if err != nil {
		return -1, fmt.Errorf("%s: %w", f.Name(), err)
	}
	fd := -1
	var dupErr error
	err = rc.Control(func(raw uintptr) {
		fd, dupErr = dupFD(raw)
	})
	if err == nil {
		err = dupErr
	}
	if err != nil {
		return -1, fmt.Errorf("%s: duplicate descriptor: %w", f.Name(), err)
	}
	return fd, nil
}
