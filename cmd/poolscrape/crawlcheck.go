package main

import (
	"fmt"

	"github.com/poolscrape/poolscrape/output"
)

// checkLimits names the first crawl flag whose value the lower bounds of
// checkNumbers let through but is still not usable: past an upper bound,
// text with control characters, --stats naming the output. Every error is
// a usage error naming the flag and the value.
func (f *crawlFlags) checkLimits() error {
	err := firstOutOfRange([]bound{
		{"--concurrency", f.concurrency, f.concurrency > maxConcurrency, fmt.Sprintf("1 to %d", maxConcurrency)},
		{"--per-host", f.perHost, f.perHost > maxConcurrency, fmt.Sprintf("1 to %d", maxConcurrency)},
		{"--retries", f.retries, f.retries > maxRetries, fmt.Sprintf("0 to %d", maxRetries)},
		{"--workers", f.workers, f.workers > maxProcesses, fmt.Sprintf("0 to %d", maxProcesses)},
		{"--delay", f.delay, f.delay > maxFlagDuration, "0 to " + maxFlagDuration.String()},
		{"--max-delay", f.maxDelay, f.maxDelay > maxFlagDuration, "more than 0, at most " + maxFlagDuration.String()},
		{"--timeout", f.timeout, f.timeout > maxFlagDuration, "more than 0, at most " + maxFlagDuration.String()},
	})
	if err != nil {
		return err
	}
	if err := checkText("--user-agent", f.userAgent); err != nil {
		return err
	}
	if f.stats != "" && f.output != output.Stdout && samePath(f.stats, f.output) {
		return usageErrorf("--stats %q: the same file as --output %q", f.stats, f.output)
	}
	return nil
}
