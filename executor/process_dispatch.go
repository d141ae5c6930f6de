package executor

import (
	"context"
	"fmt"
	"time"
)

// submit hands t to the least-loaded worker with a free slot, or queues it.
// A bounded, full queue makes it wait for room (until ctx ends) or fail with
// ErrQueueFull, as on a ThreadPool.
func (p *ProcessPool) submit(ctx context.Context, t procTask) {
	for {
		p.mu.Lock()
		if p.closed {
			p.mu.Unlock()
			p.st.rejected.Add(1)
			t.reject(ErrShutdown)
			return
		}
		if p.queue.len() == 0 {
			if w := p.pickLocked(); w != nil {
				p.st.submitted.Add(1)
				p.busy++
				dropped := !p.assignLocked(w, t)
				if dropped {
					p.busy--
				}
				p.mu.Unlock()
				return
			}
		}
		if p.cfg.queueSize <= 0 || p.queue.len() < p.cfg.queueSize {
			p.queue.push(t)
			p.busy++
			p.st.submitted.Add(1)
			p.st.queued.Add(1)
			p.mu.Unlock()
			return
		}
		if !waitForRoom(ctx, &p.mu, &p.room, p.cfg.nonBlocking, &p.st, t) {
			return
		}
	}
}

// pickLocked returns the least-loaded worker that takes calls and has a free
// slot, or nil.
func (p *ProcessPool) pickLocked() *procWorker {
	var best *procWorker
	for _, w := range p.ready {
		if w.load < p.cfg.inFlight && (best == nil || w.load < best.load) {
			best = w
			if w.load == 0 {
				break
			}
		}
	}
	return best
}

// assignLocked sends t to w. It reports false if t's future was cancelled
// meanwhile: then t is dropped, never sent.
func (p *ProcessPool) assignLocked(w *procWorker, t procTask) bool {
	r := t.req()
	if !t.begin(func() { p.sendCancel(t) }) {
		r.releaseFiles()
		return false
	}
	p.nextID++
	r.id, r.w = p.nextID, w
	w.calls[r.id] = t
	w.load++
	w.served++
	p.st.running.Add(1)
	fds := r.takeFiles()
	w.out.call(&callFrame{id: r.id, timeout: r.timeout, nfds: len(fds), name: r.name, payload: r.payload}, fds)
	r.payload = nil
	if r.timeout > 0 {
		r.timer = time.AfterFunc(r.timeout, func() { p.onTimeout(t) })
	}
	if p.cfg.maxTasks > 0 && w.served >= p.cfg.maxTasks {
		p.retireLocked(w)
	}
	return true
}

// fillLocked hands queued calls to workers with free slots.
func (p *ProcessPool) fillLocked() {
	for p.queue.len() > 0 {
		w := p.pickLocked()
		if w == nil {
			break
		}
		t, _ := p.queue.pop()
		p.st.queued.Add(-1)
		p.roomLocked()
		if !p.assignLocked(w, t) {
			p.busy--
		}
	}
	p.checkIdleLocked()
}

// complete settles the call that result r is for, and gives the worker's
// free slot to a queued call. A result for a call the worker is not running
// breaks the protocol.
func (p *ProcessPool) complete(w *procWorker, r *resultFrame) error {
	p.mu.Lock()
	t, ok := w.calls[r.id]
	if !ok {
		p.mu.Unlock()
		return fmt.Errorf("%w: result for call %d, which the worker is not running", errBadFrame, r.id)
	}
	p.finishedLocked(w, t)
	if w.state == workerRetiring && w.load == 0 {
		w.out.shutdownWrite()
	}
	p.fillLocked()
	p.mu.Unlock()
	t.deliver(r)
	return nil
}

// finishedLocked takes t off w.
func (p *ProcessPool) finishedLocked(w *procWorker, t procTask) {
	r := t.req()
	delete(w.calls, r.id)
	if r.timer != nil {
		r.timer.Stop()
		r.timer = nil
	}
	r.w = nil
	w.load--
	p.busy--
}

// sendCancel asks the worker running t to cancel its context.
func (p *ProcessPool) sendCancel(t procTask) {
	p.mu.Lock()
	defer p.mu.Unlock()
	r := t.req()
	if w := r.w; w != nil && w.calls[r.id] == t {
		w.out.cancel(r.id)
	}
}

// onTimeout fails t with a timeout error, asks its worker to cancel it, and
// gives it the grace period to return before the worker is killed.
func (p *ProcessPool) onTimeout(t procTask) {
	p.mu.Lock()
	r := t.req()
	w := r.w
	if w == nil || w.calls[r.id] != t {
		p.mu.Unlock()
		return
	}
	r.timedOut.Store(true)
	w.out.cancel(r.id)
	r.timer = time.AfterFunc(p.cfg.gracePeriod, func() { p.onGrace(t) })
	p.mu.Unlock()
	t.failRunning(&timeoutError{after: r.timeout})
}

// onGrace kills the worker still running t after its timeout and grace.
func (p *ProcessPool) onGrace(t procTask) {
	p.mu.Lock()
	defer p.mu.Unlock()
	r := t.req()
	if w := r.w; w != nil && w.calls[r.id] == t {
		w.killLocked(fmt.Sprintf("task %q ran past its timeout (%v) and grace period (%v)",
			r.name, r.timeout, p.cfg.gracePeriod))
	}
}

// retireLocked stops giving w calls and starts its replacement; w exits once
// its last call is done.
func (p *ProcessPool) retireLocked(w *procWorker) {
	w.state = workerRetiring
	p.unreadyLocked(w)
	if w.load == 0 {
		w.out.shutdownWrite()
	}
	p.replaceLocked()
}

// replaceLocked starts a goroutine that starts a new worker, unless the pool
// is stopping.
func (p *ProcessPool) replaceLocked() {
	if p.stopping {
		return
	}
	p.procs++
	p.st.restarts.Add(1)
	go p.respawn()
}

func (p *ProcessPool) unreadyLocked(w *procWorker) {
	for i, x := range p.ready {
		if x == w {
			p.ready = append(p.ready[:i], p.ready[i+1:]...)
			return
		}
	}
}

// activate makes a worker that reported ready take calls.
func (p *ProcessPool) activate(w *procWorker) {
	p.mu.Lock()
	w.readyDone = true
	if !p.stopping && w.state == workerStarting {
		w.state = workerLive
		p.ready = append(p.ready, w)
		p.fillLocked()
	}
	p.mu.Unlock()
	close(w.ready)
}

// respawn starts a worker to replace one that died or retired, retrying with
// a growing delay while starting fails, until the pool stops.
func (p *ProcessPool) respawn() {
	defer p.procDone()
	delay := respawnMinDelay
	for {
		select {
		case <-p.stopCh:
			return
		default:
		}
		_, err := p.startWorker()
		if err == nil {
			return
		}
		p.logf("executor: replacing a worker process: %v (trying again in %v)", err, delay)
		select {
		case <-time.After(delay):
		case <-p.stopCh:
			return
		}
		delay = min(2*delay, respawnMaxDelay)
	}
}
