package executor

import (
	"context"
	"fmt"
	"slices"
	"time"
)

// submit hands t to the least-loaded worker with room, or queues it. A
// bounded queue holds the calls waiting in workers too: a full one makes it
// wait for room (until ctx ends) or fail with ErrQueueFull, as on a
// ThreadPool.
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
			if w := p.pickLocked(t); w != nil && (w.running < p.cfg.inFlight || p.hasRoomLocked()) {
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
		if p.hasRoomLocked() {
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

// hasRoomLocked reports whether one more call may wait: in the queue, or in
// a worker (Stats.Queued counts both).
func (p *ProcessPool) hasRoomLocked() bool {
	return p.cfg.queueSize <= 0 || p.st.queued.Load() < int64(p.cfg.queueSize)
}

// pickLocked returns the least-loaded worker that takes calls and has room
// for t, or nil. A worker has room for WithInFlight calls that it runs and
// WithSendAhead more that wait in it; a call that passes files goes only to
// a worker that starts it at once, since a call waiting in a worker that dies
// is sent again to another, and its files cannot be.
func (p *ProcessPool) pickLocked(t procTask) *procWorker {
	limit := p.cfg.inFlight + p.cfg.sendAhead
	files := t.req().files.Load() != nil
	var best *procWorker
	for _, w := range p.ready {
		if files && w.running >= p.cfg.inFlight {
			continue
		}
		if w.load < limit && (best == nil || w.load < best.load) {
			best = w
			if w.load == 0 {
				break
			}
		}
	}
	return best
}

// assignLocked sends t to w, to run at once if w has a free slot, else to
// wait in w (still pending: see startedLocked). It reports false if t's
// future was canceled meanwhile: then t is dropped, never sent.
func (p *ProcessPool) assignLocked(w *procWorker, t procTask) bool {
	r := t.req()
	now := w.running < p.cfg.inFlight
	if now && !p.beginLocked(t) {
		r.releaseFiles()
		return false
	}
	p.nextID++
	r.id, r.w = p.nextID, w
	w.calls[r.id] = t
	w.load++
	w.served++
	fds := r.takeFiles()
	w.out.call(&callFrame{id: r.id, timeout: r.timeout, nfds: len(fds), name: r.name, payload: r.payload}, fds)
	if now {
		p.startedLocked(w, t)
	} else {
		// It keeps its payload, to be sent again if w dies before it starts.
		w.ahead = append(w.ahead, t)
		p.st.queued.Add(1)
		id, out := r.id, w.out
		t.whenCanceled(func() { out.cancel(id) })
	}
	if p.cfg.maxTasks > 0 && w.served >= p.cfg.maxTasks {
		p.retireLocked(w)
	}
	return true
}

// beginLocked moves t's future to running, unless it was canceled or
// CancelPending is cancelling it.
func (p *ProcessPool) beginLocked(t procTask) bool {
	if _, ok := p.cancelling[t]; ok {
		return false
	}
	return t.begin(func() { p.sendCancel(t) })
}

// markCancellingLocked adds ts to p.cancelling, or takes them off.
func (p *ProcessPool) markCancellingLocked(ts []procTask, on bool) {
	if len(ts) > 0 && p.cancelling == nil {
		p.cancelling = map[procTask]struct{}{}
	}
	for _, t := range ts {
		if on {
			p.cancelling[t] = struct{}{}
		} else {
			delete(p.cancelling, t)
		}
	}
}

// startedLocked counts t, which has begun, as running on w, and starts its
// timeout.
func (p *ProcessPool) startedLocked(w *procWorker, t procTask) {
	r := t.req()
	w.running++
	p.st.running.Add(1)
	r.payload = nil
	if r.timeout > 0 {
		r.timer = time.AfterFunc(r.timeout, func() { p.onTimeout(t) })
	}
}

// promoteLocked starts, as w itself does, the calls waiting in w while it has
// free slots: w starts a waiting call when a result frees a slot, and the
// pool calls promoteLocked after it has read that result.
func (p *ProcessPool) promoteLocked(w *procWorker) {
	for w.running < p.cfg.inFlight && len(w.ahead) > 0 {
		t := w.ahead[0]
		w.ahead = slices.Delete(w.ahead, 0, 1)
		delete(p.stealing, t) // too late: it runs there
		p.st.queued.Add(-1)
		p.roomLocked()
		if p.beginLocked(t) {
			p.startedLocked(w, t)
			continue
		}
		// Canceled, and counted so, by the time w took it to run; its
		// cancellation is on its way to w, which drops it unless the
		// task has begun, and its result means nothing.
		w.running++
		t.req().payload = nil
		t.req().counted.Store(true)
	}
}

// aheadIndex returns where t waits in w, or -1 if it has started.
func (w *procWorker) aheadIndex(t procTask) int {
	for i, x := range w.ahead {
		if x == t {
			return i
		}
	}
	return -1
}

// requeueAheadLocked puts the calls waiting in w, which is dead and never
// started them, back at the head of the queue, in order, for other workers.
func (p *ProcessPool) requeueAheadLocked(w *procWorker) {
	for i := len(w.ahead) - 1; i >= 0; i-- {
		t := w.ahead[i]
		r := t.req()
		delete(w.calls, r.id)
		delete(p.stealing, t)
		r.w = nil
		w.load--
		p.queue.pushFront(t)
	}
	w.ahead = nil
}

// stealLocked gives idle workers calls that wait in busy ones. When the
// queue is empty and workers have free slots and nothing waiting in them, it
// asks the busiest worker for its last waiting call back (an unsend frame),
// once per free slot; a call given back goes to the head of the queue
// (complete), and one its worker started meanwhile runs there.
func (p *ProcessPool) stealLocked() {
	if p.queue.len() > 0 {
		return
	}
	free := 0
	for _, w := range p.ready {
		if len(w.ahead) == 0 {
			free += p.cfg.inFlight - w.running
		}
	}
	for free > len(p.stealing) {
		w, t := p.stealableLocked()
		if t == nil {
			return
		}
		if p.stealing == nil {
			p.stealing = map[procTask]struct{}{}
		}
		p.stealing[t] = struct{}{}
		w.out.unsend(t.req().id)
	}
}

// stealableLocked returns the last call waiting in the worker with the most
// calls waiting that the pool has not asked back yet, or nil.
func (p *ProcessPool) stealableLocked() (*procWorker, procTask) {
	var best *procWorker
	var last procTask
	most := 0
	for w := range p.workers {
		for i := len(w.ahead) - 1; i >= 0; i-- {
			if _, asked := p.stealing[w.ahead[i]]; !asked {
				if n := i + 1; n > most {
					best, last, most = w, w.ahead[i], n
				}
				break
			}
		}
	}
	return best, last
}

// aheadLocked returns the calls waiting in every worker.
func (p *ProcessPool) aheadLocked() []procTask {
	var all []procTask
	for w := range p.workers {
		all = append(all, w.ahead...)
	}
	return all
}

// fillLocked hands queued calls to workers with room.
func (p *ProcessPool) fillLocked() {
	for {
		t, ok := p.queue.peek()
		if !ok {
			break
		}
		w := p.pickLocked(t)
		if w == nil {
			break
		}
		p.queue.pop()
		p.st.queued.Add(-1)
		p.roomLocked()
		if !p.assignLocked(w, t) {
			p.busy--
		}
	}
	p.stealLocked()
	p.checkIdleLocked()
}

// complete settles the call that result r is for, and gives the worker's
// free slot to a call waiting in it and its room to a queued call. A result
// for a call the worker was not sent breaks the protocol, and so does a
// result other than kindCanceled for a call that has not started (the worker
// answers so a call canceled while it waited).
func (p *ProcessPool) complete(w *procWorker, r *resultFrame) error {
	p.mu.Lock()
	t, ok := w.calls[r.id]
	if !ok {
		p.mu.Unlock()
		return fmt.Errorf("%w: result for call %d, which the worker was not sent", errBadFrame, r.id)
	}
	waited := false
	if i := w.aheadIndex(t); i >= 0 {
		if r.kind != kindCanceled {
			p.mu.Unlock()
			return fmt.Errorf("%w: result for call %d, which the worker has not started", errBadFrame, r.id)
		}
		w.ahead = slices.Delete(w.ahead, i, i+1)
		if _, asked := p.stealing[t]; asked {
			p.givenBackLocked(w, t)
			p.mu.Unlock()
			return nil
		}
		p.st.queued.Add(-1)
		p.roomLocked()
		waited = true
	} else {
		w.running--
	}
	p.settledLocked(w, t)
	p.mu.Unlock()
	if waited {
		t.reject(context.Canceled) // its future was canceled; this never changes it
		return nil
	}
	t.deliver(r)
	return nil
}

// filesRefused fails the call id, which passes files, with ErrFiles: the
// kernel refused to send its descriptors to w (err), and w's writer left its
// frame out. It had started as soon as it was sent (a call that passes files
// is never sent ahead), so w has a free slot the pool counted taken: the
// first call waiting in w takes it, as w itself does when that call's frame
// arrives, which is after this returns. The writer calls it, so it settles
// the future on a goroutine of its own (one Shutdown waits for): a
// done-callback that blocks there holds back no frame to w.
func (w *procWorker) filesRefused(id uint64, err error) {
	p := w.p
	p.mu.Lock()
	t, ok := w.calls[id]
	if !ok || w.aheadIndex(t) >= 0 {
		p.mu.Unlock()
		return // cannot be: only a started call passes files
	}
	w.running--
	p.settledLocked(w, t)
	p.procs++ // w's reader, which counts too, outlives its writer
	p.mu.Unlock()
	failed := fmt.Errorf("%w: task %q: send its files to worker %d: %w", ErrFiles, t.req().name, w.num, err)
	go func() {
		defer p.procDone()
		t.failRunning(failed)
	}()
}

// givenBackLocked puts t, which w gave back unstarted when asked
// (stealLocked), at the head of the queue, for an idle worker.
func (p *ProcessPool) givenBackLocked(w *procWorker, t procTask) {
	r := t.req()
	delete(p.stealing, t)
	delete(w.calls, r.id)
	r.w = nil
	w.load--
	p.queue.pushFront(t)
	if w.state == workerRetiring && w.load == 0 {
		w.out.shutdownWrite()
	}
	p.fillLocked()
}

// settledLocked takes t, settled, off w and hands on what that frees: a
// retiring w left with no calls gets the end of its input, the calls
// waiting in w start in its free slots, queued calls go to workers with
// room.
func (p *ProcessPool) settledLocked(w *procWorker, t procTask) {
	p.finishedLocked(w, t)
	if w.state == workerRetiring && w.load == 0 {
		w.out.shutdownWrite()
	}
	p.promoteLocked(w)
	p.fillLocked()
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
