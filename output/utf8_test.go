package output

import (
	"errors"
	"os"
	"reflect"
	"testing"
	"unicode/utf8"
)

// TestInvalidUTF8 writes a record with invalid UTF-8 in every text field
// (a page that lied about its charset, a broken link, an error quoting the
// bytes) in every format: each file is valid UTF-8, and reads back with
// each invalid byte as U+FFFD, as encoding/json writes it, in every format
// alike; a literal U+FFFD and other text stay as they are.
func TestInvalidUTF8(t *testing.T) {
	const bad, fixed = "caf\xe9 \xff\xfe ok \ufffd", "caf\ufffd \ufffd\ufffd ok \ufffd"
	rec := sampleRecord(0)
	rec.URL, rec.FinalURL, rec.Referrer = rec.URL+"?q=\xff", rec.FinalURL+"\xc3", rec.Referrer+"\x80"
	rec.Title, rec.ContentType, rec.Error = bad, "text/html; charset=\xff", "bad bytes: "+bad
	rec.Matches = map[string][]string{"email": {bad, "fine"}, "sku": {"\xf0\x9f"}}
	rec.Links = []string{"http://127.0.0.1/\xff", bad}
	want := normalized(rec)
	want.URL, want.FinalURL, want.Referrer = want.URL[:len(want.URL)-1]+"\ufffd", want.FinalURL[:len(want.FinalURL)-1]+"\ufffd", want.Referrer[:len(want.Referrer)-1]+"\ufffd"
	want.Title, want.ContentType, want.Error = fixed, "text/html; charset=\ufffd", "bad bytes: "+fixed
	want.Matches = map[string][]string{"email": {fixed, "fine"}, "sku": {"\ufffd\ufffd"}}
	want.Links = []string{"http://127.0.0.1/\ufffd", fixed}
	for _, format := range fsizeFormats {
		path := tempPath(t, format)
		w, err := Open(path, "", testRules)
		if err != nil {
			t.Fatal(err)
		}
		if err := w.Write(rec); err != nil {
			t.Fatal(err)
		}
		if err := w.Close(); err != nil {
			t.Fatal(err)
		}
		if b, _ := os.ReadFile(path); !utf8.Valid(b) {
			t.Errorf("%s: the file is not valid UTF-8:\n%q", format, b)
		}
		recs, err := ReadFile(path, "")
		if err != nil || len(recs) != 1 {
			t.Fatalf("%s: %d records, %v", format, len(recs), err)
		}
		got := recs[0]
		got.FetchedAt = want.FetchedAt
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s: reads back as\n%+v\nwant\n%+v", format, got, want)
		}
	}
}

// TestInvalidUTF8RuleName: a rule name (a CSV column, a JSON key) must be
// valid UTF-8.
func TestInvalidUTF8RuleName(t *testing.T) {
	for _, format := range fsizeFormats {
		if _, err := Open(tempPath(t, format), "", []string{"ok", "na\xffme"}); !errors.Is(err, ErrBadRules) {
			t.Errorf("%s: Open with a rule name of invalid UTF-8: %v", format, err)
		}
	}
}
