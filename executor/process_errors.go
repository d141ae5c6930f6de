package executor

import (
	"context"
	"errors"
	"fmt"
	"runtime/debug"
	"time"
)

// An error crosses from a worker process to the pool as its text and a kind
// byte: the kind lets the pool rebuild an error that errors.Is matches
// against the executor's own sentinels and the context errors.

// errorKind classifies a task's error for the trip to the pool.
func errorKind(err error) byte {
	switch {
	case errors.Is(err, ErrTimeout):
		return kindTimeout
	case errors.Is(err, context.DeadlineExceeded):
		return kindDeadline
	case errors.Is(err, context.Canceled):
		return kindCanceled
	case errors.Is(err, ErrUnknownTask):
		return kindUnknownTask
	case errors.Is(err, ErrEncode):
		return kindEncode
	}
	return kindError
}

// remoteError is a task's error as it came back from a worker process: its
// text, and the sentinel it matched there, if any.
type remoteError struct {
	text     string
	sentinel error
}

func (e *remoteError) Error() string { return e.text }

// Is matches the sentinel the error matched in the worker.
func (e *remoteError) Is(target error) bool {
	return e.sentinel != nil && target == e.sentinel
}

// remoteErr rebuilds the error of a result frame for the task named name,
// which ran with the given timeout (0: none).
func remoteErr(name string, timeout time.Duration, r *resultFrame) error {
	switch r.kind {
	case kindPanic:
		return &PanicError{Value: r.text, Stack: append([]byte(nil), r.payload...)}
	case kindDeadline:
		if timeout > 0 {
			return &timeoutError{after: timeout}
		}
		return &remoteError{text: r.text, sentinel: context.DeadlineExceeded}
	case kindTimeout:
		return &remoteError{text: r.text, sentinel: ErrTimeout}
	case kindCanceled, kindNotRun:
		return &remoteError{text: r.text, sentinel: context.Canceled}
	case kindUnknownTask:
		return &remoteError{text: r.text, sentinel: ErrUnknownTask}
	case kindFiles:
		return &remoteError{text: r.text, sentinel: ErrFiles}
	case kindEncode:
		return &remoteError{text: fmt.Sprintf("executor: task %q: %s", name, r.text), sentinel: ErrEncode}
	}
	return &remoteError{text: r.text}
}

func stack() []byte { return debug.Stack() }
