package executor

import "sync/atomic"

// Stats is a snapshot of a pool's counters, from Stats.
type Stats struct {
	Submitted      uint64 // tasks accepted by Submit or Call
	Queued         int64  // tasks waiting for a worker now
	Running        int64  // tasks running now
	Succeeded      uint64 // tasks that returned a nil error
	Failed         uint64 // tasks that returned an error, panicked, timed out or lost their worker
	Canceled       uint64 // futures the pool took that were canceled before their task ran
	Rejected       uint64 // submits refused: after Shutdown, to a full queue, or whose WithContext ended while they waited for room
	WorkersAlive   int    // worker goroutines or processes alive now
	WorkerRestarts uint64 // worker processes replaced after they died or retired
}

// counters are a pool's live Stats.
type counters struct {
	submitted, succeeded, failed, canceled, rejected, restarts atomic.Uint64
	queued, running                                            atomic.Int64
}

func (c *counters) snapshot() Stats {
	return Stats{
		Submitted:      c.submitted.Load(),
		Queued:         c.queued.Load(),
		Running:        c.running.Load(),
		Succeeded:      c.succeeded.Load(),
		Failed:         c.failed.Load(),
		Canceled:       c.canceled.Load(),
		Rejected:       c.rejected.Load(),
		WorkerRestarts: c.restarts.Load(),
	}
}

// finished counts a task that ran to an end with err.
func (c *counters) finished(err error) {
	c.running.Add(-1)
	if err == nil {
		c.succeeded.Add(1)
	} else {
		c.failed.Add(1)
	}
}
