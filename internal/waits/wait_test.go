package waits

import (
	"testing"
	"time"
)

func TestLeast(t *testing.T) {
	for _, c := range []struct{ a, b, want time.Duration }{
		{0, 0, 0},
		{0, 5, 5},
		{5, 0, 5},
		{3, 5, 3},
		{5, 3, 3},
		{-1, 4, 4},
		{4, -1, 4},
	} {
		if got := Least(c.a, c.b); got != c.want {
			t.Errorf("Least(%v, %v) = %v, want %v", c.a, c.b, got, c.want)
		}
	}
}
