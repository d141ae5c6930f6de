package output

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"testing"
)

// TestRecoverEveryTornTail writes whole records, then cuts the file at
// every byte of the last record (and of the CSV header), as a writer
// killed mid-write would leave it: Recover must keep exactly the records
// before it, cut the rest, and an append must then read back whole.
func TestRecoverEveryTornTail(t *testing.T) {
	for _, ext := range []string{"jsonl", "csv"} {
		path := tempPath(t, ext)
		writeAll(t, path, "", 3)
		three, _ := os.ReadFile(path)
		writeAll(t, path, "", 4)
		full, _ := os.ReadFile(path)
		if !bytes.HasPrefix(full, three) {
			t.Fatal("files differ before the last record")
		}
		for cut := len(three); cut < len(full); cut++ {
			checkTornTail(t, path, full[:cut], three, 3)
		}
		header := []byte{}
		if ext == "csv" {
			header = CSVHeaderLine(testRules)
		}
		for cut := 1; cut < len(header); cut++ {
			checkTornTail(t, path, header[:cut], nil, 0)
		}
	}
}

// CSVHeaderLine is the header as the writer writes it.
func CSVHeaderLine(rules []string) []byte { return csvEncoder{rules: rules}.header() }

// checkTornTail writes torn, recovers it, and checks the result.
func checkTornTail(t *testing.T, path string, torn, want []byte, records int) {
	t.Helper()
	if err := os.WriteFile(path, torn, 0o644); err != nil {
		t.Fatal(err)
	}
	rec, err := Recover(path, "")
	if err != nil {
		t.Fatalf("cut at %d: %v", len(torn), err)
	}
	got, _ := os.ReadFile(path)
	if !rec.Exists || rec.Records != records || len(rec.URLs) != records || !bytes.Equal(got, want) || rec.Cut != int64(len(torn)-len(want)) {
		t.Fatalf("cut at %d of %s: %+v; file now %d bytes, want %d", len(torn), path, rec, len(got), len(want))
	}
	for i := range records {
		if _, ok := rec.URLs[sampleRecord(i).URL]; !ok {
			t.Fatalf("cut at %d: URL %d missing", len(torn), i)
		}
	}
	writeAll(t, path, "", records+1, WithAppend())
	if recs, err := ReadFile(path, ""); err != nil || len(recs) != 2*records+1 {
		t.Fatalf("cut at %d, appended: %d records, %v", len(torn), len(recs), err)
	}
}

func TestReadFileRefusesTornTail(t *testing.T) {
	for _, ext := range []string{"jsonl", "csv"} {
		path := tempPath(t, ext)
		writeAll(t, path, "", 2)
		full, _ := os.ReadFile(path)
		os.WriteFile(path, full[:len(full)-5], 0o644)
		if _, err := ReadFile(path, ""); !errors.Is(err, ErrTorn) {
			t.Errorf("%s: ReadFile of a torn file: %v", ext, err)
		}
	}
	path := tempPath(t, "json")
	writeAll(t, path, "", 2)
	full, _ := os.ReadFile(path)
	os.WriteFile(path, full[:len(full)-3], 0o644) // killed before Close
	if _, err := ReadFile(path, ""); !errors.Is(err, ErrCorrupt) {
		t.Errorf("json without its end: %v", err)
	}
}

// TestRecoverCorrupt checks that damage before the last line is an error
// that names the line, and that the file is left alone.
func TestRecoverCorrupt(t *testing.T) {
	for ext, junk := range map[string]string{"jsonl": "{not json}\n", "csv": "a,b\n"} {
		path := tempPath(t, ext)
		writeAll(t, path, "", 2)
		full, _ := os.ReadFile(path)
		damaged := append(append(bytes.Clone(full), junk...), full[len(full)/2:]...)
		os.WriteFile(path, damaged, 0o644)
		_, err := Recover(path, "")
		if !errors.Is(err, ErrCorrupt) || !bytes.Contains([]byte(err.Error()), []byte(path)) {
			t.Errorf("%s: %v", ext, err)
		}
		if after, _ := os.ReadFile(path); !bytes.Equal(after, damaged) {
			t.Errorf("%s: Recover changed a corrupt file", ext)
		}
	}
}

func TestRecoverMissingAndDirectory(t *testing.T) {
	rec, err := Recover(filepath.Join(t.TempDir(), "none.jsonl"), "")
	if err != nil || rec.Exists || rec.Records != 0 || rec.URLs == nil {
		t.Errorf("missing file: %+v, %v", rec, err)
	}
	dir := filepath.Join(t.TempDir(), "d.csv")
	os.Mkdir(dir, 0o755)
	if _, err := Recover(dir, ""); err == nil {
		t.Error("Recover of a directory: no error")
	}
	if _, err := Recover("out.txt", ""); !errors.Is(err, ErrUnknownFormat) {
		t.Errorf("Recover(out.txt): %v", err)
	}
}

// TestRecoverLarge checks the URL set on a file of many records.
func TestRecoverLarge(t *testing.T) {
	path := tempPath(t, "jsonl")
	writeAll(t, path, "", 5000)
	f, _ := os.OpenFile(path, os.O_WRONLY|os.O_APPEND, 0)
	fmt.Fprint(f, `{"url":"http://127.0.0.1:8080/torn","sta`)
	f.Close()
	rec, err := Recover(path, "")
	if err != nil || rec.Records != 5000 || len(rec.URLs) != 5000 || rec.Cut == 0 {
		t.Fatalf("%+v %v", rec.Records, err)
	}
	if _, ok := rec.URLs["http://127.0.0.1:8080/torn"]; ok {
		t.Error("the torn record's URL is in URLs")
	}
}
