package warc

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"strings"
	"sync"
	"time"
)

// ErrFormat is returned for a file name that ends neither in .warc nor in
// .warc.gz.
var ErrFormat = errors.New("warc: file name must end in .warc or .warc.gz")

// Writer appends WARC records to one file. It is safe for concurrent use.
// After its first failed write (the failed bytes cut back off) every
// write fails with that error, and so does Close.
type Writer struct {
	mu     sync.Mutex
	f      *os.File
	path   string
	gz     bool
	off    int64  // end of the last whole record
	info   string // WARC-Record-ID of the last warcinfo record
	empty  bool   // Overwrite: empty the file before the first write
	err    error
	closed bool
}

// Compressed reports whether path names a .warc.gz file, and fails with
// ErrFormat for a name that is not .warc or .warc.gz.
func Compressed(path string) (bool, error) {
	switch {
	case strings.HasSuffix(path, ".warc.gz"):
		return true, nil
	case strings.HasSuffix(path, ".warc"):
		return false, nil
	}
	return false, fmt.Errorf("%w: %q", ErrFormat, path)
}

// Create creates the WARC file path, or empties it, and locks it against
// other Writers.
func Create(path string) (*Writer, error) {
	return open(path, emptyNow)
}

// Overwrite is Create that leaves an existing file's content alone until
// the first record is written, which empties the file first: a caller
// that opens its files before it knows whether it will use them, and
// closes this Writer unused, leaves the file as it was.
func Overwrite(path string) (*Writer, error) {
	return open(path, emptyLater)
}

// Append opens the WARC file path (creating it if need be) and locks it
// against other Writers, cuts off a torn last record, and writes after its
// last whole record. It fails with ErrNotWARC, leaving the file alone, if
// the file does not begin with a WARC record.
func Append(path string) (*Writer, error) {
	return open(path, appendTo)
}

// openMode is what open does with an existing file's content.
type openMode int

const (
	emptyNow   openMode = iota // Create
	emptyLater                 // Overwrite: at the first write
	appendTo                   // Append
)

func open(path string, mode openMode) (*Writer, error) {
	gz, err := Compressed(path)
	if err != nil {
		return nil, err
	}
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return nil, fmt.Errorf("warc: %w", err)
	}
	if err := lock(f); err != nil {
		f.Close()
		return nil, fmt.Errorf("warc: %s is in use by another writer: %w", path, err)
	}
	w := &Writer{f: f, path: path, gz: gz, empty: mode == emptyLater}
	switch mode {
	case emptyNow:
		err = f.Truncate(0)
	case appendTo:
		w.off, err = cutTorn(f, gz)
	}
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("warc: open %s: %w", path, err)
	}
	return w, nil
}

// WriteInfo writes a warcinfo record with fields (software, format, the
// crawl's settings, ...) in this order; the records written after it name
// it in WARC-Warcinfo-ID.
func (w *Writer) WriteInfo(date time.Time, fields []Field) error {
	var block strings.Builder
	for _, f := range fields {
		block.WriteString(oneLine(f.Name) + ": " + oneLine(f.Value) + "\r\n")
	}
	id := newID()
	r := newRecord("warcinfo", id, date)
	r.add("WARC-Filename", baseName(w.path))
	r.add("Content-Type", "application/warc-fields")
	r.setBlock([]byte(block.String()))
	var b bytes.Buffer
	r.appendTo(&b, w.gz)
	w.mu.Lock()
	defer w.mu.Unlock()
	if err := w.writeLocked(b.Bytes()); err != nil {
		return err
	}
	w.info = id
	return nil
}

// WriteExchange writes ex as a request record and a response record (a
// revisit record when ex.Profile is set) that name each other in
// WARC-Concurrent-To, both in one write. It sets ex.ID when it is "", and
// ex.PayloadDigest when it is "" and the record has one.
func (w *Writer) WriteExchange(ex *Exchange) error {
	if ex.ID == "" {
		ex.ID = newID()
	}
	reqID, respID := newID(), ex.ID
	w.mu.Lock()
	info := w.info
	w.mu.Unlock()
	req := newRecord("request", reqID, ex.Date)
	resp := newRecord("response", respID, ex.Date)
	if ex.Profile != "" {
		resp = newRecord("revisit", respID, ex.Date)
	}
	for _, r := range []*record{req, resp} {
		r.add("WARC-Target-URI", ex.TargetURI)
		r.add("WARC-IP-Address", ex.IP)
		r.add("WARC-Warcinfo-ID", info)
	}
	req.add("WARC-Concurrent-To", respID)
	req.add("Content-Type", "application/http;msgtype=request")
	req.setBlock(ex.Request)
	resp.add("WARC-Concurrent-To", reqID)
	resp.add("Content-Type", "application/http;msgtype=response")
	if ex.Profile != "" {
		resp.add("WARC-Profile", ex.Profile)
		resp.add("WARC-Refers-To", ex.RefersTo)
		resp.add("WARC-Refers-To-Target-URI", ex.TargetURI)
		if !ex.RefersToDate.IsZero() {
			resp.add("WARC-Refers-To-Date", warcDate(ex.RefersToDate))
		}
	}
	if ex.Profile != ProfileServerNotModified {
		if ex.PayloadDigest == "" {
			ex.PayloadDigest = PayloadDigest(ex.Body)
		}
		resp.add("WARC-Payload-Digest", ex.PayloadDigest)
	}
	resp.add("WARC-Truncated", ex.Truncated)
	if ex.Profile == ProfileIdenticalPayloadDigest {
		resp.setBlock(ex.ResponseHead)
	} else {
		resp.setBlock(ex.ResponseHead, ex.Body)
	}
	var b bytes.Buffer
	b.Grow(len(ex.Request) + len(ex.ResponseHead) + len(ex.Body) + 2048)
	req.appendTo(&b, w.gz)
	resp.appendTo(&b, w.gz)
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.writeLocked(b.Bytes())
}

// writeLocked writes p at the end of the last whole record with one
// write, and cuts a failed write back off.
func (w *Writer) writeLocked(p []byte) error {
	if w.err != nil {
		return w.err
	}
	if w.closed {
		return ErrClosed
	}
	if w.empty {
		if err := w.f.Truncate(0); err != nil {
			w.err = fmt.Errorf("warc: empty %s: %w", w.path, err)
			return w.err
		}
		w.empty = false
	}
	if _, err := w.f.WriteAt(p, w.off); err != nil {
		w.err = fmt.Errorf("warc: write %s: %w", w.path, err)
		if terr := w.f.Truncate(w.off); terr != nil {
			w.err = fmt.Errorf("%w (and cutting the failed write off: %w)", w.err, terr)
		}
		return w.err
	}
	w.off += int64(len(p))
	return nil
}

// ErrClosed fails a write to a closed Writer.
var ErrClosed = errors.New("warc: writer closed")

// Close waits for the write under way, closes the file and returns the
// first write error, if any. Closing a nil or closed Writer does nothing
// more.
func (w *Writer) Close() error {
	if w == nil {
		return nil
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.closed {
		return w.err
	}
	w.closed = true
	cerr := w.f.Close()
	if w.err != nil {
		return w.err
	}
	if cerr != nil {
		return fmt.Errorf("warc: close %s: %w", w.path, cerr)
	}
	return nil
}

func baseName(path string) string {
	if i := strings.LastIndexByte(path, os.PathSeparator); i >= 0 {
		return path[i+1:]
	}
	return path
}
