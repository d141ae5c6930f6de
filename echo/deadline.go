package echo

import "time"

// deadlineSlackDiv sets how far ahead a lazy deadline is pushed: a deadline
// is set to now + d + d/deadlineSlackDiv and only moved again once that slack
// is used up, so a busy connection resets its timer once per d/64 instead of
// on every read and write (a timer change costs as much as a small echo).
const deadlineSlackDiv = 64

// lazyDeadline keeps a connection's read or write deadline at least d ahead
// of now and at most d + d/64 ahead, setting it (with set, the connection's
// SetReadDeadline, SetWriteDeadline or SetDeadline) only when needed. It
// holds no reference to the connection, so that an idle one costs less.
type lazyDeadline struct {
	d  time.Duration
	at time.Time // the deadline in force (zero: none yet)
}

// refresh makes sure the deadline is at least d from now.
func (l *lazyDeadline) refresh(set func(time.Time) error) {
	if l.d <= 0 {
		return
	}
	// time.Until of a deadline that carries the monotonic clock reads only
	// that clock: half the cost of time.Now, which reads the wall clock too.
	if !l.at.IsZero() && time.Until(l.at) >= l.d {
		return
	}
	l.at = time.Now().Add(l.d + l.d/deadlineSlackDiv)
	set(l.at)
}

// clear removes the deadline, if one is in force.
func (l *lazyDeadline) clear(set func(time.Time) error) {
	if !l.at.IsZero() {
		l.at = time.Time{}
		set(time.Time{})
	}
}
