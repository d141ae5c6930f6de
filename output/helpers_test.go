package output

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/poolscrape/poolscrape/scrape/record"
)

// testRules are the rule names the tests' records use.
var testRules = []string{"email", "price", "sku"}

// sampleRecord returns record i, with text that tests every escaping:
// quotes, commas, separators, newlines, HTML and non-ASCII.
func sampleRecord(i int) record.Record {
	rec := record.Record{
		URL:         fmt.Sprintf("http://127.0.0.1:8080/page/%d", i),
		FinalURL:    fmt.Sprintf("http://127.0.0.1:8080/page/%d?x=1&y=2", i),
		Status:      200,
		Depth:       i % 4,
		Referrer:    "http://127.0.0.1:8080/",
		Title:       fmt.Sprintf("Page %d, \"quoted\" <b>&</b>\nsecond line: café ✓", i),
		ContentType: "text/html; charset=utf-8",
		Bytes:       int64(1000 + i),
		ElapsedMS:   int64(i % 97),
		FetchedAt:   time.Date(2026, 11, 17, 12, 30, 0, i*1000000+123456, time.UTC),
		Matches: map[string][]string{
			"email": {fmt.Sprintf("user%d@example.test", i), "a|b@example.test"},
			"price": {"1,99", `"9.99"`, "[x]"},
		},
		Links: []string{"http://127.0.0.1:8080/a", "http://127.0.0.1:8080/b,c"},
	}
	switch i % 5 {
	case 1:
		rec.Status, rec.Error, rec.Matches, rec.Links = 503, "giving up after 2 retries:\n503 Service Unavailable", nil, nil
	case 2:
		rec.Matches["sku"] = []string{"SKU-" + strings.Repeat("9", i%50)}
	}
	return rec
}

// tempPath returns a file name with ext in a fresh temporary directory.
func tempPath(t *testing.T, ext string) string {
	return filepath.Join(t.TempDir(), "out."+ext)
}

// writeAll opens path, writes records 0..n-1 and closes it.
func writeAll(t *testing.T, path string, format Format, n int, opts ...Option) {
	t.Helper()
	w, err := Open(path, format, testRules, opts...)
	if err != nil {
		t.Fatal(err)
	}
	for i := range n {
		if err := w.Write(sampleRecord(i)); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
}

// wantRecord is sampleRecord(i) as it reads back: nil lists empty, and
// for CSV the time cut to milliseconds.
func wantRecord(i int, csv bool) record.Record {
	r := normalized(sampleRecord(i))
	if csv {
		r.FetchedAt = r.FetchedAt.Truncate(time.Millisecond)
	}
	return r
}
