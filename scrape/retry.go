package scrape

import (
	"math"
	"math/rand/v2"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// retryPolicy decides whether and when a failed fetch is tried again. A
// retry never holds a pool slot while it waits: the request goes back to the
// frontier with a not-before time and the scheduler dispatches it then.
type retryPolicy struct {
	Max           int           // retries after the first attempt (Config.Retries)
	Base          time.Duration // backoff before the first retry
	MaxBackoff    time.Duration // cap on the computed backoff
	MaxRetryAfter time.Duration // cap on a server's Retry-After
}

// defaultRetryPolicy returns the policy for n retries: a 500ms base,
// doubling, capped at 30s; Retry-After honoured up to 60s (a crawl also
// caps it at Config.MaxDelay).
func defaultRetryPolicy(n int) retryPolicy {
	return retryPolicy{Max: n, Base: 500 * time.Millisecond, MaxBackoff: 30 * time.Second, MaxRetryAfter: 60 * time.Second}
}

// retryableStatus are the answers worth another try: timeouts, rate limits
// and passing server trouble.
var retryableStatus = map[int]bool{408: true, 429: true, 500: true, 502: true, 503: true, 504: true}

// Retryable reports whether a fetch that ended with status (0: no response)
// and netErr (a network error, nil if a response came) is retried, given
// attempt retries already made.
func (p retryPolicy) Retryable(status int, netErr bool, attempt int) bool {
	if attempt >= p.Max {
		return false
	}
	return netErr || retryableStatus[status]
}

// Backoff is how long to wait before retry number attempt+1: the server's
// Retry-After when it gave one (capped at MaxRetryAfter), else Base·2^attempt
// capped at MaxBackoff, with "equal jitter" (a uniform draw between half and
// all of it), so that many failing requests do not come back in step.
func (p retryPolicy) Backoff(attempt int, retryAfter time.Duration, hasRetryAfter bool) time.Duration {
	if hasRetryAfter {
		return min(max(retryAfter, 0), p.MaxRetryAfter)
	}
	d := p.Base << min(attempt, 30)
	if d <= 0 || d > p.MaxBackoff {
		d = p.MaxBackoff
	}
	half := d / 2
	if half <= 0 {
		return d
	}
	return half + rand.N(half+1)
}

// parseRetryAfter reads a Retry-After header: delay-seconds or an HTTP date
// (relative to now). It reports false for an absent or malformed value.
func parseRetryAfter(v string, now time.Time) (time.Duration, bool) {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0, false
	}
	if secs, err := strconv.ParseInt(v, 10, 64); err == nil {
		if secs < 0 {
			return 0, false
		}
		// Capped where a Duration ends: a crawl caps it further (Config.MaxDelay).
		return time.Duration(min(secs, int64(math.MaxInt64/time.Second))) * time.Second, true
	}
	t, err := http.ParseTime(v)
	if err != nil {
		return 0, false
	}
	return max(t.Sub(now), 0), true
}
