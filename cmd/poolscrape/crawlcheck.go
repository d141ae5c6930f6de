package main

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/poolscrape/poolscrape/output"
)

// checkLimits names the first crawl flag whose value the lower bounds of
// checkNumbers let through but is still not usable: past an upper bound,
// text with control characters, --stats naming the output, a --warc,
// --output or --stats file that cannot be created. Every error is a usage
// error naming the flag and the value.
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
	for _, p := range []struct{ flag, path string }{{"--warc", f.warc}, {"--output", f.output}, {"--stats", f.stats}} {
		if p.path == output.Stdout {
			continue
		}
		if err := checkFilePath(p.flag, p.path); err != nil {
			return err
		}
	}
	return nil
}

// checkFilePath refuses, without creating it, a file path given to flag
// (--warc, --output, --stats: made in that order, after the other checks)
// that cannot be created, so that the files made before the one that
// fails are not left behind by a refused run: its folder must exist, and
// the path must not be a folder. "" is no file.
func checkFilePath(flag, path string) error {
	if path == "" {
		return nil
	}
	if st, err := os.Stat(path); err == nil && st.IsDir() {
		return usageErrorf("%s %q: is a directory", flag, path)
	}
	dir := filepath.Dir(path)
	st, err := os.Stat(dir)
	switch {
	case err != nil:
		return usageErrorf("%s %q: %v", flag, path, err)
	case !st.IsDir():
		return usageErrorf("%s %q: %s is not a directory", flag, path, dir)
	}
	return nil
}
