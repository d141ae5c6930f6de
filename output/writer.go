package output

import (
	"errors"
	"io"
	"os"
	"slices"
	"sync"
	"syscall"

	"github.com/poolscrape/poolscrape/scrape/record"
)

// Writer writes records to one output. It is safe for concurrent use.
type Writer struct {
	name   string // the path, in errors; "" for a stream (NewWriter)
	format Format
	enc    encoder
	dst    io.Writer
	// file is the file Open opened (or standard output): synced at Close,
	// and closed unless it is standard output (stdout). nil for NewWriter.
	file   *os.File
	stdout bool
	// regular: the output is a regular file, which a failed write can be
	// cut back off (not standard output, a device or a pipe).
	regular bool
	// inPlace: the file (a JSON array in a regular file) always ends with
	// the format's footer; each record is written over it, footer included.
	inPlace bool
	// pending: the file is open but not started yet (WithOverwrite): its
	// old content is still there until the first Write or Close.
	pending bool

	mu     sync.Mutex
	size   int64 // bytes in the file after the last whole write
	n      int64 // records written
	err    error // the first write error: no record is written after it
	closed bool
}

// A Writer takes a crawl's records (scrape.Config.Output).
var _ record.Writer = (*Writer)(nil)

// NewWriter returns a Writer that encodes records in format f onto w, for
// a crawl whose extraction rules are named rules, in that order (the CSV
// columns). It writes the format's header (CSV's header row, a JSON
// array's "[") to w before it returns. Each record is handed to w with one
// Write call; a stream cannot be cut, so after a failed write w may hold
// part of a record, and the Writer refuses further records with that
// error. Close writes the format's footer (a JSON array's "]"); it neither
// syncs nor closes w. For files, whose failed writes are undone, use Open.
func NewWriter(w io.Writer, f Format, rules []string) (*Writer, error) {
	f, err := ParseFormat(string(f))
	if err != nil {
		return nil, err
	}
	out, err := newWriter("", f, rules)
	if err != nil {
		return nil, err
	}
	out.dst = w
	if err := out.start(); err != nil {
		return nil, err
	}
	return out, nil
}

// newWriter checks the rules and returns a Writer named name (in errors)
// without an output yet: the caller sets dst and starts it.
func newWriter(name string, f Format, rules []string) (*Writer, error) {
	if err := checkRules(rules, f); err != nil {
		return nil, errorf(name, "%w", err)
	}
	return &Writer{name: name, format: f, enc: newEncoder(f, slices.Clone(rules))}, nil
}

// start writes the format's header (and, in place, the footer) to the
// empty output. A write that fails leaves a regular file empty.
func (w *Writer) start() error {
	h := w.enc.header()
	if w.inPlace {
		h = append(h, w.enc.footer(0)...)
	}
	if len(h) == 0 {
		return nil
	}
	if _, err := w.dst.Write(h); err != nil {
		err = errorf(w.name, "cannot write: %w", err)
		if w.regular {
			if terr := w.file.Truncate(0); terr != nil {
				err = errors.Join(err, errorf(w.name, "empty it again: %w", terr))
			}
		}
		return err
	}
	w.size = int64(len(h))
	return nil
}

// Path returns the output's path ("-" for standard output, "" for a
// Writer made by NewWriter).
func (w *Writer) Path() string { return w.name }

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
// returns; the first Write to a file opened WithOverwrite empties the file
// and writes the format's header first. A record that cannot be encoded (a CSV output's record with
// matches for a rule that is not one of its columns, a time JSON cannot
// hold) is an error and nothing is written; after a failed write, every
// Write returns that error. Write after Close returns ErrClosed.
func (w *Writer) Write(rec record.Record) error {
	b, err := w.enc.record(&rec)
	if err != nil {
		return errorf(w.name, "encode the record of %s: %w", rec.URL, err)
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	switch {
	case w.closed:
		return errorf(w.name, "%w", ErrClosed)
	case w.err != nil:
		return w.err
	}
	if err := w.begin(); err != nil {
		return err
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
	w.err = errorf(w.name, "write: %w", err)
	// WriteAt does not count what a failing call wrote: restore always.
	rerr := w.file.Truncate(w.size)
	if rerr == nil {
		_, rerr = w.file.WriteAt(tail, at)
	}
	if rerr != nil {
		w.err = errors.Join(w.err, errorf(w.name, "restore the end after a failed write: %w", rerr))
	}
	return w.err
}

// write writes b, and on failure cuts what it may have written back off a
// regular file and remembers the error. The caller holds w.mu.
func (w *Writer) write(b []byte) error {
	n, err := w.dst.Write(b)
	if err == nil {
		w.size += int64(n)
		return nil
	}
	w.err = errorf(w.name, "write: %w", err)
	if w.regular {
		if terr := w.file.Truncate(w.size); terr != nil {
			w.err = errors.Join(w.err, errorf(w.name, "cut the partial record off: %w", terr))
		}
	}
	return w.err
}

// Close writes the format's footer (the JSON array's "]") unless the file
// holds it already (a JSON array in a regular file, which always ends with
// it); a file opened WithOverwrite that no Write started is emptied and
// started first, so a run that wrote nothing leaves an empty, valid
// output (see Abort to leave the file as it was). A Writer that Open made then syncs its file to disk and closes it
// (standard output is synced when it can be, not closed). Close returns
// the first error met, a failed Write's included. Closing again returns
// nil.
func (w *Writer) Close() error {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.closed {
		return nil
	}
	w.closed = true
	err := w.begin()
	if f := w.enc.footer(w.n); err == nil && len(f) > 0 && !w.inPlace {
		err = w.write(f)
	}
	if w.file == nil {
		return err
	}
	// A device (/dev/null, /dev/stdout on a pipe) has nothing to sync.
	if serr := w.file.Sync(); serr != nil && !isUnsyncable(serr) {
		err = errors.Join(err, errorf(w.name, "sync: %w", serr))
	}
	if !w.stdout {
		if cerr := w.file.Close(); cerr != nil {
			err = errors.Join(err, errorf(w.name, "close: %w", cerr))
		}
	}
	return err
}

// isUnsyncable reports whether a Sync error only says the file (a pipe, a
// terminal, a device such as /dev/null) has nothing to sync.
func isUnsyncable(err error) bool {
	return errors.Is(err, syscall.EINVAL) || errors.Is(err, syscall.ENOTSUP) || errors.Is(err, syscall.EBADF)
}
