package output

import (
	"encoding/json"
	"os"

	"github.com/poolscrape/poolscrape/scrape/record"
)

// ReadFile reads every record of an output file (the zero Format: the one
// of the path's extension), in file order, for tests and tools that check a crawl's
// output. It is strict: a torn last record is ErrTorn, anything else that
// is not a whole record ErrCorrupt, and a JSON array must be complete.
// Records read back have non-nil Matches and Links.
func ReadFile(path string, format Format) ([]record.Record, error) {
	f, err := FormatFor(path, string(format))
	if err != nil {
		return nil, err
	}
	if f == JSON {
		return readJSONArray(path)
	}
	file, err := os.Open(path)
	if err != nil {
		return nil, errorf(path, "read: %w", err)
	}
	defer file.Close()
	var recs []record.Record
	s, err := scanFile(file, f, func(r *record.Record) { recs = append(recs, normalized(*r)) })
	if err != nil {
		return nil, errorf(path, "read: %w", err)
	}
	if s.end < s.size {
		return nil, errorf(path, "read: %w: %d bytes after the last whole record", ErrTorn, s.size-s.end)
	}
	if f == CSV && s.header == nil {
		return nil, errorf(path, "read: %w: no CSV header", ErrCorrupt)
	}
	return recs, nil
}

// readJSONArray reads a JSON array output.
func readJSONArray(path string) ([]record.Record, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, errorf(path, "read: %w", err)
	}
	var recs []record.Record
	if err := json.Unmarshal(b, &recs); err != nil {
		return nil, errorf(path, "read: %w: %w", ErrCorrupt, err)
	}
	for i := range recs {
		recs[i] = normalized(recs[i])
	}
	return recs, nil
}

// normalized gives a read-back record non-nil Matches and Links.
func normalized(r record.Record) record.Record {
	if r.Matches == nil {
		r.Matches = map[string][]string{}
	}
	if r.Links == nil {
		r.Links = []string{}
	}
	return r
}
