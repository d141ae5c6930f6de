package executor_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"testing"
	"time"

	"github.com/poolscrape/poolscrape/executor"
)

// refusedCallbackRole makes this test binary, started by
// TestRefusedFilesCallbackDoesNotHoldBackItsWorker in a user namespace of
// its own, a pool owner whose descriptors the kernel refuses to send.
const refusedCallbackRole = "executor-refused-callback"

func init() { childRoles[refusedCallbackRole] = refusedCallbackHelper }

// A done-callback of a call whose files the kernel refused (see
// TestSendRefusedFilesFailOnlyTheirCall) that blocks must not hold back the
// call sent to the same worker behind it: the future is not settled on the
// goroutine that writes that worker's frames.
func TestRefusedFilesCallbackDoesNotHoldBackItsWorker(t *testing.T) {
	runInOwnUserNamespace(t, refusedCallbackRole)
}

func refusedCallbackHelper(string) int {
	if err := refusedCallback(); err != nil {
		fmt.Fprintf(os.Stderr, "refused callback helper: %v\n", err)
		return 1
	}
	return 0
}

// refusedCallback keeps the one worker busy while it queues the call whose
// files will be refused, with a callback that blocks until the call behind
// it is done, and that call; then it frees the worker.
func refusedCallback() error {
	p, err := executor.NewProcessPool(1)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	defer p.Shutdown(ctx)
	pid, err := executor.Call(p, taskPid, 0).Result(ctx)
	if err != nil {
		return err
	}
	r, w, err := os.Pipe()
	if err != nil {
		return err
	}
	defer r.Close()
	defer w.Close()
	restore, err := parkUntilRefused(64)
	if err != nil {
		return err
	}
	defer restore()

	hold := executor.Call(p, taskSleep, time.Hour) // runs at once: the worker is idle
	refused := executor.Call(p, taskWriteFiles, "refused", executor.WithFiles(w))
	release := make(chan struct{})
	defer close(release) // before Shutdown, which waits for the callback
	ran := make(chan struct{})
	refused.AddDoneCallback(func(*executor.Future[int]) {
		<-release
		close(ran)
	})
	behind := executor.Call(p, taskPid, 0)
	if !hold.Running() || refused.Running() || behind.Running() {
		return fmt.Errorf("running: hold %v, refused %v, behind %v; want only hold", hold.Running(), refused.Running(), behind.Running())
	}
	hold.Cancel()
	if got, err := behind.Result(ctx); err != nil || got != pid {
		return fmt.Errorf("the call behind the one whose callback blocks: pid %d, %v; want it run by worker %d", got, err, pid)
	}
	release <- struct{}{}
	<-ran
	if _, err := refused.Result(ctx); !errors.Is(err, executor.ErrFiles) {
		return fmt.Errorf("the call whose files were refused: %v, want ErrFiles", err)
	}
	return nil
}
