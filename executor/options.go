package executor

import (
	"context"
	"io"
	"os"
	"time"
)

// Option configures a pool at construction. Options that only make sense for
// one kind of pool are ignored by the other, as their docs say.
type Option func(*poolConfig)

type poolConfig struct {
	queueSize      int
	nonBlocking    bool
	inFlight       int
	maxTasks       int
	initializer    string
	gracePeriod    time.Duration
	stderr         io.Writer
	maxFrame       int
	workerEnv      []string
	workerExecPath string
}

func newPoolConfig(opts []Option) poolConfig {
	cfg := poolConfig{
		inFlight:    1,
		gracePeriod: 2 * time.Second,
		stderr:      os.Stderr,
		maxFrame:    DefaultMaxFrame,
	}
	for _, o := range opts {
		o(&cfg)
	}
	return cfg
}

// DefaultMaxFrame is the largest encoded argument or result, in bytes, that a
// ProcessPool passes to or from a worker unless WithMaxFrame says otherwise.
const DefaultMaxFrame = 64 << 20

// WithQueueSize bounds the number of tasks waiting for a worker to n (n <= 0:
// unbounded, the default). Submitting to a full queue blocks until there is
// room, the call's context (WithContext) ends or the pool shuts down, unless
// WithNonBlocking is also given.
func WithQueueSize(n int) Option { return func(c *poolConfig) { c.queueSize = n } }

// WithNonBlocking makes a submit to a full bounded queue fail at once with
// ErrQueueFull instead of blocking. It has no effect without WithQueueSize.
func WithNonBlocking() Option { return func(c *poolConfig) { c.nonBlocking = true } }

// WithInFlight lets each worker process of a ProcessPool run up to n tasks at
// once (default 1). Tasks go to the least-loaded worker. Ignored by a
// ThreadPool.
func WithInFlight(n int) Option { return func(c *poolConfig) { c.inFlight = max(n, 1) } }

// WithMaxTasksPerWorker replaces a worker process of a ProcessPool after it
// has run n tasks (n <= 0: never, the default), which bounds what a leaky
// task can accumulate. Ignored by a ThreadPool.
func WithMaxTasksPerWorker(n int) Option { return func(c *poolConfig) { c.maxTasks = n } }

// WithInitializer runs the registered initializer once in each new worker
// process of a ProcessPool before it takes tasks. If it fails, the worker
// exits and NewProcessPool (or the replacement) reports the error. Ignored by
// a ThreadPool.
func WithInitializer(in Initializer) Option {
	return func(c *poolConfig) { c.initializer = in.name }
}

// WithGracePeriod is how long a ProcessPool waits, after a task's timeout has
// cancelled it, before it kills the worker still running it (default 2s).
// Ignored by a ThreadPool.
func WithGracePeriod(d time.Duration) Option { return func(c *poolConfig) { c.gracePeriod = d } }

// WithStderr sets where a ProcessPool copies its workers' standard error,
// each line prefixed with the worker's number (default os.Stderr). A worker's
// standard output goes there too, so that a task's prints never mix into the
// parent's standard output. Ignored by a ThreadPool.
func WithStderr(w io.Writer) Option { return func(c *poolConfig) { c.stderr = w } }

// WithMaxFrame sets the largest encoded argument or result, in bytes, that a
// ProcessPool passes to or from a worker (default DefaultMaxFrame). A Call
// over it fails with ErrEncode; the pool goes on. Ignored by a ThreadPool.
func WithMaxFrame(n int) Option { return func(c *poolConfig) { c.maxFrame = n } }

// CallOption configures one Submit or Call.
type CallOption func(*callConfig)

type callConfig struct {
	ctx     context.Context
	timeout time.Duration
	files   []*os.File
}

func newCallConfig(opts []CallOption) callConfig {
	cfg := callConfig{ctx: context.Background()}
	for _, o := range opts {
		o(&cfg)
	}
	return cfg
}

// WithTimeout bounds how long the task may run (d <= 0: no bound). On a
// ThreadPool the task's context ends and the future fails with an error
// matching ErrTimeout at once, though the goroutine runs on until the task
// returns (a goroutine cannot be killed). On a ProcessPool the worker is asked
// to cancel the task, and a task still running after the pool's grace period
// has its worker killed and replaced.
func WithTimeout(d time.Duration) CallOption { return func(c *callConfig) { c.timeout = d } }

// WithContext makes ctx the parent of the task's context: when ctx ends, a
// pending task is cancelled (its Result is context.Canceled, and Stats count
// it as cancelled) and a running task's context ends. It also bounds how long
// a submit to a full bounded queue blocks: a submit still waiting for room
// when ctx ends fails with ctx's own error (context.DeadlineExceeded, say),
// and Stats count it as rejected, not cancelled. Both pools behave alike.
func WithContext(ctx context.Context) CallOption { return func(c *callConfig) { c.ctx = ctx } }

// WithFiles passes open files to a task on a ProcessPool: they are sent to the
// worker with SCM_RIGHTS and the task reads them with Files. The caller keeps
// its own files and may close them once Call returns. On a ThreadPool the
// task sees the same *os.File values.
func WithFiles(files ...*os.File) CallOption {
	return func(c *callConfig) { c.files = append(c.files, files...) }
}

type filesKey struct{}

// Files returns the files passed to the running task with WithFiles, in the
// order given. The task may close them; on a ProcessPool the worker closes any
// still open when the task returns, so that descriptors never pile up in it.
func Files(ctx context.Context) []*os.File {
	fs, _ := ctx.Value(filesKey{}).([]*os.File)
	return fs
}

func withFiles(ctx context.Context, files []*os.File) context.Context {
	if len(files) == 0 {
		return ctx
	}
	return context.WithValue(ctx, filesKey{}, files)
}
