package executor

import (
	"context"
	"sync"
)

// ring is a growable FIFO of tasks waiting for a worker. It is not safe for
// concurrent use: the pool's mutex guards it.
type ring[T any] struct {
	buf        []T
	head, size int
}

func (r *ring[T]) len() int { return r.size }

func (r *ring[T]) push(v T) {
	if r.size == len(r.buf) {
		r.grow()
	}
	r.buf[(r.head+r.size)%len(r.buf)] = v
	r.size++
}

// pushFront puts v at the head, to be popped next.
func (r *ring[T]) pushFront(v T) {
	if r.size == len(r.buf) {
		r.grow()
	}
	r.head = (r.head - 1 + len(r.buf)) % len(r.buf)
	r.buf[r.head] = v
	r.size++
}

// peek returns the head without popping it.
func (r *ring[T]) peek() (T, bool) {
	if r.size == 0 {
		var zero T
		return zero, false
	}
	return r.buf[r.head], true
}

func (r *ring[T]) pop() (T, bool) {
	var zero T
	if r.size == 0 {
		return zero, false
	}
	v := r.buf[r.head]
	r.buf[r.head] = zero
	r.head = (r.head + 1) % len(r.buf)
	r.size--
	return v, true
}

func (r *ring[T]) grow() {
	n := max(2*len(r.buf), 16)
	buf := make([]T, n)
	for i := range r.size {
		buf[i] = r.buf[(r.head+i)%len(r.buf)]
	}
	r.buf, r.head = buf, 0
}

// roomSignal wakes the submits waiting for room in a bounded queue. The
// pool's mutex guards it.
type roomSignal struct{ ch chan struct{} }

// wait returns a channel closed at the next broadcast.
func (r *roomSignal) wait() <-chan struct{} {
	if r.ch == nil {
		r.ch = make(chan struct{})
	}
	return r.ch
}

// broadcast wakes every submit waiting for room.
func (r *roomSignal) broadcast() {
	if r.ch != nil {
		close(r.ch)
		r.ch = nil
	}
}

// waitForRoom is a submit's answer to a full bounded queue, entered with mu
// held; it unlocks mu. It fails t with ErrQueueFull (WithNonBlocking), or
// waits until room may have been made, when it reports true (try again), or
// until ctx ends, when it fails t with ctx's error.
func waitForRoom(ctx context.Context, mu *sync.Mutex, room *roomSignal, nonBlocking bool, st *counters, t interface{ reject(error) }) bool {
	if nonBlocking {
		mu.Unlock()
		st.rejected.Add(1)
		t.reject(ErrQueueFull)
		return false
	}
	ch := room.wait()
	mu.Unlock()
	select {
	case <-ch:
		return true
	case <-ctx.Done():
		st.rejected.Add(1)
		t.reject(ctx.Err())
		return false
	}
}
