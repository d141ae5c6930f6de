package output

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestFormatFor(t *testing.T) {
	for _, c := range []struct {
		path, explicit string
		want           Format
	}{
		{"out.jsonl", "", JSONL}, {"a/b.NDJSON", "", JSONL}, {"out.CSV", "", CSV}, {"x.json", "", JSON},
		{"-", "", JSONL}, {"-", "csv", CSV}, {"out.txt", "json", JSON}, {"out.csv", "JSONL", JSONL},
	} {
		if got, err := FormatFor(c.path, c.explicit); err != nil || got != c.want {
			t.Errorf("FormatFor(%q, %q) = %q, %v; want %q", c.path, c.explicit, got, err, c.want)
		}
	}
	for _, c := range [][2]string{{"out.txt", ""}, {"out", ""}, {"out.jsonl", "xml"}, {".csv.bak", ""}} {
		_, err := FormatFor(c[0], c[1])
		name := c[0]
		if c[1] != "" {
			name = c[1]
		}
		if !errors.Is(err, ErrUnknownFormat) || !strings.Contains(err.Error(), name) || !strings.Contains(err.Error(), "jsonl") {
			t.Errorf("FormatFor(%q, %q): %v", c[0], c[1], err)
		}
	}
}

// TestUnwritablePaths checks that Open fails at once, naming the path,
// where no output can be written.
func TestUnwritablePaths(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "file.jsonl")
	if err := os.WriteFile(file, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Mkdir(filepath.Join(dir, "sub.jsonl"), 0o755); err != nil {
		t.Fatal(err)
	}
	paths := []string{
		filepath.Join(dir, "missing", "out.jsonl"), // no such directory
		filepath.Join(dir, "sub.jsonl"),            // a directory
		filepath.Join(file, "out.csv"),             // a file as directory
		unwritablePath(t),                          // permission denied
	}
	for _, p := range paths {
		for _, opts := range [][]Option{nil, {WithAppend()}} {
			append := opts != nil
			w, err := Open(p, "", testRules, opts...)
			if err == nil {
				w.Close()
				t.Errorf("Open(%q, append %v): no error", p, append)
			} else if !strings.Contains(err.Error(), p) {
				t.Errorf("Open(%q): error does not name the path: %v", p, err)
			}
		}
	}
}

// unwritablePath returns a path the test cannot create a file at: in a
// read-only directory, or, for root (who may write anywhere), under /sys.
func unwritablePath(t *testing.T) string {
	if os.Geteuid() == 0 {
		return "/sys/poolscrape-output-test.jsonl"
	}
	dir := filepath.Join(t.TempDir(), "ro")
	if err := os.Mkdir(dir, 0o500); err != nil {
		t.Fatal(err)
	}
	return filepath.Join(dir, "out.jsonl")
}

func TestPermissionDeniedIsPermissionError(t *testing.T) {
	_, err := Open(unwritablePath(t), "", nil)
	if !errors.Is(err, fs.ErrPermission) {
		t.Errorf("want a permission error, got %v", err)
	}
}

func TestBadRules(t *testing.T) {
	for _, c := range []struct {
		format string
		rules  []string
	}{{"csv", []string{"title"}}, {"csv", []string{"links"}}, {"jsonl", []string{"a", "a"}}, {"json", []string{""}}} {
		path := tempPath(t, c.format)
		if _, err := Open(path, "", c.rules); !errors.Is(err, ErrBadRules) {
			t.Errorf("%s rules %q: %v", c.format, c.rules, err)
		}
	}
	w, err := Open(tempPath(t, "jsonl"), "", []string{"title"}) // fine where columns are not flat
	if err != nil {
		t.Fatal(err)
	}
	w.Close()
}

// TestUnknownRuleMatches checks that a CSV record with matches for a rule
// that has no column is refused, not silently cut.
func TestUnknownRuleMatches(t *testing.T) {
	path := tempPath(t, "csv")
	w, err := Open(path, "", []string{"email"})
	if err != nil {
		t.Fatal(err)
	}
	if err := w.Write(sampleRecord(0)); err == nil || !strings.Contains(err.Error(), `"price"`) {
		t.Errorf("Write with an unknown rule: %v", err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	if recs, err := ReadFile(path, ""); err != nil || len(recs) != 0 {
		t.Errorf("after a refused record: %d records, %v", len(recs), err)
	}
}

func TestWriteAfterClose(t *testing.T) {
	w, err := Open(tempPath(t, "jsonl"), "", testRules)
	if err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	if err := w.Write(sampleRecord(0)); !errors.Is(err, ErrClosed) {
		t.Errorf("Write after Close: %v", err)
	}
	if err := w.Close(); err != nil {
		t.Errorf("second Close: %v", err)
	}
}

// TestWriteErrorsAreReturned writes to /dev/full, where every write fails
// (ENOSPC): Write, later Writes and Close all report it.
func TestWriteErrorsAreReturned(t *testing.T) {
	w, err := Open("/dev/full", "jsonl", testRules)
	if err != nil {
		t.Skipf("no /dev/full: %v", err)
	}
	err1 := w.Write(sampleRecord(0))
	err2 := w.Write(sampleRecord(1))
	errClose := w.Close()
	for i, err := range []error{err1, err2, errClose} {
		if err == nil || !strings.Contains(err.Error(), "/dev/full") {
			t.Errorf("error %d: %v", i, err)
		}
	}
	if w.Records() != 0 {
		t.Errorf("Records() = %d after failed writes", w.Records())
	}
}

// TestUnencodableRecord checks that a record JSON cannot hold is an error
// naming its URL, and that nothing of it is written.
func TestUnencodableRecord(t *testing.T) {
	path := tempPath(t, "jsonl")
	w, err := Open(path, "", testRules)
	if err != nil {
		t.Fatal(err)
	}
	rec := sampleRecord(0)
	rec.FetchedAt = rec.FetchedAt.AddDate(9000, 0, 0) // year 11026
	if err := w.Write(rec); err == nil || !strings.Contains(err.Error(), rec.URL) {
		t.Errorf("Write of year 11026: %v", err)
	}
	if err := w.Write(sampleRecord(1)); err != nil {
		t.Errorf("Write after a refused record: %v", err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	if recs, err := ReadFile(path, ""); err != nil || len(recs) != 1 {
		t.Errorf("%d records, %v", len(recs), err)
	}
}
