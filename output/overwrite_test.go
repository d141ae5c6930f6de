package output

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// earlier is a user's earlier file, longer than what the tests write, so
// that a file written over without being emptied shows.
var earlier = []byte(strings.Repeat("the user's earlier file\n", 2000))

// withEarlier returns a path with ext holding earlier.
func withEarlier(t *testing.T, ext string) string {
	t.Helper()
	p := tempPath(t, ext)
	if err := os.WriteFile(p, earlier, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// fileBytes returns path's content.
func fileBytes(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestOverwriteAbortKeepsFile: WithOverwrite leaves an existing file byte
// for byte as it was after Open, and after Abort (a refused run); Write
// after Abort is ErrClosed.
func TestOverwriteAbortKeepsFile(t *testing.T) {
	for _, ext := range []string{"jsonl", "csv", "json"} {
		t.Run(ext, func(t *testing.T) {
			p := withEarlier(t, ext)
			w, err := Open(p, "", testRules, WithOverwrite())
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(fileBytes(t, p), earlier) {
				t.Fatalf("Open WithOverwrite changed the file: %d bytes, was %d", len(fileBytes(t, p)), len(earlier))
			}
			if err := w.Abort(); err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(fileBytes(t, p), earlier) {
				t.Fatalf("Abort changed the file: %d bytes, was %d", len(fileBytes(t, p)), len(earlier))
			}
			if err := w.Write(sampleRecord(0)); !errors.Is(err, ErrClosed) {
				t.Fatalf("Write after Abort: %v, want ErrClosed", err)
			}
			if err := w.Close(); err != nil {
				t.Fatalf("Close after Abort: %v", err)
			}
			if !bytes.Equal(fileBytes(t, p), earlier) {
				t.Fatal("Close after Abort changed the file")
			}
		})
	}
}

// TestOverwriteReplacesFile: with WithOverwrite, a run that writes records
// and one that writes none (closed without a Write) leave exactly what
// they leave in a fresh file: the earlier content is gone and the output
// is valid (an empty JSON array is "[]").
func TestOverwriteReplacesFile(t *testing.T) {
	for _, ext := range []string{"jsonl", "csv", "json"} {
		for _, n := range []int{0, 3} {
			t.Run(ext+"/"+string(rune('0'+n)), func(t *testing.T) {
				fresh := tempPath(t, ext)
				writeAll(t, fresh, "", n)
				p := withEarlier(t, ext)
				writeAll(t, p, "", n, WithOverwrite())
				if got, want := fileBytes(t, p), fileBytes(t, fresh); !bytes.Equal(got, want) {
					t.Fatalf("got %d bytes %q..., want %q", len(got), got[:min(len(got), 80)], want)
				}
				recs, err := ReadFile(p, "")
				if err != nil || len(recs) != n {
					t.Fatalf("ReadFile: %d records, %v; want %d", len(recs), err, n)
				}
			})
		}
	}
}

// TestOverwriteAbortAfterWrite: Abort after a Write closes the output as
// Close does: the record is kept and a JSON array is closed.
func TestOverwriteAbortAfterWrite(t *testing.T) {
	p := withEarlier(t, "json")
	w, err := Open(p, "", testRules, WithOverwrite())
	if err != nil {
		t.Fatal(err)
	}
	if err := w.Write(sampleRecord(0)); err != nil {
		t.Fatal(err)
	}
	if err := w.Abort(); err != nil {
		t.Fatal(err)
	}
	recs, err := ReadFile(p, "")
	if err != nil || len(recs) != 1 {
		t.Fatalf("ReadFile: %d records, %v; want 1", len(recs), err)
	}
}

// TestOverwriteUnwritablePathFailsInOpen: WithOverwrite still opens the
// file in Open, so a path in a missing directory fails there.
func TestOverwriteUnwritablePathFailsInOpen(t *testing.T) {
	p := filepath.Join(t.TempDir(), "missing", "out.jsonl")
	if w, err := Open(p, "", testRules, WithOverwrite()); err == nil {
		w.Abort()
		t.Fatal("Open of a path in a missing directory succeeded")
	}
}
