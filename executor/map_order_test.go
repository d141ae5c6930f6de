package executor_test

import (
	"context"
	"fmt"
	"slices"
	"testing"

	"github.com/poolscrape/poolscrape/executor"
)

// Map yields a result that is ready before it reads the next value: when the
// result of value i is yielded, at most i+window values have been read, and a
// loop that breaks makes Map read no further.
func TestMapYieldsBeforeItReadsMore(t *testing.T) {
	bothPools(t, func(t *testing.T, p executor.Executor) {
		var log []string
		in := func(yield func(addArg) bool) {
			for i := range 5 {
				log = append(log, fmt.Sprint("read ", i))
				if !yield(addArg{A: i}) {
					return
				}
			}
		}
		yields := 0
		for r, err := range executor.Map(context.Background(), p, taskAdd, in, executor.Window(2)) {
			if err != nil {
				t.Fatal(err)
			}
			log = append(log, fmt.Sprint("yield ", r.Sum))
			if yields++; yields == 3 {
				break
			}
		}
		want := []string{"read 0", "read 1", "yield 0", "read 2", "yield 1", "read 3", "yield 2"}
		if !slices.Equal(log, want) {
			t.Errorf("reads and yields:\n got %q\nwant %q", log, want)
		}
	})
}
