package main

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"time"
	"unicode"
	"unicode/utf8"
)

// Upper bounds of flag values: past them a value is a typo, or asks for
// more processes, connections or memory than a machine has, not a setting.
const (
	maxFlagDuration = 24 * time.Hour // delays, timeouts, intervals
	maxConcurrency  = 100_000        // goroutines, fetches or connections in flight
	maxProcesses    = 1024           // worker processes
	maxRetries      = 100
	maxBenchPages   = 10_000_000
	maxBenchFanout  = 1000
	maxBenchLatency = time.Minute
	maxMessageSize  = 64 << 20 // echo bench -s
)

// bound is one range check of a flag's value.
type bound struct {
	flag string
	val  any
	bad  bool
	want string
}

// firstOutOfRange returns a usage error naming the first flag whose value
// is bad, with the value and the range wanted.
func firstOutOfRange(bs []bound) error {
	for _, b := range bs {
		if b.bad {
			return usageErrorf("%s %v: out of range (want %s)", b.flag, b.val, b.want)
		}
	}
	return nil
}

// checkText rejects a flag value that is not valid UTF-8 or holds a
// control character (a newline in a header, a NUL in a key name).
func checkText(flag, s string) error {
	if !utf8.ValidString(s) {
		return usageErrorf("%s %q: not valid UTF-8", flag, s)
	}
	for _, r := range s {
		if unicode.IsControl(r) {
			return usageErrorf("%s %q: holds the control character %U", flag, s, r)
		}
	}
	return nil
}

// checkDirFlag rejects a path that must be a directory (or not exist yet,
// to be created) but is something else: a regular file, or a path through
// one.
func checkDirFlag(flag, path string) error {
	st, err := os.Stat(path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return nil
	case err != nil:
		return usageErrorf("%s %q: %v", flag, path, err)
	case !st.IsDir():
		return usageErrorf("%s %q: not a directory (it is a %s)", flag, path, fileKind(st.Mode()))
	}
	return nil
}

// fileKind names a file's type for an error message.
func fileKind(m fs.FileMode) string {
	switch {
	case m.IsRegular():
		return "regular file"
	case m&fs.ModeDevice != 0:
		return "device"
	case m&fs.ModeNamedPipe != 0:
		return "named pipe"
	case m&fs.ModeSocket != 0:
		return "socket"
	}
	return m.Type().String()
}

// samePath reports whether a and b name the same file: the same path once
// made absolute, or, when both exist, the same file (a link to it).
func samePath(a, b string) bool {
	aa, err1 := filepath.Abs(a)
	ab, err2 := filepath.Abs(b)
	if err1 == nil && err2 == nil && aa == ab {
		return true
	}
	sa, err1 := os.Stat(a)
	sb, err2 := os.Stat(b)
	return err1 == nil && err2 == nil && os.SameFile(sa, sb)
}
