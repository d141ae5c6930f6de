//go:build !unix || aix

package executor_test

import (
	"errors"
	"testing"

	"github.com/poolscrape/poolscrape/executor"
)

// Where there are no socket pairs to pass files on, NewProcessPool fails
// with errors.ErrUnsupported, and the ThreadPool works.
func TestProcessPoolUnsupported(t *testing.T) {
	if err := executor.ProcessPoolSupported(); !errors.Is(err, errors.ErrUnsupported) {
		t.Errorf("ProcessPoolSupported() = %v, want errors.ErrUnsupported", err)
	}
	if p, err := executor.NewProcessPool(1); !errors.Is(err, errors.ErrUnsupported) || p != nil {
		t.Errorf("NewProcessPool = %v, %v; want nil, errors.ErrUnsupported", p, err)
	}
}
