package output

import (
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"sync"
	"syscall"

	"github.com/poolscrape/poolscrape/scrape/record"
)

// Option changes how Open opens an output.
type Option func(*options)

type options struct{ append bool }

// WithAppend(true) opens an existing JSONL or CSV file for appending (a
// resumed crawl) instead of truncating it; a missing file is created. A
// torn last record is cut off first, and a CSV file's header must be the
// one the rules make (ErrHeaderMismatch). JSON arrays and standard output
// cannot be appended to (ErrNotAppendable).
func WithAppend(on bool) Option { return func(o *options) { o.append = on } }

// Writer writes records to one output. It is safe for concurrent use.
type Writer struct {
	path   string
	format Format
	enc    encoder
	file   *os.File
	stdout bool
	// regular: the output is a regular file, which a failed write can be
	// cut back off (not standard output, a device or a pipe).
	regular bool
	// inPlace: the file (a JSON array in a regular file) always ends with
	// the format's footer; each record is written over it, footer included.
	inPlace bool

	mu     sync.Mutex
	size   int64 // bytes in the file after the last whole write
	n      int64 // records written
	err    error // the first write error: no record is written after it
	closed bool
}

// Open opens the output at path ("-": standard output) in format ("":
// from the path's extension; see FormatFor) for a crawl whose extraction
// rules are named rules, in that order (the CSV columns). It creates or
// truncates the file and writes the format's header, so an unwritable path
// (missing directory, a directory, no permission) fails here, with an
// error that names the path, before the crawl makes any request.
func Open(path, format string, rules []string, opts ...Option) (*Writer, error) {
	var o options
	for _, opt := range opts {
		opt(&o)
	}
	f, err := FormatFor(path, format)
	if err != nil {
		return nil, err
	}
	if err := checkRules(rules, f); err != nil {
		return nil, fmt.Errorf("output %s: %w", path, err)
	}
	w := &Writer{path: path, format: f, enc: newEncoder(f, slices.Clone(rules))}
	switch {
	case o.append && (f == JSON || path == Stdout):
		return nil, fmt.Errorf("output %s: %w: use a jsonl or csv file to resume a crawl", path, ErrNotAppendable)
	case path == Stdout:
		w.file, w.stdout = os.Stdout, true
		err = w.start()
	case o.append:
		err = w.openAppend(rules)
	default:
		err = w.openNew()
	}
	if err != nil {
		return nil, err
	}
	return w, nil
}

// openNew creates or truncates the file and starts it. A JSON array in a
// regular file is written in place (see Writer.inPlace), every other output
// is appended to.
func (w *Writer) openNew() error {
	flags := os.O_WRONLY | os.O_CREATE | os.O_TRUNC
	if w.format != JSON {
		flags |= os.O_APPEND
	}
	f, err := os.OpenFile(w.path, flags, 0o644)
	if err != nil {
		return fmt.Errorf("output: cannot write %s: %w", w.path, err)
	}
	if err := w.setFile(f); err != nil {
		return err
	}
	if err := w.start(); err != nil {
		return errors.Join(err, f.Close())
	}
	return nil
}

// setFile makes f the output's file, and tells how it can be written to;
// it closes f on failure.
func (w *Writer) setFile(f *os.File) error {
	st, err := f.Stat()
	if err != nil {
		return errors.Join(fmt.Errorf("output %s: %w", w.path, err), f.Close())
	}
	w.file, w.regular = f, st.Mode().IsRegular()
	w.inPlace = w.regular && w.format == JSON
	return nil
}

// openAppend repairs an existing file's tail, checks its CSV header and
// opens it for appending.
func (w *Writer) openAppend(rules []string) error {
	rec, err := recoverFile(w.path, w.format, nil)
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		return err
	}
	if w.format == CSV && rec.Header != nil && !slices.Equal(rec.Header, CSVHeader(rules)) {
		return fmt.Errorf("output %s: %w: the file has columns %q, this crawl writes %q; use the same --regex and --css rules or another file",
			w.path, ErrHeaderMismatch, rec.Header, CSVHeader(rules))
	}
	f, err := os.OpenFile(w.path, os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o644)
	if err != nil {
		return fmt.Errorf("output: cannot write %s: %w", w.path, err)
	}
	if err := w.setFile(f); err != nil {
		return err
	}
	w.n = int64(rec.Records)
	if w.size, err = f.Seek(0, io.SeekEnd); err != nil {
		return errors.Join(fmt.Errorf("output %s: %w", w.path, err), f.Close())
	}
	if w.size > 0 {
		return nil
	}
	if err := w.start(); err != nil {
		return errors.Join(err, f.Close())
	}
	return nil
}

