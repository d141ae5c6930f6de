package executor

import (
	"context"
	"errors"
	"runtime"
	"runtime/debug"
	"sync"
	"time"
)

// ThreadPool runs tasks on at most a fixed number of goroutines. Its zero
// value is not usable: make one with NewThreadPool.
//
// Worker goroutines are started on demand. A worker that finds the queue
// empty parks, and Submit hands the next task to a parked worker before it
// starts a goroutine, so that tasks run on goroutines whose stacks have
// already grown; a worker parked for ThreadIdleTimeout exits, so an idle pool
// soon holds no goroutines and needs no Close, though Shutdown is how to wait
// for the tasks it still has (and makes parked workers exit at once).
type ThreadPool struct {
	workers int
	cfg     queueConfig
	ctx     context.Context // parent of every task's context
	stopAll context.CancelFunc
	own     ownContexts // running tasks' WithContext contexts: stopAll ends them too
	st      counters
	wg      sync.WaitGroup // worker goroutines not yet returned

	mu     sync.Mutex
	queue  ring[threadTask]
	active int           // workers running a task or parked
	closed bool          // Shutdown began
	idle   chan struct{} // closed when closed and no worker is active
	room   roomSignal    // wakes submits waiting for room in a bounded queue
	park   parking       // parked workers
}

// threadTask is a queued ThreadPool task: a *Future[T] of some T.
type threadTask interface {
	run(p *ThreadPool)
	reject(err error)
	cancelPending() bool
}

// NewThreadPool returns a pool that runs at most workers tasks at once
// (workers <= 0: runtime.NumCPU()).
func NewThreadPool(workers int, opts ...ThreadOption) *ThreadPool {
	if workers <= 0 {
		workers = runtime.NumCPU()
	}
	ctx, cancel := context.WithCancel(context.Background())
	p := &ThreadPool{
		workers: workers,
		cfg:     newThreadConfig(opts),
		ctx:     ctx,
		stopAll: cancel,
		idle:    make(chan struct{}),
	}
	p.stopAll = func() { cancel(); p.own.stop() }
	p.park = parking{timeout: ThreadIdleTimeout, reap: p.reap}
	return p
}

// Workers returns the most tasks the pool runs at once.
func (p *ThreadPool) Workers() int { return p.workers }

// Submit schedules fn on p and returns its future. fn's context ends when the
// future is canceled, when its WithTimeout passes, when the WithContext
// context ends, or when a Shutdown's context ends first. After Shutdown the
// future fails with ErrShutdown; on a full bounded queue Submit blocks or
// fails with ErrQueueFull (see WithQueueSize). A nil p or fn is a
// programming error that Submit reports the Go way for a future: the future
// fails with an error saying so, and nothing panics.
func Submit[T any](p *ThreadPool, fn func(ctx context.Context) (T, error), opts ...CallOption) *Future[T] {
	switch {
	case p == nil:
		return failedFuture[T](errors.New("executor: Submit on a nil *ThreadPool"))
	case fn == nil:
		p.st.rejected.Add(1)
		return failedFuture[T](errors.New("executor: Submit of a nil function"))
	}
	f := newFuture[T]()
	f.fn = fn
	f.counters = &p.st
	if len(opts) > 0 {
		cfg := newCallConfig(opts)
		f.timeout = cfg.timeout
		if len(cfg.files) > 0 {
			files := cfg.files
			inner := fn
			f.fn = func(ctx context.Context) (T, error) { return inner(withFiles(ctx, files)) }
		}
		if cfg.ctx != context.Background() {
			f.parent = cfg.ctx
		}
		// A task handed straight to a worker needs no AfterFunc: the
		// worker cancels it if ctx has ended (see run).
		if queued := p.submit(cfg.ctx, f); queued && cfg.ctx.Done() != nil {
			f.setUnlink(context.AfterFunc(cfg.ctx, func() { f.Cancel() }))
		}
		return f
	}
	p.submit(context.Background(), f)
	return f
}

