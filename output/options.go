package output

// Option changes how Open opens an output. Options are functions named
// With...; each says what it changes and what the default is.
type Option func(*options)

type options struct{ append, overwrite bool }

// WithAppend opens an existing JSONL or CSV file for appending (a resumed
// crawl) instead of truncating it, the default; a missing file is created.
// A torn last record is cut off first, and a CSV file's header must be the
// one the rules make (ErrHeaderMismatch). JSON arrays and standard output
// cannot be appended to (ErrNotAppendable).
func WithAppend() Option { return func(o *options) { o.append = true } }

// WithOverwrite opens the file (creating it if need be, so an unwritable
// path still fails in Open) but leaves an existing file's content as it is
// until the Writer starts the output: at its first Write, or at Close if
// nothing was written, which leaves an empty but valid output (a JSON
// array's "[]", a CSV header). The default empties the file in Open.
// Writer.Abort closes a Writer that has not started without touching the
// file, for a run refused after Open. Standard output starts in Open as
// without it; with WithAppend, which never empties the file, it has no
// effect.
func WithOverwrite() Option { return func(o *options) { o.overwrite = true } }
