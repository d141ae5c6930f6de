package executor

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"runtime"
	"sync"
	"sync/atomic"
	"time"
)

// ProcessPool runs registered tasks (see Register) in worker OS processes:
// the program's own executable started again, which Init turns into a
// worker. A task that crashes, calls os.Exit, leaks memory without bound or
// hangs past its timeout takes only its worker process down: the futures that
// worker was running fail with a *WorkerExitError, a new worker takes its
// place, and the pool goes on serving. Make one with NewProcessPool; its zero
// value is not usable.
//
// Arguments and results cross to and from the workers encoded (CBOR, with a
// fast path for scalars): their exported fields cross, named by a `cbor`
// struct tag or else a `json` one, so a field tagged `json:"-"` and not
// `cbor:"Name"` stays behind (the other side sees its zero value), as does
// one tagged `cbor:"-"`. A value in an interface (a field of type any, say)
// arrives as Go's generic types: a map or struct as map[string]any, a slice
// or array as []any, an integer as int64 (a *big.Int beyond int64's range), a
// float as float64, a time.Time as its RFC 3339 string; a map whose keys are
// not strings cannot arrive in an interface, and fails the call with
// ErrEncode. A func or chan field that does not stay behind, a struct with
// fields of which none crosses (none is exported, or every exported one stays
// behind), a value that is cyclic or nested over 10,000 levels deep, or a
// slice or map of over 2^26 elements fails the call with ErrEncode. Errors cross as their text. Open
// files cross with WithFiles.
type ProcessPool struct {
	n   int
	cfg processConfig
	exe string
	st  counters

	nextNum atomic.Int64 // worker numbers, from 1
	outMu   sync.Mutex   // one worker output line at a time

	mu         sync.Mutex
	queue      ring[procTask]           // calls waiting for a worker
	workers    map[*procWorker]struct{} // processes started and not yet reaped
	ready      []*procWorker            // workers that take calls
	alive      int                      // len(workers)
	busy       int                      // calls queued or on a worker
	procs      int                      // worker, respawn and settling (filesRefused) goroutines alive
	nextID     uint64
	closed     bool          // Shutdown began: no new calls
	stopping   bool          // workers are being stopped: no replacements
	killReason string        // if set, new workers are killed at once
	idle       chan struct{} // closed when closed and busy == 0
	idleClosed bool
	gone       chan struct{} // closed when stopping and procs == 0
	goneClosed bool
	stopCh     chan struct{} // closed when stopping begins
	room       roomSignal    // wakes submits waiting for room in a bounded queue
	// cancelling holds the calls waiting in workers that CancelPending is
	// cancelling: they must not start meanwhile.
	cancelling map[procTask]struct{}
	// stealing holds the calls waiting in busy workers that the pool has
	// asked back, for idle ones.
	stealing map[procTask]struct{}
}

// The delays between attempts to replace a worker whose replacement failed
// to start (its initializer failed, say): doubling from the first to the
// last, so that a broken worker never makes a hot loop.
const (
	respawnMinDelay = 100 * time.Millisecond
	respawnMaxDelay = 10 * time.Second
)

// NewProcessPool starts workers worker processes (workers <= 0:
// runtime.NumCPU()) and waits until each has run the WithInitializer
// initializer, if any. It fails if a worker cannot be started or its
// initializer fails, naming it; it then leaves no process behind.
//
// The program must call Init first thing in main: a worker is the program's
// own executable (os.Executable) started again with a marker in its
// environment, which Init recognises. A worker that exits without serving,
// or has not started serving within WithStartTimeout (DefaultStartTimeout),
// fails NewProcessPool with an error matching ErrWorkerStart. Where the
// system cannot run one (see ProcessPoolSupported), it fails with an error
// matching errors.ErrUnsupported.
func NewProcessPool(workers int, opts ...ProcessOption) (*ProcessPool, error) {
	if workers <= 0 {
		workers = runtime.NumCPU()
	}
	if err := processPoolSupport(); err != nil {
		return nil, err
	}
	if os.Getenv(envWorker) != "" {
		return nil, errors.New("executor: NewProcessPool in a worker process that never called executor.Init: call Init first thing in main (and in TestMain)")
	}
	cfg := newProcessConfig(opts)
	if err := checkPoolConfig(&cfg); err != nil {
		return nil, err
	}
	exe, err := os.Executable()
	if err != nil {
		return nil, fmt.Errorf("executor: find the executable to start workers from: %w", err)
	}
	p := &ProcessPool{
		n: workers, cfg: cfg, exe: exe,
		workers: map[*procWorker]struct{}{},
		idle:    make(chan struct{}),
		gone:    make(chan struct{}),
		stopCh:  make(chan struct{}),
	}
	if err := p.startAll(); err != nil {
		p.stopWorkers("NewProcessPool failed")
		<-p.gone
		return nil, fmt.Errorf("executor: start %d worker processes: %w", workers, err)
	}
	return p, nil
}

