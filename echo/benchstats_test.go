package echo

import (
	"math"
	"testing"
)

// TestMedianAndQuantile checks the statistics BenchmarkEchoPingPong reports.
func TestMedianAndQuantile(t *testing.T) {
	for _, tc := range []struct {
		xs   []float64
		q    float64
		want float64
	}{
		{nil, 0.5, 0},
		{[]float64{3}, 0.5, 3},
		{[]float64{3, 1, 2}, 0.5, 2},
		{[]float64{4, 1, 3, 2}, 0.5, 2.5},
		{[]float64{4, 1, 3, 2, 5}, 0.25, 2},
		{[]float64{4, 1, 3, 2, 5}, 0.75, 4},
		{[]float64{4, 1, 3, 2, 5}, 1, 5},
		{[]float64{math.Inf(1), 1, 0, 2, 3}, 0.5, 2},
	} {
		if got := quantile(tc.xs, tc.q); got != tc.want {
			t.Errorf("quantile(%v, %v) = %v, want %v", tc.xs, tc.q, got, tc.want)
		}
	}
	xs := []float64{4, 1, 3, 2}
	if median(xs) != 2.5 || xs[0] != 4 {
		t.Errorf("median changed its input or is wrong: %v", xs)
	}
}

// TestPassOrderBalanced: over 3! passes, each of three targets is measured
// in each place twice, and directly after each other one twice.
func TestPassOrderBalanced(t *testing.T) {
	var place [3][3]int
	var after [3][3]int
	for pass := range 6 {
		order := passOrder(3, pass)
		for i, tg := range order {
			place[tg][i]++
			if i > 0 {
				after[tg][order[i-1]]++
			}
		}
	}
	for tg := range 3 {
		for j := range 3 {
			if place[tg][j] != 2 {
				t.Errorf("target %d in place %d %d times, want 2", tg, j, place[tg][j])
			}
			if j != tg && after[tg][j] != 2 {
				t.Errorf("target %d directly after target %d %d times, want 2", tg, j, after[tg][j])
			}
		}
	}
}
