package main

import (
	"os"
	"testing"

	"github.com/poolscrape/poolscrape/executor"
	"go.uber.org/goleak"
)

// TestMain lets the test binary serve as a ProcessPool worker, like the
// real binary, and checks that no test leaks a goroutine. With
// fsizeExecEnv set it instead runs a command under a file size limit.
func TestMain(m *testing.M) {
	executor.Init()
	if limit := os.Getenv(fsizeExecEnv); limit != "" {
		os.Exit(execWithFileSizeLimit(limit))
	}
	goleak.VerifyTestMain(m)
}
