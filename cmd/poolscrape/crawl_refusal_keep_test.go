package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/poolscrape/poolscrape/internal/testsite"
)

// TestCrawlRefusalKeepsExistingFiles: a fresh crawl refused with exit 2
// after some of its files opened (an output or --stats path that is a
// dangling link into a missing folder) leaves the --stats, output and
// --warc files that were there byte for byte as they were; a run that is
// not refused replaces them all.
func TestCrawlRefusalKeepsExistingFiles(t *testing.T) {
	bin := scaleBinary(t)
	_, base := serveSite(t, testsite.Config{})
	dir := t.TempDir()
	dangling := filepath.Join(dir, "dangling")
	// Longer than what the run writes, so that a file written over
	// without being emptied shows.
	old := []byte(strings.Repeat("the user's earlier file\n", 4000))
	for _, c := range []struct {
		name      string
		refused   string // the flag given the dangling link; "": not refused
		dangleExt string
	}{
		{"--output a dangling link", "-o", ".jsonl"},
		{"--stats a dangling link", "--stats", ".json"},
		{"not refused", "", ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			run := t.TempDir()
			files := map[string]string{
				"--stats": filepath.Join(run, "stats.json"),
				"-o":      filepath.Join(run, "out.jsonl"),
				"--warc":  filepath.Join(run, "out.warc"),
			}
			args := []string{"-d", "0", "-q", "--progress", "never"}
			for flag, p := range files {
				if err := os.WriteFile(p, old, 0o644); err != nil {
					t.Fatal(err)
				}
				if flag == c.refused {
					p = dangling + c.dangleExt
					if err := os.Symlink(filepath.Join(dir, "missing", "f"+c.dangleExt), p); err != nil {
						t.Fatal(err)
					}
				}
				args = append(args, flag, p)
			}
			code, stderr := runCrawlBin(t, bin, append(args, base+"/")...)
			if want := map[bool]int{true: 0, false: 2}[c.refused == ""]; code != want {
				t.Fatalf("exit %d, want %d\n%s", code, want, stderr)
			}
			for flag, p := range files {
				got, err := os.ReadFile(p)
				if err != nil {
					t.Fatal(err)
				}
				switch kept := bytes.Equal(got, old); {
				case c.refused == "" && bytes.Contains(got, []byte("earlier")):
					t.Errorf("%s: the run that was not refused left the old content in (%d bytes)", flag, len(got))
				case c.refused != "" && flag != c.refused && !kept:
					t.Errorf("%s: the refused run changed the file: %d bytes before, %d after\n%s", flag, len(old), len(got), stderr)
				}
			}
		})
	}
}
