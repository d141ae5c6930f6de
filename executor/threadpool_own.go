package executor

import (
	"context"
	"sync"
)

// ownContexts are the contexts of the running ThreadPool tasks that have a
// WithContext context of their own, so that the pool's stop (Shutdown whose
// ctx ends) still ends them, as it ends the others through the pool's
// context, without a context.AfterFunc per task.
type ownContexts struct {
	mu      sync.Mutex
	stopped bool
	running map[*taskContext]struct{}
}

// add records c, or ends it at once if the pool has stopped.
func (o *ownContexts) add(c *taskContext) {
	o.mu.Lock()
	if o.stopped {
		o.mu.Unlock()
		c.cancel(context.Canceled)
		return
	}
	if o.running == nil {
		o.running = make(map[*taskContext]struct{})
	}
	o.running[c] = struct{}{}
	o.mu.Unlock()
}

// remove forgets c: its task has returned.
func (o *ownContexts) remove(c *taskContext) {
	o.mu.Lock()
	delete(o.running, c)
	o.mu.Unlock()
}

// stop ends every context recorded, and every one added from now on.
func (o *ownContexts) stop() {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.stopped = true
	for c := range o.running {
		c.cancel(context.Canceled)
	}
	o.running = nil
}
