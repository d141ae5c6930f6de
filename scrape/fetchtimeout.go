package scrape

import (
	"context"
	"fmt"
	"time"
)

// requestTimeout returns ctx bounded by Config.Timeout: a fetch, its
// redirects and the reading of its body included, ends there with an
// errRequestTimeout.
//
// The bound is a context, not an http.Client Timeout: net/http's Client
// enforces its Timeout, for a transport that is not its own (ours wraps
// it), with a timer goroutine, a Request.Cancel channel the Transport
// watches with another goroutine, and a deadline context over colly's
// context.WithValue of the task's context, whose cancellation the context
// package links with a third goroutine (a WithValue hides the task
// context's AfterFunc). Derived here from the task's context, which has
// AfterFunc, the deadline costs none, and net/http's own contexts below
// colly's WithValue find it and cost none either.
func (f *fetcher) requestTimeout(ctx context.Context) (context.Context, context.CancelFunc) {
	return context.WithTimeoutCause(ctx, f.timeout, requestTimeoutError{f.timeout})
}

// requestTimeoutError is the cause of a fetch's end at Config.Timeout. Like
// net/http's own timeout error it is a net.Error whose Timeout is true and
// it is a context.DeadlineExceeded.
type requestTimeoutError struct{ timeout time.Duration }

func (e requestTimeoutError) Error() string {
	return fmt.Sprintf("scrape: request over Config.Timeout (%s): %v", e.timeout, context.DeadlineExceeded)
}

func (requestTimeoutError) Timeout() bool   { return true }
func (requestTimeoutError) Temporary() bool { return true }

func (requestTimeoutError) Is(target error) bool { return target == context.DeadlineExceeded }
