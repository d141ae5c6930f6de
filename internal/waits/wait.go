// Package waits holds the one rule the frontiers share for combining the
// waits their hosts and delayed requests ask for.
package waits

import "time"

// Least is the lesser of two waits, where 0 (or less) means none known: a
// known wait always wins over an unknown one.
func Least(a, b time.Duration) time.Duration {
	if b <= 0 {
		return a
	}
	if a <= 0 || b < a {
		return b
	}
	return a
}
