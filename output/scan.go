package output

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/poolscrape/poolscrape/scrape/record"
)

// scanned is what scanning an output file found.
type scanned struct {
	end     int64    // offset just after the last whole record
	size    int64    // the file's size
	header  []string // CSV: the header row, nil if none is whole
	records int      // whole records, the header not counted
}

// scanFile reads the whole records of a JSONL or CSV output from f, calling
// fn (when not nil) for each. A record is whole when it ends with a
// newline; what follows the last whole record is a torn tail, reported as
// end < size. Anything else that does not parse is ErrCorrupt.
func scanFile(f *os.File, format Format, fn func(*record.Record)) (scanned, error) {
	st, err := f.Stat()
	if err != nil {
		return scanned{}, err
	}
	if st.IsDir() {
		return scanned{}, errors.New("is a directory")
	}
	if format == CSV {
		return scanCSV(f, st.Size(), fn)
	}
	return scanJSONL(f, st.Size(), fn)
}

// scanJSONL scans JSON lines.
func scanJSONL(f *os.File, size int64, fn func(*record.Record)) (scanned, error) {
	s := scanned{size: size}
	r := bufio.NewReaderSize(f, 64<<10)
	for line := 1; ; line++ {
		b, err := r.ReadBytes('\n')
		if errors.Is(err, io.EOF) {
			return s, nil // b, if any, is a torn tail
		}
		if err != nil {
			return s, err
		}
		if len(bytes.TrimSpace(b)) > 0 {
			var rec record.Record
			if err := json.Unmarshal(b, &rec); err != nil {
				return s, fmt.Errorf("%w: line %d: %w", ErrCorrupt, line, err)
			}
			s.records++
			if fn != nil {
				fn(&rec)
			}
		}
		s.end += int64(len(b))
	}
}

// scanCSV scans a CSV output: its header, then rows.
func scanCSV(f *os.File, size int64, fn func(*record.Record)) (scanned, error) {
	s := scanned{size: size}
	cr := csv.NewReader(f)
	var rules []string
	for {
		row, err := cr.Read()
		if errors.Is(err, io.EOF) {
			return s, nil
		}
		if err != nil {
			if cr.InputOffset() >= size { // cut off mid-row
				return s, nil
			}
			return s, fmt.Errorf("%w: %w", ErrCorrupt, err)
		}
		if cr.InputOffset() == size && !endsWithNewline(f, size) {
			return s, nil // the last row lost its newline, maybe more
		}
		if s.header == nil {
			var ok bool
			if rules, ok = rulesOf(row); !ok {
				return s, fmt.Errorf("%w: the first row %q is not a poolscrape CSV header", ErrCorrupt, row)
			}
			s.header, s.end = row, cr.InputOffset()
			continue
		}
		rec, err := parseRow(row, rules)
		if err != nil {
			line, _ := cr.FieldPos(0)
			return s, fmt.Errorf("%w: line %d: %w", ErrCorrupt, line, err)
		}
		s.records++
		if fn != nil {
			fn(&rec)
		}
		s.end = cr.InputOffset()
	}
}

// endsWithNewline reports whether the file's last byte is a newline.
func endsWithNewline(f *os.File, size int64) bool {
	b := make([]byte, 1)
	_, err := f.ReadAt(b, size-1)
	return err == nil && b[0] == '\n'
}
