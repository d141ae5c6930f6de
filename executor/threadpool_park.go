package executor

import (
	"slices"
	"time"
)

// ThreadIdleTimeout is how long a ThreadPool worker that found the queue
// empty stays parked, waiting for a Submit to hand it a task, before its
// goroutine exits. A task handed to a parked worker runs on a goroutine whose
// stack has already grown, instead of starting on a new, small stack and
// growing it by copying. It is shorter than the time goleak's VerifyNone and
// VerifyTestMain wait for goroutines to end, so that a pool a test never shut
// down does not count as a leak.
const ThreadIdleTimeout = 100 * time.Millisecond

// parking holds a ThreadPool's parked workers, the one parked last at the
// end, and the timer that makes the ones parked for timeout exit. The pool's
// mutex guards it.
type parking struct {
	timeout time.Duration
	workers []*parkedWorker
	reap    func()      // the pool's reap, which calls expire
	timer   *time.Timer // calls reap
	armed   bool        // timer is set to fire
}

// parkedWorker is a worker goroutine waiting for its next task.
type parkedWorker struct {
	wake  chan threadTask // receives the worker's next task, or nil: exit
	since time.Time       // when it parked
}

// add parks w and, if the timer is not set, sets it to call reap when w's
// timeout passes.
func (k *parking) add(w *parkedWorker) {
	w.since = time.Now()
	k.workers = append(k.workers, w)
	if k.armed {
		return
	}
	k.armed = true
	if k.timer == nil {
		k.timer = time.AfterFunc(k.timeout, k.reap)
		return
	}
	k.timer.Reset(k.timeout)
}

// take unparks the worker parked last (its stack is the likeliest to be
// warm), or returns nil if none is parked. The caller sends it its task.
func (k *parking) take() *parkedWorker {
	n := len(k.workers)
	if n == 0 {
		return nil
	}
	w := k.workers[n-1]
	k.workers[n-1] = nil
	k.workers = k.workers[:n-1]
	return w
}

// expire tells the workers parked for the timeout by now to exit, sets the
// timer for the next one to, and returns how many it told.
func (k *parking) expire(now time.Time) int {
	k.armed = false
	n := 0
	for n < len(k.workers) && now.Sub(k.workers[n].since) >= k.timeout {
		k.workers[n].wake <- nil
		n++
	}
	k.workers = slices.Delete(k.workers, 0, n)
	if len(k.workers) > 0 {
		k.armed = true
		k.timer.Reset(k.timeout - now.Sub(k.workers[0].since))
	}
	return n
}

// release tells every parked worker to exit, stops the timer and returns
// how many it told.
func (k *parking) release() int {
	n := len(k.workers)
	for _, w := range k.workers {
		w.wake <- nil
	}
	k.workers = nil
	if k.timer != nil {
		k.timer.Stop()
	}
	k.armed = false
	return n
}
