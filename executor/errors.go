package executor

import (
	"context"
	"errors"
	"fmt"
	"syscall"
	"time"
)

// Sentinel errors that callers branch on with errors.Is.
var (
	// ErrShutdown fails a future submitted after Shutdown began.
	ErrShutdown = errors.New("executor: pool is shut down")
	// ErrQueueFull fails a future submitted to a full bounded queue when the
	// pool was made with WithQueueSize and WithNonBlocking.
	ErrQueueFull = errors.New("executor: queue is full")
	// ErrTimeout fails a future whose task ran longer than its WithTimeout.
	// The error also matches context.DeadlineExceeded.
	ErrTimeout = errors.New("executor: task timed out")
	// ErrNotDone is what Future.Err returns while the future is not done.
	ErrNotDone = errors.New("executor: future is not done")
	// ErrWorkerDied fails the futures a worker process was running when it
	// died. The error is a *WorkerExitError that says how it died.
	ErrWorkerDied = errors.New("executor: worker process died")
	// ErrUnknownTask fails a Call whose task name is not registered, or a
	// Call of an unregistered Func on a ProcessPool.
	ErrUnknownTask = errors.New("executor: unknown task")
	// ErrEncode fails a Call whose argument or result cannot be encoded or
	// decoded for the trip to and from a worker process.
	ErrEncode = errors.New("executor: cannot encode value")
	// ErrWorkerStart is the error of a NewProcessPool whose worker process
	// exited before it was ready, or did not start serving within
	// WithStartTimeout: most often because the program's main does not call
	// Init first.
	ErrWorkerStart = errors.New("executor: worker process did not start serving")
	// ErrFiles fails a Call on a ProcessPool whose WithFiles files could
	// not be passed to a worker process: the pool could not duplicate
	// them; the kernel refused to send them (ETOOMANYREFS: on Linux, a
	// user without CAP_SYS_RESOURCE may have no more descriptors in flight
	// over Unix sockets than its RLIMIT_NOFILE; or EMFILE, ENFILE); or the
	// worker could not receive them, mostly for want of descriptors
	// (EMFILE). Only that call fails: the pool and its workers go on.
	ErrFiles = errors.New("executor: cannot pass files to the worker")
)

// PanicError is the error of a future whose task panicked. The worker that ran
// the task recovers and goes on serving.
type PanicError struct {
	Value any    // the value passed to panic
	Stack []byte // the goroutine's stack at the panic
}

// Error reports the panic value; the stack is in the Stack field.
func (e *PanicError) Error() string {
	return fmt.Sprintf("executor: task panicked: %v", e.Value)
}

// timeoutError is the error of a task that outran its timeout. It matches
// ErrTimeout and context.DeadlineExceeded.
type timeoutError struct {
	after time.Duration
}

func (e *timeoutError) Error() string {
	return "executor: task timed out after " + e.after.String()
}

func (e *timeoutError) Is(target error) bool {
	return target == ErrTimeout || target == context.DeadlineExceeded
}

// WorkerExitError is the error of the futures a ProcessPool worker process
// was running when it died: it says which worker, and how it died, so that a
// crash, an os.Exit, a kill -9 or the out-of-memory killer can be told apart.
// It matches ErrWorkerDied with errors.Is.
type WorkerExitError struct {
	Worker   int            // the worker's number, as in its stderr prefix
	Pid      int            // its process id
	ExitCode int            // its exit status, or -1 if a signal ended it
	Signal   syscall.Signal // the signal that ended it, or 0
	Reason   string         // why the pool killed it, if the pool did; else ""
}

// Error says which worker died and how.
func (e *WorkerExitError) Error() string {
	how := fmt.Sprintf("exit status %d", e.ExitCode)
	if e.Signal != 0 {
		how = fmt.Sprintf("killed by signal %s (%v)", signalName(e.Signal), e.Signal)
	}
	msg := fmt.Sprintf("%v: worker %d (pid %d): %s", ErrWorkerDied, e.Worker, e.Pid, how)
	if e.Reason != "" {
		msg += "; the pool killed it: " + e.Reason
	}
	return msg
}

// Is makes errors.Is(err, ErrWorkerDied) true.
func (e *WorkerExitError) Is(target error) bool { return target == ErrWorkerDied }
