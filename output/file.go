package output

import (
	"errors"
	"io"
	"os"
	"slices"
)

// Open opens the output file at path ("-": standard output) in format f
// (the zero Format: the one of the path's extension, see FormatFor) for a
// crawl whose extraction rules are named rules, in that order (the CSV
// columns). It creates or truncates the file (see WithAppend) and writes
// the format's header (WithOverwrite: both at the first Write or Close),
// so an unwritable path (missing directory, a directory, no permission)
// fails here, with an error that names the path, before the crawl makes
// any request. A failed write to a regular
// file is undone (see the package doc); Close syncs and closes the file.
func Open(path string, f Format, rules []string, opts ...Option) (*Writer, error) {
	var o options
	for _, opt := range opts {
		opt(&o)
	}
	f, err := FormatFor(path, string(f))
	if err != nil {
		return nil, err
	}
	w, err := newWriter(path, f, rules)
	if err != nil {
		return nil, err
	}
	switch {
	case o.append && (f == JSON || path == Stdout):
		return nil, errorf(path, "%w: use a jsonl or csv file to resume a crawl", ErrNotAppendable)
	case path == Stdout:
		w.dst, w.file, w.stdout = os.Stdout, os.Stdout, true
		err = w.start()
	case o.append:
		err = w.openAppend(rules)
	default:
		err = w.openNew(o.overwrite)
	}
	if err != nil {
		return nil, err
	}
	return w, nil
}

// openNew creates or truncates the file and starts it, or, later (see
// WithOverwrite), only creates or opens it. A JSON array in a regular file
// is written in place (see Writer.inPlace), every other output is
// appended to.
func (w *Writer) openNew(later bool) error {
	flags := os.O_WRONLY | os.O_CREATE
	if !later {
		flags |= os.O_TRUNC
	}
	if w.format != JSON {
		flags |= os.O_APPEND
	}
	f, err := os.OpenFile(w.name, flags, 0o644)
	if err != nil {
		return errorf(w.name, "cannot write: %w", err)
	}
	if err := w.setFile(f); err != nil {
		return err
	}
	if later {
		w.pending = true
		return nil
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
		return errors.Join(errorf(w.name, "%w", err), f.Close())
	}
	w.file, w.dst, w.regular = f, f, st.Mode().IsRegular()
	w.inPlace = w.regular && w.format == JSON
	return nil
}

// openAppend repairs an existing file's tail, checks its CSV header and
// opens it for appending.
func (w *Writer) openAppend(rules []string) error {
	rec, err := recoverFile(w.name, w.format, nil)
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		return err
	}
	if w.format == CSV && rec.Header != nil && !slices.Equal(rec.Header, CSVHeader(rules)) {
		return errorf(w.name, "%w: the file has columns %q, this crawl writes %q; open it with the same rule names or choose another file",
			ErrHeaderMismatch, rec.Header, CSVHeader(rules))
	}
	f, err := os.OpenFile(w.name, os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o644)
	if err != nil {
		return errorf(w.name, "cannot write: %w", err)
	}
	if err := w.setFile(f); err != nil {
		return err
	}
	w.n = int64(rec.Records)
	if w.size, err = f.Seek(0, io.SeekEnd); err != nil {
		return errors.Join(errorf(w.name, "%w", err), f.Close())
	}
	if w.size > 0 {
		return nil
	}
	if err := w.start(); err != nil {
		return errors.Join(err, f.Close())
	}
	return nil
}
