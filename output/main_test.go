package output

import (
	"testing"

	"github.com/poolscrape/poolscrape/internal/childtest"
	"go.uber.org/goleak"
)

// TestMain checks that no test leaks a goroutine (the writers are used
// from many goroutines). Started as a child (package childtest), the test
// binary is instead the writer process that TestKilledWriter kills, or the
// one TestWriteErrorAtEveryByte limits.
func TestMain(m *testing.M) {
	childtest.Serve(map[string]func(string) int{
		childWriter: runChildWriter,
		fsizeChild:  runFsizeChild,
	})
	goleak.VerifyTestMain(m)
}
