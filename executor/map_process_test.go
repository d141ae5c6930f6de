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

// On a ProcessPool with default options, Map keeps ProcessMapWindow tasks in
// flight, more than twice the workers' slots, and never reads further ahead:
// when the result of value i is yielded, exactly min(i+ProcessMapWindow, n)
// values have been read.
func TestMapOnProcessPoolDefaultWindow(t *testing.T) {
	p := newPool(t, 2)
	const n = 3 * executor.ProcessMapWindow
	read := 0
	in := func(yield func(addArg) bool) {
		for i := range n {
			read++
			if !yield(addArg{A: i}) {
				return
			}
		}
	}
	i := 0
	for r, err := range executor.Map(context.Background(), p, taskAdd, in) {
		if err != nil || r.Sum != i {
			t.Fatalf("result %d = %d, %v", i, r.Sum, err)
		}
		if want := min(i+executor.ProcessMapWindow, n); read != want {
			t.Fatalf("when result %d was yielded, %d values were read, want %d", i, read, want)
		}
		i++
	}
	if i != n {
		t.Fatalf("Map yielded %d results, want %d", i, n)
	}
}
