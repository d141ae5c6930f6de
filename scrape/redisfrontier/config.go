package redisfrontier

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"os"
	"time"
)

// Config tunes a Frontier; the zero value of each field means its default.
type Config struct {
	// LeaseTimeout: a lease (or host slot) not renewed for this long is
	// handed out again [30s]. The process renews its own every third of it.
	LeaseTimeout time.Duration
	// MaxOutage is how long calls retry while Redis is unreachable before
	// failing with ErrUnavailable [1m].
	MaxOutage time.Duration
	// ScanLimit is how many queue entries one Pop looks at [512].
	ScanLimit int
	// Process is this process's name in the job [host-pid-random].
	Process string
	// OnRetry, if not nil, is told once per outage of Redis, of the first
	// error retried: an outage begins with a call failing with a retryable
	// error (the network, a server loading or failing over) and ends with
	// the next call of this Frontier (or its Gate) that succeeds. Errors in
	// the second after an outage ends (pooled connections it cut) are taken
	// for its tail: they are retried, and reported only if Redis is still
	// unreachable after that second.
	OnRetry func(err error)
	// OnReconnect, if not nil, is told when an outage that OnRetry reported
	// ends, with how long it lasted.
	OnReconnect func(outage time.Duration)
	// Poll is the wait Pop returns with scrape.ErrNoneReady when nothing
	// may start here because of other processes (their leases, their host
	// slots), since they cannot wake this one: the longest the crawler
	// waits before asking again [10ms].
	Poll time.Duration
	// CountsCache is how long Counts answers from its last reading, since
	// the crawler reads them for every page's progress [100ms]; negative:
	// never cached. Progress always reads Redis.
	CountsCache time.Duration

	// renewEvery, which only tests set, is how often the process renews
	// its leases and host slots [a third of LeaseTimeout].
	renewEvery time.Duration
}

// withDefaults fills in the defaults of the zero fields.
func (c Config) withDefaults() Config {
	if c.LeaseTimeout <= 0 {
		c.LeaseTimeout = 30 * time.Second
	}
	if c.renewEvery <= 0 {
		c.renewEvery = c.LeaseTimeout / 3
	}
	if c.MaxOutage <= 0 {
		c.MaxOutage = time.Minute
	}
	if c.ScanLimit <= 0 {
		c.ScanLimit = 512
	}
	if c.Process == "" {
		host, _ := os.Hostname()
		var b [3]byte
		rand.Read(b[:])
		c.Process = fmt.Sprintf("%s-%d-%s", host, os.Getpid(), hex.EncodeToString(b[:]))
	}
	if c.Poll <= 0 {
		c.Poll = 10 * time.Millisecond
	}
	switch {
	case c.CountsCache == 0:
		c.CountsCache = 100 * time.Millisecond
	case c.CountsCache < 0:
		c.CountsCache = 0
	}
	return c
}

// GateConfig is the per-host politeness of a Gate; the zero value of each
// field means its default.
type GateConfig struct {
	// PerHost is how many requests may be in flight to one host, from all
	// processes together [1].
	PerHost int
	// Delay is the least gap between two request starts to one host; a
	// host's robots.txt Crawl-delay, if larger, wins [0].
	Delay time.Duration
	// Poll is the wait TryAcquire returns when every slot of a host is
	// taken: the releasing process may be another one, which cannot wake
	// this one [5ms].
	Poll time.Duration
}

func (c GateConfig) withDefaults() GateConfig {
	c.PerHost = max(c.PerHost, 1)
	if c.Poll <= 0 {
		c.Poll = 5 * time.Millisecond
	}
	return c
}
