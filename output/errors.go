package output

import "errors"

// Errors callers branch on. The errors returned wrap them, with the path
// and the detail in the message.
var (
	// ErrUnknownFormat: the format name or the path's extension is not one
	// of jsonl, csv, json.
	ErrUnknownFormat = errors.New("unknown output format")
	// ErrNotAppendable: the output cannot be appended to (a JSON array, or
	// standard output).
	ErrNotAppendable = errors.New("output cannot be appended to")
	// ErrHeaderMismatch: an existing CSV file's header is not the one this
	// crawl's rules make.
	ErrHeaderMismatch = errors.New("CSV header does not match the extraction rules")
	// ErrBadRules: a rule name is empty, repeated, not valid UTF-8 or, for
	// CSV, the name of one of the fixed columns.
	ErrBadRules = errors.New("bad extraction rule names")
	// ErrCorrupt: an existing output holds something other than whole
	// records before its last line.
	ErrCorrupt = errors.New("output file is corrupt")
	// ErrTorn: ReadFile found a torn last record (the writer was killed
	// mid-write; Recover cuts it off).
	ErrTorn = errors.New("output file ends in a torn record")
	// ErrClosed: Write after Close.
	ErrClosed = errors.New("output writer is closed")
)
