package output

import (
	"testing"

	"go.uber.org/goleak"
)

// TestMain checks that no test leaks a goroutine (the writers are used
// from many goroutines).
func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }
