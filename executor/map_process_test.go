package executor_test

import (
	"context"
	"slices"
	"testing"

	"github.com/poolscrape/poolscrape/executor"
)

func TestMapOnProcessPoolKeepsOrder(t *testing.T) {
	p := newPool(t, 2, executor.WithInFlight(4))
	in := func(yield func(addArg) bool) {
		for i := range 200 {
			if !yield(addArg{A: i, B: i, Label: "x"}) {
				return
			}
		}
	}
	var sums []int
	for r, err := range executor.Map(context.Background(), p, taskAdd, in) {
		if err != nil {
			t.Fatalf("result %d: %v", len(sums), err)
		}
		sums = append(sums, r.Sum)
	}
	want := make([]int, 200)
	for i := range want {
		want[i] = 2 * i
	}
	if !slices.Equal(sums, want) {
		t.Fatalf("sums out of order or missing: got %d results", len(sums))
	}
}
