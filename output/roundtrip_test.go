package output

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"encoding/json"
	"os"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/poolscrape/poolscrape/scrape/record"
)

func TestJSONLRoundTrip(t *testing.T) {
	path := tempPath(t, "jsonl")
	writeAll(t, path, "", 25)
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	i := 0
	for ; sc.Scan(); i++ {
		var rec record.Record
		if err := json.Unmarshal(sc.Bytes(), &rec); err != nil {
			t.Fatalf("line %d: %v: %s", i+1, err, sc.Bytes())
		}
		if want := wantRecord(i, false); !reflect.DeepEqual(rec, want) {
			t.Errorf("line %d:\n got %+v\nwant %+v", i+1, rec, want)
		}
	}
	if i != 25 {
		t.Errorf("%d lines, want 25", i)
	}
	assertReadFile(t, path, 25, false)
}

// assertReadFile checks ReadFile against the sample records.
func assertReadFile(t *testing.T, path string, n int, csv bool) {
	t.Helper()
	recs, err := ReadFile(path, "")
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != n {
		t.Fatalf("ReadFile: %d records, want %d", len(recs), n)
	}
	for i, rec := range recs {
		if want := wantRecord(i, csv); !reflect.DeepEqual(rec, want) {
			t.Errorf("ReadFile record %d:\n got %+v\nwant %+v", i, rec, want)
		}
	}
}

func TestCSVRoundTrip(t *testing.T) {
	path := tempPath(t, "csv")
	writeAll(t, path, "", 25)
	b, _ := os.ReadFile(path)
	rows, err := csv.NewReader(bytes.NewReader(b)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	wantHeader := []string{"url", "final_url", "status", "depth", "referrer", "title", "content_type",
		"bytes", "elapsed_ms", "fetched_at", "change", "email", "price", "sku", "links", "error"}
	if !slices.Equal(rows[0], wantHeader) || len(rows) != 26 {
		t.Fatalf("header %q, %d rows", rows[0], len(rows))
	}
	for i, row := range rows[1:] {
		want := sampleRecord(i)
		if row[0] != want.URL || row[2] != strconv.Itoa(want.Status) || row[5] != want.Title || row[15] != want.Error {
			t.Errorf("row %d: %q", i, row)
		}
		if ts, err := time.Parse(time.RFC3339, row[9]); err != nil || !ts.Equal(want.FetchedAt.Truncate(time.Millisecond)) || len(row[9]) != len("2026-11-17T12:30:00.000Z") {
			t.Errorf("row %d fetched_at %q: %v", i, row[9], err)
		}
		for col, name := range map[int]string{11: "email", 12: "price", 13: "sku", 14: "links"} {
			wantList := want.Matches[name]
			if name == "links" {
				wantList = want.Links
			}
			var got []string
			if row[col] != "" {
				if err := json.Unmarshal([]byte(row[col]), &got); err != nil {
					t.Fatalf("row %d column %s %q: %v", i, name, row[col], err)
				}
			}
			if !slices.Equal(got, wantList) {
				t.Errorf("row %d column %s: %q, want %q", i, name, got, wantList)
			}
		}
	}
	assertReadFile(t, path, 25, true)
}

func TestJSONArrayRoundTrip(t *testing.T) {
	for _, n := range []int{0, 1, 25} {
		path := tempPath(t, "json")
		writeAll(t, path, "", n)
		b, _ := os.ReadFile(path)
		var recs []record.Record
		if err := json.Unmarshal(b, &recs); err != nil {
			t.Fatalf("%d records: not a JSON array: %v\n%s", n, err, b)
		}
		if len(recs) != n || recs == nil {
			t.Fatalf("%d records read back, want %d", len(recs), n)
		}
		lines := strings.Split(strings.TrimSuffix(string(b), "\n"), "\n")
		if len(lines) != n+2 || lines[0] != "[" || lines[len(lines)-1] != "]" {
			t.Errorf("%d records: not one per line: %q", n, lines)
		}
		for i := range n {
			var rec record.Record
			if err := json.Unmarshal([]byte(strings.TrimSuffix(lines[i+1], ",")), &rec); err != nil {
				t.Errorf("line %d is not one record: %v", i+2, err)
			}
		}
		assertReadFile(t, path, n, false)
	}
}

// TestStdout writes a JSON array to standard output (a file standing in
// for it) and checks that Close ends the array but leaves stdout open.
func TestStdout(t *testing.T) {
	path := tempPath(t, "out")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	saved := os.Stdout
	os.Stdout = f
	defer func() { os.Stdout = saved }()
	w, err := Open("-", "json", testRules)
	if err != nil {
		t.Fatal(err)
	}
	if w.Path() != "-" || w.Format() != JSON {
		t.Errorf("Path %q Format %q", w.Path(), w.Format())
	}
	for i := range 3 {
		if err := w.Write(sampleRecord(i)); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := f.WriteString(" "); err != nil {
		t.Errorf("stdout closed by Close: %v", err)
	}
	recs, err := ReadFile(path, "json")
	if err != nil || len(recs) != 3 {
		t.Errorf("stdout output: %d records, %v", len(recs), err)
	}
	w, err = Open("-", "", testRules)
	if err != nil || w.Format() != JSONL {
		t.Fatalf("stdout without a format: %v", err)
	}
	if err := w.Close(); err != nil {
		t.Error(err)
	}
}
