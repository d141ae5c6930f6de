package scrape

import "time"

// autoThrottle adapts each host's delay to how fast it answers, after
// Scrapy's autoThrottle:
//
//   - A host starts at StartDelay (or Config.Delay, if larger).
//   - After each response, the target delay is latency / TargetConcurrency:
//     the gap at which TargetConcurrency requests would be in flight on
//     average. The new delay is the mean of the old delay and the target.
//   - A response that is not a success (status outside 200-399, or no
//     response) may raise the delay but never lowers it: errors are often
//     fast and must not speed the crawl up.
//   - A 429 or 503 answer backs off: the delay doubles (at least
//     BackoffFloor).
//   - The delay always stays within [Config.Delay, MaxDelay].
type autoThrottle struct {
	StartDelay        time.Duration
	MaxDelay          time.Duration
	TargetConcurrency float64
	BackoffFloor      time.Duration
}

// defaultAutoThrottle returns the throttle Config.AutoThrottle uses: start
// at 1s, at most 60s, target concurrency targetConcurrency (the crawl uses
// Config.PerHost), back off to at least 1s. The crawl lowers MaxDelay (and
// StartDelay) to Config.MaxDelay when that is less, and never below
// Config.Delay.
func defaultAutoThrottle(targetConcurrency int) *autoThrottle {
	return &autoThrottle{
		StartDelay:        time.Second,
		MaxDelay:          60 * time.Second,
		TargetConcurrency: float64(max(targetConcurrency, 1)),
		BackoffFloor:      time.Second,
	}
}

// Next returns a host's new delay, from its current delay cur, the outcome
// of a request, and the least delay allowed (Config.Delay).
func (a *autoThrottle) Next(cur time.Duration, o Outcome, floor time.Duration) time.Duration {
	var next time.Duration
	switch {
	case o.Status == 429 || o.Status == 503:
		next = max(2*cur, a.BackoffFloor)
	default:
		target := time.Duration(float64(o.Latency) / a.TargetConcurrency)
		next = (cur + target) / 2
		if (o.Status < 200 || o.Status > 399) && next < cur {
			next = cur
		}
	}
	return min(max(next, floor), a.MaxDelay)
}
