package executor

import (
	"context"
	"errors"
)

// ProcessPool runs registered tasks in worker OS processes. (Being written.)
type ProcessPool struct{ st counters }

// NewProcessPool starts workers worker processes.
func NewProcessPool(workers int, opts ...Option) (*ProcessPool, error) {
	return nil, errors.New("executor: ProcessPool not implemented yet")
}

// Workers returns the number of worker processes.
func (p *ProcessPool) Workers() int { return 0 }

// Stats returns a snapshot of the pool's counters.
func (p *ProcessPool) Stats() Stats { return p.st.snapshot() }

// Shutdown stops the pool.
func (p *ProcessPool) Shutdown(ctx context.Context) error { return nil }

func callProcess[A, R any](p *ProcessPool, t Task[A, R], arg A, opts []CallOption) *Future[R] {
	return failedFuture[R](errors.New("executor: ProcessPool not implemented yet"))
}

// Init serves tasks in a worker process and exits; elsewhere it returns.
func Init() {}
