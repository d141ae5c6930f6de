package main

import (
	"testing"

	"github.com/poolscrape/poolscrape/executor"
	"github.com/poolscrape/poolscrape/internal/childtest"
	"go.uber.org/goleak"
)

// TestMain lets the test binary serve as a ProcessPool worker, like the
// real binary, and checks that no test leaks a goroutine. Started as the
// child fsizeExecRole it instead runs a command under a file size limit.
func TestMain(m *testing.M) {
	executor.Init()
	childtest.Serve(map[string]func(string) int{fsizeExecRole: execWithFileSizeLimit})
	goleak.VerifyTestMain(m)
}
