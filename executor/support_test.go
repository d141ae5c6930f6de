//go:build unix && !aix

package executor_test

import (
	"testing"

	"github.com/poolscrape/poolscrape/executor"
)

func TestProcessPoolSupported(t *testing.T) {
	if err := executor.ProcessPoolSupported(); err != nil {
		t.Errorf("ProcessPoolSupported() = %v on a system with socket pairs", err)
	}
}