// submit hands t to a parked or new worker, or queues it, and reports
// whether it queued it; a task it rejects is settled.
func (p *ThreadPool) submit(ctx context.Context, t threadTask) (queued bool) {
	for {
		p.mu.Lock()
		if p.closed {
			p.mu.Unlock()
			p.st.rejected.Add(1)
			t.reject(ErrShutdown)
			return false
		}
		if w := p.park.take(); w != nil {
			p.mu.Unlock()
			p.st.submitted.Add(1)
			w.wake <- t
			return false
		}
		if p.active < p.workers {
			p.active++
			p.wg.Add(1)
			p.mu.Unlock()
			p.st.submitted.Add(1)
			go p.work(t)
			return false
		}
		if p.cfg.queueSize <= 0 || p.queue.len() < p.cfg.queueSize {
			p.queue.push(t)
			p.mu.Unlock()
			p.st.submitted.Add(1)
			p.st.queued.Add(1)
			return true
		}
		if !waitForRoom(ctx, &p.mu, &p.room, p.cfg.nonBlocking, &p.st, t) {
			return false
		}
	}
}

// work runs t and then the tasks next gives it, until it gives none.
func (p *ThreadPool) work(t threadTask) {
	defer p.wg.Done()
	var w *parkedWorker
	for t != nil {
		t.run(p)
		t, w = p.next(w)
	}
}

// next returns a worker's next task: the head of the queue or, when the
// queue is empty, the task a Submit hands the worker while it is parked
// (w, made on its first park). It returns nil when the worker is to exit:
// the pool is closed and the queue empty, or the worker stayed parked for
// the idle timeout or until the pool closed, which then stopped counting it.
func (p *ThreadPool) next(w *parkedWorker) (threadTask, *parkedWorker) {
	p.mu.Lock()
	if t, ok := p.queue.pop(); ok {
		p.room.broadcast()
		p.mu.Unlock()
		p.st.queued.Add(-1)
		return t, w
	}
	if p.closed {
		p.active--
		if p.active == 0 {
			close(p.idle)
		}
		p.mu.Unlock()
		return nil, w
	}
	if w == nil {
		w = &parkedWorker{wake: make(chan threadTask, 1)}
	}
	p.park.add(w)
	p.mu.Unlock()
	return <-w.wake, w
}

// reap makes the workers parked for the idle timeout exit. The parking's
// timer calls it.
func (p *ThreadPool) reap() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.active -= p.park.expire(time.Now())
}

// Stats returns a snapshot of the pool's counters. WorkersAlive counts the
// worker goroutines running a task or parked waiting for one.
func (p *ThreadPool) Stats() Stats {
	s := p.st.snapshot()
	p.mu.Lock()
	s.WorkersAlive = p.active
	p.mu.Unlock()
	return s
}

// Shutdown stops the pool from accepting tasks and waits until every queued
// and running task has finished and every worker goroutine has returned
// (parked workers exit at once). If ctx ends first, Shutdown cancels the
// futures still queued and the contexts of the running tasks, and returns
// ctx's error without waiting for them further. Submits after Shutdown
// began fail with ErrShutdown. Shutdown may be called more than once.
//
// Shutdown called from one of the pool's own tasks, or from a done-callback
// (which runs on the pool's goroutines), waits for itself: there, give it a
// ctx that ends, or call it from another goroutine.
func (p *ThreadPool) Shutdown(ctx context.Context) error {
	p.close()
	select {
	case <-p.idle: // an idle pool shuts down cleanly even if ctx has ended
		p.wg.Wait() // only goroutines on their way out: none runs a task
		return nil
	default:
	}
	select {
	case <-p.idle:
		p.wg.Wait()
		return nil
	case <-ctx.Done():
		p.CancelPending()
		p.stopAll()
		return ctx.Err()
	}
}

// ShutdownNow is Shutdown after canceling every queued future (their Result
// is context.Canceled): Python's shutdown(cancel_futures=True). Running tasks
// are not interrupted unless ctx ends first.
func (p *ThreadPool) ShutdownNow(ctx context.Context) error {
	p.close()
	p.CancelPending()
	return p.Shutdown(ctx)
}

