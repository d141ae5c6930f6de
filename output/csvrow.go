package output

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/poolscrape/poolscrape/scrape/record"
)

// fixedColumns are the CSV columns before the rule columns; linksColumn
// and errorColumn follow them.
var fixedColumns = []string{"url", "final_url", "status", "depth", "referrer", "title",
	"content_type", "bytes", "elapsed_ms", "fetched_at", "change"}

const (
	linksColumn = "links"
	errorColumn = "error"
	// timeLayout is fetched_at in CSV: RFC 3339 with milliseconds.
	timeLayout = "2006-01-02T15:04:05.000Z07:00"
)

// CSVHeader returns the CSV header row for a crawl with the given rule
// names.
func CSVHeader(rules []string) []string {
	h := append(slices.Clone(fixedColumns), rules...)
	return append(h, linksColumn, errorColumn)
}

// checkRules rejects empty, repeated and invalid UTF-8 rule names and, for
// CSV, names of the other columns.
func checkRules(rules []string, format Format) error {
	seen := make(map[string]bool, len(rules))
	for _, r := range rules {
		switch {
		case r == "":
			return fmt.Errorf("%w: an empty name", ErrBadRules)
		case !utf8.ValidString(r):
			return fmt.Errorf("%w: %q is not valid UTF-8", ErrBadRules, r)
		case seen[r]:
			return fmt.Errorf("%w: %q given twice", ErrBadRules, r)
		case format == CSV && (slices.Contains(fixedColumns, r) || r == linksColumn || r == errorColumn):
			return fmt.Errorf("%w: %q is also a CSV column: rename the rule", ErrBadRules, r)
		}
		seen[r] = true
	}
	return nil
}

// listText returns a string list as JSON array text, "" when empty.
func listText(list []string) (string, error) {
	if len(list) == 0 {
		return "", nil
	}
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(list); err != nil {
		return "", err
	}
	return strings.TrimSuffix(b.String(), "\n"), nil
}

// parseList is listText's inverse.
func parseList(text string) ([]string, error) {
	if text == "" {
		return []string{}, nil
	}
	var list []string
	if err := json.Unmarshal([]byte(text), &list); err != nil {
		return nil, err
	}
	return list, nil
}

// csvRow returns rec's CSV fields for the rule columns rules, each valid
// UTF-8 (see validUTF8).
func csvRow(rec *record.Record, rules []string) ([]string, error) {
	row := make([]string, 0, len(fixedColumns)+len(rules)+2)
	fetched := ""
	if !rec.FetchedAt.IsZero() {
		fetched = rec.FetchedAt.Format(timeLayout)
	}
	row = append(row, rec.URL, rec.FinalURL, strconv.Itoa(rec.Status), strconv.Itoa(rec.Depth),
		rec.Referrer, rec.Title, rec.ContentType, strconv.FormatInt(rec.Bytes, 10),
		strconv.FormatInt(rec.ElapsedMS, 10), fetched, rec.Change)
	for name := range rec.Matches {
		if !slices.Contains(rules, name) {
			return nil, fmt.Errorf("matches for rule %q, which is not a column of this CSV", name)
		}
	}
	for _, name := range append(slices.Clone(rules), linksColumn) {
		list := rec.Matches[name]
		if name == linksColumn {
			list = rec.Links
		}
		text, err := listText(list)
		if err != nil {
			return nil, fmt.Errorf("column %s: %w", name, err)
		}
		row = append(row, text)
	}
	row = append(row, rec.Error)
	for i := range row {
		row[i] = validUTF8(row[i])
	}
	return row, nil
}

// rulesOf returns the rule columns of a CSV header, or false when it is
// not a poolscrape header.
func rulesOf(header []string) ([]string, bool) {
	n := len(fixedColumns)
	if len(header) < n+2 || !slices.Equal(header[:n], fixedColumns) ||
		header[len(header)-2] != linksColumn || header[len(header)-1] != errorColumn {
		return nil, false
	}
	return header[n : len(header)-2], true
}

// parseRow is csvRow's inverse; the row has as many fields as the header.
func parseRow(row, rules []string) (record.Record, error) {
	rec := record.Record{URL: row[0], FinalURL: row[1], Referrer: row[4], Title: row[5],
		ContentType: row[6], Change: row[10], Error: row[len(row)-1], Matches: map[string][]string{}}
	var err error
	ints := []struct {
		col  int
		dest *int64
	}{{2, new(int64)}, {3, new(int64)}, {7, &rec.Bytes}, {8, &rec.ElapsedMS}}
	for _, in := range ints {
		if *in.dest, err = strconv.ParseInt(row[in.col], 10, 64); err != nil {
			return rec, fmt.Errorf("column %s: %w", fixedColumns[in.col], err)
		}
	}
	rec.Status, rec.Depth = int(*ints[0].dest), int(*ints[1].dest)
	if row[9] != "" {
		if rec.FetchedAt, err = time.Parse(timeLayout, row[9]); err != nil {
			return rec, fmt.Errorf("column fetched_at: %w", err)
		}
	}
	for i, name := range rules {
		m, err := parseList(row[len(fixedColumns)+i])
		if err != nil {
			return rec, fmt.Errorf("column %s: %w", name, err)
		}
		if len(m) > 0 {
			rec.Matches[name] = m
		}
	}
	if rec.Links, err = parseList(row[len(row)-2]); err != nil {
		return rec, fmt.Errorf("column links: %w", err)
	}
	return rec, nil
}
