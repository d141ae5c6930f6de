package main

import (
	"testing"

	"github.com/poolscrape/poolscrape/executor"
	"go.uber.org/goleak"
)

// TestMain lets the test binary serve as a ProcessPool worker, like the
// real binary, and checks that no test leaks a goroutine.
func TestMain(m *testing.M) {
	executor.Init()
	goleak.VerifyTestMain(m)
}
