package diskfrontier

import "time"

// Config tunes a Frontier; the zero value of each field means its default.
type Config struct {
	// SyncInterval is how often commits are fsync'd [1s]; negative: after
	// every commit. A process crash loses nothing whatever the interval; a
	// power loss may lose this much.
	SyncInterval time.Duration
	// PopBatch is how many URLs one Pop transaction leases ahead [64].
	PopBatch int
	// AckBatch is how many acks are held before they are written [64].
	AckBatch int
	// LockTimeout is how long Open waits for another process to release
	// the folder before failing with ErrLocked [1s].
	LockTimeout time.Duration
}

// withDefaults fills in the defaults of the zero fields.
func (c Config) withDefaults() Config {
	switch {
	case c.SyncInterval == 0:
		c.SyncInterval = time.Second
	case c.SyncInterval < 0:
		c.SyncInterval = 0
	}
	if c.PopBatch <= 0 {
		c.PopBatch = 64
	}
	if c.AckBatch <= 0 {
		c.AckBatch = 64
	}
	if c.LockTimeout <= 0 {
		c.LockTimeout = time.Second
	}
	return c
}
