//go:build !unix

// Package fdlimit is a test helper: a test sets an environment variable
// and the worker processes it starts (the test binary run again) lower
// their soft limit on open files to its value, so that running out of
// descriptors can be tested without starving the test itself.
package fdlimit

// LowerFromEnv does nothing on this system, which has no RLIMIT_NOFILE
// (and runs no worker processes).
func LowerFromEnv(string) error { return nil }
