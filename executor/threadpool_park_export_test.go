package executor

import "time"

// SetIdleTimeout sets how long p's workers stay parked (ThreadIdleTimeout
// unless a test says otherwise). Call it before the first Submit.
func SetIdleTimeout(p *ThreadPool, d time.Duration) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.park.timeout = d
}
