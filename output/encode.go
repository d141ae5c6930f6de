package output

import (
	"bytes"
	"encoding/csv"
	"encoding/json"

	"github.com/poolscrape/poolscrape/scrape/record"
)

// encoder turns records into the bytes of one format.
type encoder interface {
	// header is written when a new file is started.
	header() []byte
	// record encodes one whole record. Its first skipFirst bytes are a
	// separator that the first record of a file goes without.
	record(rec *record.Record) ([]byte, error)
	skipFirst() int
	// footer is written at Close; records is how many the file holds.
	footer(records int64) []byte
}

// newEncoder returns the encoder of format.
func newEncoder(format Format, rules []string) encoder {
	switch format {
	case CSV:
		return csvEncoder{rules: rules}
	case JSON:
		return jsonArrayEncoder{}
	}
	return jsonlEncoder{}
}

// jsonLine encodes rec as one line of JSON after prefix, with nil matches
// and links as {} and [].
func jsonLine(prefix string, rec *record.Record) ([]byte, error) {
	r := *rec
	if r.Matches == nil {
		r.Matches = map[string][]string{}
	}
	if r.Links == nil {
		r.Links = []string{}
	}
	var b bytes.Buffer
	b.WriteString(prefix)
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(&r); err != nil { // Encode ends the line
		return nil, err
	}
	return b.Bytes(), nil
}

type jsonlEncoder struct{}

func (jsonlEncoder) header() []byte { return nil }
func (jsonlEncoder) record(rec *record.Record) ([]byte, error) {
	return jsonLine("", rec)
}
func (jsonlEncoder) skipFirst() int      { return 0 }
func (jsonlEncoder) footer(int64) []byte { return nil }

// jsonArrayEncoder writes "[\n", then "{...}" for the first record and
// ",\n{...}" for the others, and "\n]\n" at the end.
type jsonArrayEncoder struct{}

func (jsonArrayEncoder) header() []byte { return []byte("[\n") }
func (jsonArrayEncoder) record(rec *record.Record) ([]byte, error) {
	b, err := jsonLine(",\n", rec)
	if err != nil {
		return nil, err
	}
	return b[:len(b)-1], nil // the line ends with the next separator or "]"
}
func (jsonArrayEncoder) skipFirst() int { return 2 }
func (jsonArrayEncoder) footer(records int64) []byte {
	if records == 0 {
		return []byte("]\n")
	}
	return []byte("\n]\n")
}

type csvEncoder struct{ rules []string }

func (e csvEncoder) header() []byte {
	b, _ := csvLine(CSVHeader(e.rules)) // strings only: cannot fail
	return b
}
func (e csvEncoder) record(rec *record.Record) ([]byte, error) {
	row, err := csvRow(rec, e.rules)
	if err != nil {
		return nil, err
	}
	return csvLine(row)
}
func (csvEncoder) skipFirst() int      { return 0 }
func (csvEncoder) footer(int64) []byte { return nil }

// csvLine encodes one CSV row.
func csvLine(row []string) ([]byte, error) {
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	if err := w.Write(row); err != nil {
		return nil, err
	}
	w.Flush()
	return b.Bytes(), w.Error()
}
