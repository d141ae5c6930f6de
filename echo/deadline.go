package echo

import "time"

// deadlineSlackDiv sets how far ahead a lazy deadline is pushed: a deadline
// is set to now + d + d/deadlineSlackDiv and only moved again once that slack
// is used up, so a busy connection resets its timer once per d/64 instead of
// on every read and write (a timer change costs as much as a small echo).
const deadlineSlackDiv = 64

// lazyDeadline keeps a connection's read or write deadline at least d ahead
// of now and at most d + d/64 ahead, setting it only when needed.
type lazyDeadline struct {
	d   time.Duration
	set func(time.Time) error
	at  time.Time // the deadline in force (zero: none yet)
}

// refresh makes sure the deadline is at least d from now.
func (l *lazyDeadline) refresh() {
	if l.d <= 0 {
		return
	}
	now := time.Now()
	if !l.at.IsZero() && l.at.Sub(now) >= l.d {
		return
	}
	l.at = now.Add(l.d + l.d/deadlineSlackDiv)
	l.set(l.at)
}