// CancelPending cancels every future still waiting in the queue and returns
// how many it canceled. The pool goes on accepting tasks.
func (p *ThreadPool) CancelPending() int {
	p.mu.Lock()
	var pending []threadTask
	for {
		t, ok := p.queue.pop()
		if !ok {
			break
		}
		pending = append(pending, t)
	}
	p.room.broadcast()
	p.mu.Unlock()
	p.st.queued.Add(-int64(len(pending)))
	n := 0
	for _, t := range pending {
		if t.cancelPending() {
			n++
		}
	}
	return n
}

func (p *ThreadPool) close() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.closed {
		return
	}
	p.closed = true
	p.active -= p.park.release()
	if p.active == 0 {
		close(p.idle)
	}
	p.room.broadcast()
}

// run executes a ThreadPool task in the calling worker goroutine.
func (f *Future[T]) run(p *ThreadPool) {
	fn, parent := f.take()
	own := parent != nil
	if !own {
		parent = p.ctx
	} else if parent.Err() != nil {
		f.Cancel() // its context ended while it was queued
		return
	}
	if f.timeout > 0 {
		f.runWithTimeout(p, fn, parent, own)
		return
	}
	f.tctx.parent = parent
	if !f.start(nil) {
		return // canceled while queued; counted by Cancel
	}
	if own {
		p.own.add(&f.tctx) // the pool's stop ends it (stopAll)
		defer p.own.remove(&f.tctx)
	}
	defer f.tctx.release()
	f.execute(p, fn, &f.tctx)
}

// take returns the task's function and its WithContext context, if any, and
// drops the future's references to them, so that a settled future keeps
// nothing the task captured alive. Only the goroutine that runs, rejects or
// takes the future off the queue calls it, once.
func (f *Future[T]) take() (func(context.Context) (T, error), context.Context) {
	fn, parent := f.fn, f.parent
	f.fn, f.parent = nil, nil
	return fn, parent
}

// runWithTimeout executes a task that has a timeout: the future fails with a
// timeout error as soon as it passes, whether or not the task returns.
func (f *Future[T]) runWithTimeout(p *ThreadPool, fn func(context.Context) (T, error), parent context.Context, own bool) {
	ctx, cancel := context.WithTimeout(parent, f.timeout)
	defer cancel()
	if !f.start(cancel) {
		return
	}
	if own {
		defer context.AfterFunc(p.ctx, cancel)()
	}
	defer context.AfterFunc(ctx, func() { f.timedOut(ctx, parent) })()
	p.st.running.Add(1)
	v, err := call(ctx, fn)
	if err != nil && isOwnDeadline(ctx, parent) {
		err = &timeoutError{after: f.timeout}
	}
	p.st.finished(err)
	f.settle(v, err)
}

func (f *Future[T]) execute(p *ThreadPool, fn func(context.Context) (T, error), ctx context.Context) {
	p.st.running.Add(1)
	v, err := call(ctx, fn)
	p.st.finished(err)
	f.settle(v, err)
}

// isOwnDeadline reports whether ctx ended by its own deadline rather than
// because parent ended.
func isOwnDeadline(ctx, parent context.Context) bool {
	return errors.Is(ctx.Err(), context.DeadlineExceeded) && parent.Err() == nil
}

// call runs fn, turning a panic into a *PanicError.
func call[T any](ctx context.Context, fn func(context.Context) (T, error)) (v T, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = &PanicError{Value: r, Stack: debug.Stack()}
		}
	}()
	return fn(ctx)
}

// timedOut settles f with a timeout error when ctx ended by its own deadline.
func (f *Future[T]) timedOut(ctx, parent context.Context) {
	if isOwnDeadline(ctx, parent) {
		var zero T
		f.settle(zero, &timeoutError{after: f.timeout})
	}
}

// reject fails a future that the pool never took.
func (f *Future[T]) reject(err error) {
	f.take()
	var zero T
	f.settle(zero, err)
}

// cancelPending cancels a future taken off the queue by CancelPending.
func (f *Future[T]) cancelPending() bool {
	f.take()
	return f.Cancel()
}
