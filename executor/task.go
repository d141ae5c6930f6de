package executor

import (
	"context"
	"fmt"
	"sync"
)

// Executor is a pool that Call, Map and the other pool-agnostic functions
// run tasks on: a *ThreadPool or a *ProcessPool.
type Executor interface {
	// Shutdown stops the pool from accepting tasks and waits for the ones
	// it has, until ctx ends.
	Shutdown(ctx context.Context) error
	// Stats returns a snapshot of the pool's counters.
	Stats() Stats
	// Workers returns the pool's workers: goroutines or processes.
	Workers() int
	// capacity is the most tasks the pool holds on its workers at once:
	// those it runs, and on a ProcessPool those sent ahead (WithSendAhead).
	capacity() int
}

func (p *ThreadPool) capacity() int  { return p.workers }
func (p *ProcessPool) capacity() int { return p.n * (p.cfg.inFlight + p.cfg.sendAhead) }

// Task is a function that either pool can run: made by Register (both pools)
// or Func (ThreadPool only). A is its argument type, R its result type.
type Task[A, R any] struct {
	name string
	fn   func(ctx context.Context, arg A) (R, error)
}

// Name returns the name the task was registered under ("" for a Func).
func (t Task[A, R]) Name() string { return t.name }

// handler runs a registered task in a worker process on an encoded argument
// and returns the encoded result.
type handler func(ctx context.Context, arg []byte) ([]byte, error)

var registry = struct {
	sync.RWMutex
	tasks map[string]handler
	inits map[string]func(context.Context) error
}{tasks: map[string]handler{}, inits: map[string]func(context.Context) error{}}

// Register declares fn as a task named name and returns it for Call and Map.
// Call Register at package level (in a var declaration or init), so that a
// worker process, which runs the same binary, registers the same tasks before
// Init serves them. For a ProcessPool, A and R cross encoded (see
// ProcessPool): their exported fields must hold no func or chan, and their
// values must not be cyclic. Register panics if name is empty or already
// registered: both are programming errors.
func Register[A, R any](name string, fn func(ctx context.Context, arg A) (R, error)) Task[A, R] {
	if name == "" {
		panic("executor: Register with an empty task name")
	}
	registry.Lock()
	defer registry.Unlock()
	if _, dup := registry.tasks[name]; dup {
		panic(fmt.Sprintf("executor: task %q registered twice", name))
	}
	registry.tasks[name] = func(ctx context.Context, raw []byte) ([]byte, error) {
		var arg A
		if err := decodeValue(raw, &arg); err != nil {
			return nil, fmt.Errorf("task %q: decode argument: %w", name, err)
		}
		res, err := fn(ctx, arg)
		if err != nil {
			return nil, err
		}
		return encodeValue(res)
	}
	return Task[A, R]{name: name, fn: fn}
}

// Func makes a Task of fn without registering it. It runs on a ThreadPool
// only: a Call of it on a ProcessPool fails with ErrUnknownTask.
func Func[A, R any](fn func(ctx context.Context, arg A) (R, error)) Task[A, R] {
	return Task[A, R]{fn: fn}
}

func lookupTask(name string) (handler, bool) {
	registry.RLock()
	defer registry.RUnlock()
	h, ok := registry.tasks[name]
	return h, ok
}

// Initializer is a function run once in each new worker process of a
// ProcessPool, made by RegisterInitializer and passed with WithInitializer.
type Initializer struct{ name string }

// RegisterInitializer declares fn as a worker initializer named name. Like
// Register, call it at package level; it panics on an empty or repeated name.
func RegisterInitializer(name string, fn func(ctx context.Context) error) Initializer {
	if name == "" {
		panic("executor: RegisterInitializer with an empty name")
	}
	registry.Lock()
	defer registry.Unlock()
	if _, dup := registry.inits[name]; dup {
		panic(fmt.Sprintf("executor: initializer %q registered twice", name))
	}
	registry.inits[name] = fn
	return Initializer{name: name}
}

func lookupInitializer(name string) (func(context.Context) error, bool) {
	registry.RLock()
	defer registry.RUnlock()
	fn, ok := registry.inits[name]
	return fn, ok
}

// Call runs task t with arg on ex and returns its future. On a ThreadPool it
// is Submit of t's function; on a ProcessPool arg is encoded, sent to the
// least-loaded worker process and run there by name, and the result comes
// back the same way. Errors cross the process boundary as their message text:
// errors.Is works on the executor's own sentinel errors only.
func Call[A, R any](ex Executor, t Task[A, R], arg A, opts ...CallOption) *Future[R] {
	if isNilExecutor(ex) {
		return failedFuture[R](fmt.Errorf("executor: Call on a nil Executor %T", ex))
	}
	switch p := ex.(type) {
	case *ThreadPool:
		if t.fn == nil {
			return failedFuture[R](fmt.Errorf("%w: the zero Task", ErrUnknownTask))
		}
		fn := t.fn
		return Submit(p, func(ctx context.Context) (R, error) { return fn(ctx, arg) }, opts...)
	case *ProcessPool:
		return callProcess(p, t, arg, opts)
	default:
		return failedFuture[R](fmt.Errorf("executor: Call on an Executor of unknown type %T", ex))
	}
}

// isNilExecutor reports whether ex is nil or a nil pool.
func isNilExecutor(ex Executor) bool {
	switch p := ex.(type) {
	case nil:
		return true
	case *ThreadPool:
		return p == nil
	case *ProcessPool:
		return p == nil
	}
	return false
}
