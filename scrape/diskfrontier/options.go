package diskfrontier

import "time"

// Option configures Open.
type Option func(*options)

type options struct {
	syncInterval time.Duration
	popBatch     int
	ackBatch     int
	lockTimeout  time.Duration
}

func defaultOptions() options {
	return options{syncInterval: time.Second, popBatch: 64, ackBatch: 64, lockTimeout: time.Second}
}

// SyncInterval sets how often commits are fsync'd [1s]. A process crash
// loses nothing whatever the interval; a power loss may lose this much.
func SyncInterval(d time.Duration) Option {
	return func(o *options) {
		if d >= 0 {
			o.syncInterval = d
		}
	}
}

// PopBatch sets how many URLs one Pop transaction leases ahead [64].
func PopBatch(n int) Option {
	return func(o *options) {
		if n > 0 {
			o.popBatch = n
		}
	}
}

// AckBatch sets how many acks are held before they are written [64].
func AckBatch(n int) Option {
	return func(o *options) {
		if n > 0 {
			o.ackBatch = n
		}
	}
}

// LockTimeout sets how long Open waits for another process to release the
// folder before failing with ErrLocked [1s].
func LockTimeout(d time.Duration) Option {
	return func(o *options) {
		if d > 0 {
			o.lockTimeout = d
		}
	}
}
