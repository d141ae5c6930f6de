package testsite

import (
	"testing"

	"go.uber.org/goleak"
)

// TestMain checks that no test leaks a goroutine (servers, connections).
func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }
