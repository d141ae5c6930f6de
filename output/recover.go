package output

import (
	"errors"
	"os"

	"github.com/poolscrape/poolscrape/scrape/record"
)

// Recovery is what Recover found in an existing output.
type Recovery struct {
	// Exists is false when there was no file: a fresh crawl.
	Exists bool
	// Records is the number of whole records in the file.
	Records int
	// URLs holds the url field of every whole record: the URLs a resumed
	// crawl must not fetch again.
	URLs map[string]struct{}
	// Header is a CSV file's header row (nil for JSONL, or an empty file).
	Header []string
	// Cut is the number of bytes of a torn last record that were cut off.
	Cut int64
}

// Recover reads back an existing JSONL or CSV output (the zero Format:
// the one of the path's extension) before a crawl resumes appending to it: it returns the URLs
// whose records are in it and cuts off a torn last record (a line without
// its newline, or a CSV row cut inside a quoted field), left by a writer
// killed mid-write, and syncs the file. The torn record's URL is not in
// URLs, so the resumed crawl fetches it again. A missing file is an empty
// Recovery, not an error. JSON arrays and standard output cannot be
// resumed (ErrNotAppendable); content that is not whole records before the
// last line is ErrCorrupt, and the file is left as it is.
func Recover(path string, format Format) (Recovery, error) {
	f, err := FormatFor(path, string(format))
	if err != nil {
		return Recovery{}, err
	}
	if f == JSON || path == Stdout {
		return Recovery{}, errorf(path, "%w: use a jsonl or csv file to resume a crawl", ErrNotAppendable)
	}
	urls := make(map[string]struct{})
	rec, err := recoverFile(path, f, func(r *record.Record) { urls[r.URL] = struct{}{} })
	if errors.Is(err, os.ErrNotExist) {
		return Recovery{URLs: urls}, nil
	}
	rec.URLs = urls
	return rec, err
}

// recoverFile scans path, cuts a torn tail off, and returns what it found.
func recoverFile(path string, format Format, fn func(*record.Record)) (Recovery, error) {
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		return Recovery{}, errorf(path, "cannot open to resume: %w", err)
	}
	s, err := scanFile(f, format, fn)
	rec := Recovery{Exists: true, Records: s.records, Header: s.header}
	if err != nil {
		err = errorf(path, "%w", err)
	} else if s.end < s.size {
		rec.Cut = s.size - s.end
		err = f.Truncate(s.end)
		if err == nil {
			err = f.Sync()
		}
		if err != nil {
			err = errorf(path, "cut the torn last record off: %w", err)
		}
	}
	if cerr := f.Close(); err == nil && cerr != nil {
		err = errorf(path, "close: %w", cerr)
	}
	return rec, err
}
