package executor

import (
	"context"
	"slices"
	"sync"
	"time"
)

// taskContext is the context a ThreadPool task runs with when it has no
// timeout. It lives inside the task's Future, so running a task allocates no
// context, and it makes its Done channel, and links itself to its parent,
// only when the task asks for Done: most tasks never do.
type taskContext struct {
	parent context.Context
	mu     sync.Mutex
	done   chan struct{}
	err    error
	unlink func() bool  // stops the parent's AfterFunc
	afters []*afterFunc // what AfterFunc registered, run when it ends
}

// afterFunc is one function registered with taskContext.AfterFunc.
type afterFunc struct{ f func() }

var closedChan = func() chan struct{} {
	ch := make(chan struct{})
	close(ch)
	return ch
}()

func (c *taskContext) Deadline() (time.Time, bool) { return c.parent.Deadline() }

func (c *taskContext) Value(key any) any { return c.parent.Value(key) }

func (c *taskContext) Done() <-chan struct{} {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.done != nil {
		return c.done
	}
	if c.err != nil {
		c.done = closedChan
		return c.done
	}
	c.done = make(chan struct{})
	if c.parent.Done() != nil {
		parent := c.parent
		c.unlink = context.AfterFunc(parent, func() { c.cancel(context.Cause(parent)) })
	}
	return c.done
}

func (c *taskContext) Err() error {
	c.mu.Lock()
	err := c.err
	c.mu.Unlock()
	if err != nil {
		return err
	}
	if err = c.parent.Err(); err != nil {
		c.cancel(err)
	}
	return err
}

// cancel ends the context with err unless it has already ended.
func (c *taskContext) cancel(err error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.err != nil {
		return
	}
	c.err = err
	if c.done != nil && c.done != closedChan {
		close(c.done)
	}
	for _, a := range c.afters {
		go a.f()
	}
	c.afters = nil
}

// AfterFunc arranges for f to run in its own goroutine once the context
// ends, and returns what stops that, as context.AfterFunc does (which, as
// context.WithCancel, uses this method when given a task's context): no
// goroutine waits for Done meanwhile, so a long task such as a served
// connection costs none.
func (c *taskContext) AfterFunc(f func()) (stop func() bool) {
	c.Done() // link to the parent
	a := &afterFunc{f: f}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.err != nil {
		go f()
		return func() bool { return false }
	}
	c.afters = append(c.afters, a)
	return func() bool {
		c.mu.Lock()
		defer c.mu.Unlock()
		i := slices.Index(c.afters, a)
		if i < 0 {
			return false
		}
		c.afters = slices.Delete(c.afters, i, i+1)
		return true
	}
}

// release ends the context when its task returns and unlinks it from its
// parent.
func (c *taskContext) release() {
	c.cancel(context.Canceled)
	c.mu.Lock()
	unlink := c.unlink
	c.unlink = nil
	c.mu.Unlock()
	if unlink != nil {
		unlink()
	}
}

func (c *taskContext) String() string { return "executor.taskContext" }
