package output

import (
	"errors"
	"fmt"
)

// Errors callers branch on. The errors returned wrap them, with the path
// and the detail in the message; every error the package returns starts
// with "output: ", then the path when there is one.
var (
	// ErrUnknownFormat: the format name or the path's extension is not one
	// of jsonl, csv, json.
	ErrUnknownFormat = errors.New("unknown format")
	// ErrNotAppendable: the output cannot be appended to (a JSON array, or
	// standard output).
	ErrNotAppendable = errors.New("cannot be appended to")
	// ErrHeaderMismatch: an existing CSV file's header is not the one this
	// crawl's rules make.
	ErrHeaderMismatch = errors.New("CSV header does not match the extraction rules")
	// ErrBadRules: a rule name is empty, repeated, not valid UTF-8 or, for
	// CSV, the name of one of the fixed columns.
	ErrBadRules = errors.New("bad extraction rule names")
	// ErrCorrupt: an existing output holds something other than whole
	// records before its last line.
	ErrCorrupt = errors.New("file is corrupt")
	// ErrTorn: ReadFile found a torn last record (the writer was killed
	// mid-write; Recover cuts it off).
	ErrTorn = errors.New("file ends in a torn record")
	// ErrClosed: Write after Close or Abort.
	ErrClosed = errors.New("writer is closed")
)

// errorf returns an error "output: name: " followed by the message, or
// "output: " and the message when name is empty (a Writer on a stream).
func errorf(name, format string, args ...any) error {
	prefix := "output: "
	if name != "" {
		prefix += name + ": "
	}
	return fmt.Errorf("%s"+format, append([]any{prefix}, args...)...)
}
