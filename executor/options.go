package executor

import (
	"context"
	"io"
	"os"
	"time"
)

// ThreadOption configures a ThreadPool: NewThreadPool takes only these.
// ProcessOption configures a ProcessPool. An option both pools honour (a
// QueueOption) is both; the others are a ProcessOption only, so that giving
// a ThreadPool an option it cannot honour does not compile.
type ThreadOption interface{ applyThread(*queueConfig) }

// ProcessOption configures a ProcessPool: NewProcessPool takes only these.
type ProcessOption interface{ applyProcess(*processConfig) }

// QueueOption configures the queue of either pool: it is a ThreadOption and
// a ProcessOption.
type QueueOption func(*queueConfig)

func (o QueueOption) applyThread(c *queueConfig)    { o(c) }
func (o QueueOption) applyProcess(c *processConfig) { o(&c.queueConfig) }

// processOption is an option only a ProcessPool honours.
type processOption func(*processConfig)

func (o processOption) applyProcess(c *processConfig) { o(c) }

type queueConfig struct {
	queueSize   int
	nonBlocking bool
}

type processConfig struct {
	queueConfig
	inFlight     int
	sendAhead    int
	maxTasks     int
	initializer  string
	gracePeriod  time.Duration
	startTimeout time.Duration
	stderr       io.Writer
	maxFrame     int
}

func newThreadConfig(opts []ThreadOption) queueConfig {
	var cfg queueConfig
	for _, o := range opts {
		if o != nil {
			o.applyThread(&cfg)
		}
	}
	return cfg
}

func newProcessConfig(opts []ProcessOption) processConfig {
	cfg := processConfig{
		inFlight:     1,
		sendAhead:    DefaultSendAhead,
		gracePeriod:  2 * time.Second,
		startTimeout: DefaultStartTimeout,
		stderr:       os.Stderr,
		maxFrame:     DefaultMaxFrame,
	}
	for _, o := range opts {
		if o != nil {
			o.applyProcess(&cfg)
		}
	}
	return cfg
}

// DefaultMaxFrame is the largest encoded argument or result, in bytes, that a
// ProcessPool passes to or from a worker unless WithMaxFrame says otherwise.
const DefaultMaxFrame = 64 << 20

// DefaultStartTimeout is how long a ProcessPool waits for a new worker
// process to start serving unless WithStartTimeout says otherwise.
const DefaultStartTimeout = 30 * time.Second

// WithQueueSize bounds the number of tasks waiting for a worker to n (n <= 0:
// unbounded, the default); on a ProcessPool that counts the calls waiting in
// worker processes (WithSendAhead) too. Submitting to a full queue blocks until there is
// room, the call's context (WithContext) ends or the pool shuts down, unless
// WithNonBlocking is also given.
func WithQueueSize(n int) QueueOption { return func(c *queueConfig) { c.queueSize = n } }

// WithNonBlocking makes a submit to a full bounded queue fail at once with
// ErrQueueFull instead of blocking. It has no effect without WithQueueSize.
func WithNonBlocking() QueueOption { return func(c *queueConfig) { c.nonBlocking = true } }

// WithInFlight lets each worker process run up to n tasks at once (default
// 1). Tasks go to the least-loaded worker; WithSendAhead more wait in it.
func WithInFlight(n int) ProcessOption {
	return processOption(func(c *processConfig) { c.inFlight = max(n, 1) })
}

// DefaultSendAhead is how many calls a ProcessPool sends each worker process
// ahead of the ones it runs, unless WithSendAhead says otherwise.
const DefaultSendAhead = 4

// WithSendAhead lets the pool send each worker process up to n calls (n < 0:
// 0) beyond the WithInFlight ones it runs, which wait in the worker, so that
// it starts the next as soon as one ends instead of idling for a round trip
// to the pool (default DefaultSendAhead). It never makes a worker run more
// than WithInFlight calls at once. A call waiting in a worker is pending:
// Cancel cancels it and the worker drops it, and if the worker dies it is
// sent to another. A call canceled just as the worker takes it to run (the
// call before it ended at that moment) is dropped too: its task never runs,
// and its future fails with context.Canceled, counted as canceled in Stats.
// A call waiting behind a long one is given back, unstarted, to a worker that
// falls idle. A call that passes WithFiles is never sent ahead.
func WithSendAhead(n int) ProcessOption {
	return processOption(func(c *processConfig) { c.sendAhead = max(n, 0) })
}

// WithMaxTasksPerWorker replaces a worker process after it has run n tasks
// (n <= 0: never, the default), which bounds what a leaky task can
// accumulate.
func WithMaxTasksPerWorker(n int) ProcessOption {
	return processOption(func(c *processConfig) { c.maxTasks = n })
}

// WithInitializer runs the registered initializer once in each new worker
// process before it takes tasks. If it fails, the worker exits and
// NewProcessPool (or the replacement) reports the error.
func WithInitializer(in Initializer) ProcessOption {
	return processOption(func(c *processConfig) { c.initializer = in.name })
}

// WithGracePeriod is how long the pool waits, after a task's timeout has
// canceled it, before it kills the worker still running it (default 2s).
func WithGracePeriod(d time.Duration) ProcessOption {
	return processOption(func(c *processConfig) { c.gracePeriod = d })
}

// WithStartTimeout bounds how long the pool waits for a new worker process
// to start serving, its WithInitializer included (default
// DefaultStartTimeout; d must be > 0). A worker that takes longer is killed:
// NewProcessPool fails with an error matching ErrWorkerStart, and a
// replacement is tried again later. The usual cause is a main that does not
// call Init first.
func WithStartTimeout(d time.Duration) ProcessOption {
	return processOption(func(c *processConfig) { c.startTimeout = d })
}

// WithStderr sets where the pool copies its workers' standard error, each
// line prefixed with the worker's number (default os.Stderr; nil discards
// it). A worker's standard output goes there too, so that a task's prints
// never mix into the parent's standard output.
func WithStderr(w io.Writer) ProcessOption {
	return processOption(func(c *processConfig) { c.stderr = w })
}

// WithMaxFrame sets the largest encoded argument or result, in bytes, that
// the pool passes to or from a worker (default DefaultMaxFrame). A Call over
// it fails with ErrEncode; the pool goes on.
func WithMaxFrame(n int) ProcessOption {
	return processOption(func(c *processConfig) { c.maxFrame = n })
}

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
// pending task is canceled (its Result is context.Canceled, and Stats count
// it as canceled) and a running task's context ends. It also bounds how long
// a submit to a full bounded queue blocks: a submit still waiting for room
// when ctx ends fails with ctx's own error (context.DeadlineExceeded, say),
// and Stats count it as rejected, not canceled. Both pools behave alike.
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