// start writes the format's header (and, in place, the footer) to the
// empty file. A write that fails leaves the file empty.
func (w *Writer) start() error {
	h := w.enc.header()
	if w.inPlace {
		h = append(h, w.enc.footer(0)...)
	}
	if len(h) == 0 {
		return nil
	}
	if _, err := w.file.Write(h); err != nil {
		err = fmt.Errorf("output: cannot write %s: %w", w.path, err)
		if w.regular {
			if terr := w.file.Truncate(0); terr != nil {
				err = errors.Join(err, fmt.Errorf("output: empty %s again: %w", w.path, terr))
			}
		}
		return err
	}
	w.size = int64(len(h))
	return nil
}

// Path returns the output's path ("-" for standard output).
func (w *Writer) Path() string { return w.path }

// Format returns the output's format.
func (w *Writer) Format() Format { return w.format }

// Records returns how many records the output holds: those written, plus
// those already in a file opened for appending.
func (w *Writer) Records() int64 {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.n
}

// Write encodes rec and writes it whole, with one write call, before it
// returns. A record that cannot be encoded (a CSV output's record with
// matches for a rule that is not one of its columns, a time JSON cannot
// hold) is an error and nothing is written; after a failed write, every
// Write returns that error. Write after Close returns ErrClosed.
func (w *Writer) Write(rec record.Record) error {
	b, err := w.enc.record(&rec)
	if err != nil {
		return fmt.Errorf("output %s: encode the record of %s: %w", w.path, rec.URL, err)
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	switch {
	case w.closed:
		return fmt.Errorf("output %s: %w", w.path, ErrClosed)
	case w.err != nil:
		return w.err
	}
	if w.n == 0 {
		b = b[w.enc.skipFirst():]
	}
	write := w.write
	if w.inPlace {
		write = w.writeInPlace
	}
	if err := write(b); err != nil {
		return err
	}
	w.n++
	return nil
}

// writeInPlace writes b and the footer over the footer at the file's end,
// with one write call. On failure it cuts what was written past the old
// end off and writes the old footer back over the bytes it held (space the
// file has already, so this works on a full disk), and remembers the
// error. The caller holds w.mu.
func (w *Writer) writeInPlace(b []byte) error {
	tail := w.enc.footer(w.n)
	at := w.size - int64(len(tail))
	b = append(b, w.enc.footer(w.n+1)...)
	_, err := w.file.WriteAt(b, at)
	if err == nil {
		w.size = at + int64(len(b))
		return nil
	}
	w.err = fmt.Errorf("output: write to %s: %w", w.path, err)
	// WriteAt does not count what a failing call wrote: restore always.
	rerr := w.file.Truncate(w.size)
	if rerr == nil {
		_, rerr = w.file.WriteAt(tail, at)
	}
	if rerr != nil {
		w.err = errors.Join(w.err, fmt.Errorf("output: restore the end of %s after a failed write: %w", w.path, rerr))
	}
	return w.err
}

// write writes b, and on failure cuts what it may have written back off a
// regular file and remembers the error. The
// caller holds w.mu.
func (w *Writer) write(b []byte) error {
	n, err := w.file.Write(b)
	if err == nil {
		w.size += int64(n)
		return nil
	}
	w.err = fmt.Errorf("output: write to %s: %w", w.path, err)
	if w.regular {
		if terr := w.file.Truncate(w.size); terr != nil {
			w.err = errors.Join(w.err, fmt.Errorf("output: cut the partial record off %s: %w", w.path, terr))
		}
	}
	return w.err
}

// Close writes the format's footer (the JSON array's "]") unless the file
// holds it already (a JSON array in a regular file, which always ends with
// it), syncs the file to disk and closes it (standard output is synced when
// it can be, not closed). It returns the first error met, a failed Write's
// included. Closing again returns nil.
func (w *Writer) Close() error {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.closed {
		return nil
	}
	w.closed = true
	err := w.err
	if f := w.enc.footer(w.n); err == nil && len(f) > 0 && !w.inPlace {
		err = w.write(f)
	}
	// A device (-o /dev/null, /dev/stdout on a pipe) has nothing to sync.
	if serr := w.file.Sync(); serr != nil && !isUnsyncable(serr) {
		err = errors.Join(err, fmt.Errorf("output: %w", serr))
	}
	if !w.stdout {
		if cerr := w.file.Close(); cerr != nil {
			err = errors.Join(err, fmt.Errorf("output: close %s: %w", w.path, cerr))
		}
	}
	return err
}

// isUnsyncable reports whether a Sync error only says the file (a pipe, a
// terminal, a device such as /dev/null) has nothing to sync.
func isUnsyncable(err error) bool {
	return errors.Is(err, syscall.EINVAL) || errors.Is(err, syscall.ENOTSUP) || errors.Is(err, syscall.EBADF)
}
