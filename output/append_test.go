package output

import (
	"bytes"
	"errors"
	"os"
	"strings"
	"testing"
)

func TestAppend(t *testing.T) {
	for _, ext := range []string{"jsonl", "csv"} {
		path := tempPath(t, ext)
		writeAll(t, path, "", 3)
		w, err := Open(path, "", testRules, WithAppend())
		if err != nil {
			t.Fatal(err)
		}
		if w.Records() != 3 {
			t.Errorf("%s: Records() = %d after opening 3 for append", ext, w.Records())
		}
		for i := 3; i < 7; i++ {
			if err := w.Write(sampleRecord(i)); err != nil {
				t.Fatal(err)
			}
		}
		if err := w.Close(); err != nil {
			t.Fatal(err)
		}
		b, _ := os.ReadFile(path)
		if ext == "csv" && bytes.Count(b, []byte("url,final_url,")) != 1 {
			t.Errorf("csv: the header is written %d times", bytes.Count(b, []byte("url,final_url,")))
		}
		assertReadFile(t, path, 7, ext == "csv")
	}
}

// TestAppendNewFile checks that appending to a missing or empty file
// starts it, CSV header included.
func TestAppendNewFile(t *testing.T) {
	for _, empty := range []bool{false, true} {
		path := tempPath(t, "csv")
		if empty {
			os.WriteFile(path, nil, 0o644)
		}
		writeAll(t, path, "", 2, WithAppend())
		assertReadFile(t, path, 2, true)
	}
}

func TestAppendHeaderMismatch(t *testing.T) {
	path := tempPath(t, "csv")
	writeAll(t, path, "", 2)
	before, _ := os.ReadFile(path)
	_, err := Open(path, "", []string{"email", "sku"}, WithAppend())
	if !errors.Is(err, ErrHeaderMismatch) || !strings.Contains(err.Error(), path) || !strings.Contains(err.Error(), "price") {
		t.Errorf("append with other rules: %v", err)
	}
	if after, _ := os.ReadFile(path); !bytes.Equal(before, after) {
		t.Error("a refused append changed the file")
	}
}

func TestNotAppendable(t *testing.T) {
	path := tempPath(t, "json")
	writeAll(t, path, "", 2)
	for _, p := range []string{path, "-"} {
		var f Format
		if p == "-" {
			f = JSONL
		}
		_, err := Open(p, f, testRules, WithAppend())
		if !errors.Is(err, ErrNotAppendable) || !strings.Contains(err.Error(), "jsonl or csv") {
			t.Errorf("append to %s: %v", p, err)
		}
		if _, err := Recover(p, f); !errors.Is(err, ErrNotAppendable) {
			t.Errorf("Recover(%s): %v", p, err)
		}
	}
	assertReadFile(t, path, 2, false)
}

func TestAppendToCorruptFile(t *testing.T) {
	path := tempPath(t, "csv")
	os.WriteFile(path, []byte("name,age\nann,3\n"), 0o644)
	if _, err := Open(path, "", testRules, WithAppend()); !errors.Is(err, ErrCorrupt) {
		t.Errorf("append to a foreign CSV: %v", err)
	}
}
