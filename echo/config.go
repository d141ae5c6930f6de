package echo

import (
	"errors"
	"fmt"
	"runtime"
	"time"
)

// Mode says which executor pool serves the connections.
type Mode string

// The pool modes.
const (
	// ModeThread serves each connection as a task on an executor.ThreadPool.
	ModeThread Mode = "thread"
	// ModeProcess serves each connection in a worker process of an
	// executor.ProcessPool, its file descriptor passed with SCM_RIGHTS.
	// Unix only: elsewhere New fails with an error matching
	// errors.ErrUnsupported (see executor.ProcessPoolSupported).
	ModeProcess Mode = "process"
)

// ParseMode turns "thread" or "process" into a Mode.
func ParseMode(s string) (Mode, error) {
	switch m := Mode(s); m {
	case ModeThread, ModeProcess:
		return m, nil
	}
	return "", fmt.Errorf("%w: %q (want thread or process)", ErrBadMode, s)
}

// Defaults for the zero fields of a Config.
const (
	DefaultAddr           = "127.0.0.1:9999"
	DefaultThreadWorkers  = 10000
	DefaultMaxConns       = 10000
	DefaultIdleTimeout    = 60 * time.Second
	DefaultDrainTimeout   = 10 * time.Second
	DefaultWriteTimeout   = 10 * time.Second
	DefaultBufferSize     = 32 << 10
	maxBufferSize         = 16 << 20
	acceptBackoffStart    = 5 * time.Millisecond
	acceptBackoffMax      = 1 * time.Second
	processShutdownGrace  = 5 * time.Second
	processInFlightMargin = 16
)

// Config sets up a Server. Zero fields take the defaults above; negative
// durations and counts are errors (see Validate).
type Config struct {
	// Addr is where ListenAndServe listens [DefaultAddr].
	Addr string
	// Mode is the pool that serves connections [ModeThread].
	Mode Mode
	// Workers is, in thread mode, how many connections are served at once
	// (more wait in the pool's queue) [DefaultThreadWorkers]; in process
	// mode, how many worker processes serve them [runtime.NumCPU()].
	Workers int
	// MaxConns bounds the open connections in all; past it a new
	// connection is closed at once and counted as refused [DefaultMaxConns].
	MaxConns int
	// IdleTimeout closes a connection that sends nothing for that long
	// (within 1/64 more: deadlines are moved lazily, see lazyDeadline)
	// [DefaultIdleTimeout].
	IdleTimeout time.Duration
	// WriteTimeout cuts off a connection when writing its echo cannot
	// complete within it (or 1/64 more): a client that writes and never
	// reads [DefaultWriteTimeout].
	WriteTimeout time.Duration
	// DrainTimeout bounds how long Shutdown lets open connections finish
	// before it closes them, whatever its context says [DefaultDrainTimeout].
	DrainTimeout time.Duration
	// BufferSize is each connection's echo buffer in bytes
	// [DefaultBufferSize].
	BufferSize int
}

// ErrBadConfig is wrapped by every error from Config.Validate, and ErrBadMode
// by an unknown Mode, so callers can tell bad input from a failure.
var (
	ErrBadConfig = errors.New("echo: bad config")
	ErrBadMode   = fmt.Errorf("%w: unknown pool mode", ErrBadConfig)
)

// withDefaults returns c with its zero fields set to the defaults.
func (c Config) withDefaults() Config {
	if c.Addr == "" {
		c.Addr = DefaultAddr
	}
	if c.Mode == "" {
		c.Mode = ModeThread
	}
	if c.Workers == 0 {
		c.Workers = DefaultThreadWorkers
		if c.Mode == ModeProcess {
			c.Workers = runtime.NumCPU()
		}
	}
	if c.MaxConns == 0 {
		c.MaxConns = DefaultMaxConns
	}
	c.IdleTimeout = orDefault(c.IdleTimeout, DefaultIdleTimeout)
	c.WriteTimeout = orDefault(c.WriteTimeout, DefaultWriteTimeout)
	c.DrainTimeout = orDefault(c.DrainTimeout, DefaultDrainTimeout)
	if c.BufferSize == 0 {
		c.BufferSize = DefaultBufferSize
	}
	return c
}

func orDefault(d, def time.Duration) time.Duration {
	if d == 0 {
		return def
	}
	return d
}

// Validate reports the first bad field of c (after defaults), naming it and
// its value. The error wraps ErrBadConfig.
func (c Config) Validate() error {
	c = c.withDefaults()
	if _, err := ParseMode(string(c.Mode)); err != nil {
		return err
	}
	for _, f := range []struct {
		name string
		v    int
	}{{"Workers", c.Workers}, {"MaxConns", c.MaxConns}, {"BufferSize", c.BufferSize}} {
		if f.v < 0 {
			return fmt.Errorf("%w: %s is %d, want > 0", ErrBadConfig, f.name, f.v)
		}
	}
	if c.BufferSize > maxBufferSize {
		return fmt.Errorf("%w: BufferSize is %d, want at most %d", ErrBadConfig, c.BufferSize, maxBufferSize)
	}
	for _, f := range []struct {
		name string
		d    time.Duration
	}{{"IdleTimeout", c.IdleTimeout}, {"WriteTimeout", c.WriteTimeout}, {"DrainTimeout", c.DrainTimeout}} {
		if f.d < 0 {
			return fmt.Errorf("%w: %s is %v, want > 0", ErrBadConfig, f.name, f.d)
		}
	}
	return nil
}
