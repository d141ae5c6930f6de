package scrape

import (
	"context"
	"errors"
)

// StoppedByMaxTime is Stats.StoppedBy when Config.MaxTime ran out.
const StoppedByMaxTime = "max_time"

// errMaxTime is the cause of the scheduling context's end when
// Config.MaxTime runs out.
var errMaxTime = errors.New("scrape: Config.MaxTime is up")

// withMaxTime is ctx, ended after Config.MaxTime (if set) with errMaxTime
// as its cause, and whether that is what ended it.
func (c *Crawler) withMaxTime(ctx context.Context) (context.Context, context.CancelFunc, func() bool) {
	if c.cfg.MaxTime <= 0 {
		return ctx, func() {}, func() bool { return false }
	}
	tctx, cancel := context.WithTimeoutCause(ctx, c.cfg.MaxTime, errMaxTime)
	return tctx, cancel, func() bool { return errors.Is(context.Cause(tctx), errMaxTime) }
}

// maxTimeStop says how the stats name a stop by Config.MaxTime: "" unless
// it ended the crawl and nothing else (a signal) did first.
func maxTimeStop(expired func() bool, interrupted bool) string {
	if interrupted || !expired() {
		return ""
	}
	return StoppedByMaxTime
}
