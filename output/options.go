package output

// Option changes how Open opens an output. Options are functions named
// With...; each says what it changes and what the default is.
type Option func(*options)

type options struct{ append bool }

// WithAppend opens an existing JSONL or CSV file for appending (a resumed
// crawl) instead of truncating it, the default; a missing file is created.
// A torn last record is cut off first, and a CSV file's header must be the
// one the rules make (ErrHeaderMismatch). JSON arrays and standard output
// cannot be appended to (ErrNotAppendable).
func WithAppend() Option { return func(o *options) { o.append = true } }