func checkPoolConfig(cfg *processConfig) error {
	if cfg.maxFrame <= 0 || cfg.maxFrame > maxFrameLimit {
		return fmt.Errorf("executor: WithMaxFrame(%d): want 1 to %d bytes", cfg.maxFrame, maxFrameLimit)
	}
	if cfg.gracePeriod < 0 {
		return fmt.Errorf("executor: WithGracePeriod(%v): want a duration >= 0", cfg.gracePeriod)
	}
	if cfg.startTimeout <= 0 {
		return fmt.Errorf("executor: WithStartTimeout(%v): want a duration > 0", cfg.startTimeout)
	}
	if cfg.initializer != "" {
		if _, ok := lookupInitializer(cfg.initializer); !ok {
			return fmt.Errorf("executor: WithInitializer: initializer %q is not registered", cfg.initializer)
		}
	}
	if cfg.stderr == nil {
		cfg.stderr = io.Discard
	}
	return nil
}

// startAll starts the first workers side by side and returns the first
// error.
func (p *ProcessPool) startAll() error {
	errs := make([]error, p.n)
	var wg sync.WaitGroup
	for i := range p.n {
		wg.Go(func() { _, errs[i] = p.startWorker() })
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

// awaitStart waits until w is ready to take calls or has died trying, for
// at most the WithStartTimeout: a worker that is neither by then is killed,
// and awaitStart returns once it is reaped.
func (p *ProcessPool) awaitStart(w *procWorker) error {
	timer := time.NewTimer(p.cfg.startTimeout)
	defer timer.Stop()
	select {
	case <-w.ready:
		return w.readyErr
	case <-timer.C:
	}
	p.mu.Lock()
	late := !w.readyDone
	if late {
		w.killLocked(fmt.Sprintf("it did not start serving within %v", p.cfg.startTimeout))
	}
	p.mu.Unlock()
	<-w.ready
	if !late || w.readyErr == nil {
		return w.readyErr
	}
	hint := ""
	if p.cfg.initializer != "" {
		hint = fmt.Sprintf(" Or does initializer %q need more time than WithStartTimeout gives it?", p.cfg.initializer)
	}
	return fmt.Errorf("%w within %v (worker %d, pid %d): does main call executor.Init() first?%s",
		ErrWorkerStart, p.cfg.startTimeout, w.num, w.cmd.Process.Pid, hint)
}

// Workers returns the number of worker processes the pool keeps. Each runs
// up to WithInFlight tasks at once.
func (p *ProcessPool) Workers() int { return p.n }

// Stats returns a snapshot of the pool's counters. WorkersAlive counts the
// worker processes alive now, which is briefly more than Workers while a
// retiring worker (WithMaxTasksPerWorker) finishes its last tasks.
func (p *ProcessPool) Stats() Stats {
	s := p.st.snapshot()
	p.mu.Lock()
	s.WorkersAlive = p.alive
	p.mu.Unlock()
	return s
}

// Shutdown stops the pool from accepting calls (later ones fail with
// ErrShutdown), waits until every queued and running call has finished, then
// lets the worker processes exit and reaps them. If ctx ends first, Shutdown
// cancels the queued futures, kills the workers (their futures fail with a
// *WorkerExitError), reaps them and returns ctx's error. Either way no worker
// process is left behind, neither running nor a zombie. Shutdown may be
// called more than once.
//
// Shutdown called from a done-callback of one of the pool's futures that
// runs on a goroutine of the pool's (the one that reads that worker's
// results, or the one that fails a call whose files were refused; see
// Future.AddDoneCallback) waits for itself: there, give it a ctx that ends,
// or call it from another goroutine.
func (p *ProcessPool) Shutdown(ctx context.Context) error {
	p.close()
	var err error
	select {
	case <-p.idle:
	default:
		select {
		case <-p.idle:
		case <-ctx.Done():
			err = ctx.Err()
			p.CancelPending()
			p.stopWorkers("Shutdown's context ended before its tasks did")
		}
	}
	p.stopWorkers("")
	select {
	case <-p.gone:
		return err
	default:
	}
	select {
	case <-p.gone:
	case <-ctx.Done():
		err = ctx.Err()
		p.stopWorkers("Shutdown's context ended before the workers exited")
		<-p.gone
	}
	return err
}

// ShutdownNow is Shutdown after canceling every queued future (their Result
// is context.Canceled): Python's shutdown(cancel_futures=True). Running tasks
// go on to their end unless ctx ends first.
func (p *ProcessPool) ShutdownNow(ctx context.Context) error {
	p.close()
	p.CancelPending()
	return p.Shutdown(ctx)
}

// CancelPending cancels every future still waiting for a worker, in the
// pool's queue or in a worker (WithSendAhead), and returns how many it
// canceled. Their tasks never run. The pool goes on
// accepting calls.
func (p *ProcessPool) CancelPending() int {
	p.mu.Lock()
	var pending []procTask
	for {
		t, ok := p.queue.pop()
		if !ok {
			break
		}
		pending = append(pending, t)
	}
	p.st.queued.Add(-int64(len(pending)))
	p.busy -= len(pending)
	p.roomLocked()
	p.checkIdleLocked()
	ahead := p.aheadLocked() // their workers drop them, once canceled
	p.markCancellingLocked(ahead, true)
	p.mu.Unlock()
	n := 0
	for _, t := range pending {
		if t.cancelQueued() {
			n++
		}
		t.req().releaseFiles()
	}
	for _, t := range ahead {
		if t.cancelQueued() {
			n++
		}
	}
	p.mu.Lock()
	p.markCancellingLocked(ahead, false)
	p.mu.Unlock()
	return n
}

// close stops the pool from accepting calls.
func (p *ProcessPool) close() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if !p.closed {
		p.closed = true
		p.roomLocked()
		p.checkIdleLocked()
	}
}

// stopWorkers stops replacing workers and closes every worker's socket, once
// its queued frames are out, so that it exits; with a reason, it kills them.
func (p *ProcessPool) stopWorkers(killReason string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if !p.stopping {
		p.stopping = true
		close(p.stopCh)
	}
	if killReason != "" && p.killReason == "" {
		p.killReason = killReason
	}
	for w := range p.workers {
		if p.killReason != "" {
			w.killLocked(p.killReason)
		} else {
			w.out.shutdownWrite()
		}
	}
	p.checkGoneLocked()
}

// procDone counts out a worker, respawn or settling goroutine.
func (p *ProcessPool) procDone() {
	p.mu.Lock()
	p.procs--
	p.checkGoneLocked()
	p.mu.Unlock()
}

func (p *ProcessPool) checkGoneLocked() {
	if p.stopping && p.procs == 0 && !p.goneClosed {
		p.goneClosed = true
		close(p.gone)
	}
}

func (p *ProcessPool) checkIdleLocked() {
	if p.closed && p.busy == 0 && !p.idleClosed {
		p.idleClosed = true
		close(p.idle)
	}
}

// roomLocked wakes the submits waiting for room in a bounded queue.
func (p *ProcessPool) roomLocked() {
	p.room.broadcast()
}

// logf writes one line of the pool's own to its stderr writer.
func (p *ProcessPool) logf(format string, args ...any) {
	line := fmt.Sprintf(format, args...) + "\n"
	p.outMu.Lock()
	defer p.outMu.Unlock()
	io.WriteString(p.cfg.stderr, line)
}
