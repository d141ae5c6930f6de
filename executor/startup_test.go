package executor_test

import (
	"context"
	"errors"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/poolscrape/poolscrape/executor"
)

// envSilentWorker makes this test binary, started as a worker, behave like a
// program whose main neither calls executor.Init first nor exits.
const envSilentWorker = "EXECUTOR_TEST_SILENT_WORKER"

func silentWorker() {
	time.Sleep(time.Hour) // the pool kills it
	os.Exit(3)
}

func TestNewProcessPoolWorkerNeverServes(t *testing.T) {
	t.Setenv(envSilentWorker, "1")
	p, err := executor.NewProcessPool(2, executor.WithStartTimeout(200*time.Millisecond), executor.WithStderr(nil))
	if err == nil {
		p.Shutdown(context.Background())
		t.Fatal("NewProcessPool succeeded with workers that never serve")
	}
	t.Log(err)
	if !errors.Is(err, executor.ErrWorkerStart) {
		t.Errorf("err = %v, want ErrWorkerStart", err)
	}
	for _, want := range []string{"within 200ms", "executor.Init()"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("err = %q, want it to say %q", err, want)
		}
	}
	if kids := children(); len(kids) > 0 {
		t.Errorf("after NewProcessPool failed, child processes remain: %v", kids)
	}
}

// TestReplacementWorkerNeverServes checks that a replacement worker that
// never starts serving is killed and tried again, rather than waited for
// forever.
func TestReplacementWorkerNeverServes(t *testing.T) {
	stderr := &lockedBuffer{}
	// A real worker must start within the timeout, so it is generous.
	p := newPool(t, 1, executor.WithStartTimeout(3*time.Second), executor.WithStderr(stderr))
	pid := mustResult(t, executor.Call(p, taskPid, 0))
	t.Setenv(envSilentWorker, "1") // the replacements inherit it
	f := executor.Call(p, taskExit, 1)
	if _, err := result(t, f); !errors.Is(err, executor.ErrWorkerDied) {
		t.Fatalf("the exiting task: %v, want ErrWorkerDied", err)
	}
	waitFor(t, "a replacement killed for not serving", func() bool {
		return strings.Contains(stderr.String(), "did not start serving within 3s")
	})
	os.Unsetenv(envSilentWorker)
	if got := mustResult(t, executor.Call(p, taskPid, 0)); got == pid || got == 0 {
		t.Fatalf("call after the replacements ran in pid %d, want a new worker (the first was %d)", got, pid)
	}
}

func TestWithStartTimeoutMustBePositive(t *testing.T) {
	for _, d := range []time.Duration{0, -time.Second} {
		if _, err := executor.NewProcessPool(1, executor.WithStartTimeout(d)); err == nil || !strings.Contains(err.Error(), "WithStartTimeout") {
			t.Errorf("NewProcessPool(WithStartTimeout(%v)) = %v, want an error naming it", d, err)
		}
	}
}
