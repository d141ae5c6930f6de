package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/poolscrape/poolscrape/internal/testsite"
)

// TestCrawlFailedStartKeepsOutput: a crawl that fails after its output
// opened but before its first record (the --warc file is a link to
// /dev/full, so writing its warcinfo record fails: exit 1) leaves an
// existing output byte for byte as it was, in every format, and removes an
// output it made.
func TestCrawlFailedStartKeepsOutput(t *testing.T) {
	if _, err := os.Stat("/dev/full"); err != nil {
		t.Skip("no /dev/full:", err)
	}
	bin := scaleBinary(t)
	_, base := serveSite(t, testsite.Config{})
	old := []byte(strings.Repeat("the user's earlier file\n", 4000))
	for _, ext := range []string{".json", ".jsonl", ".csv", ".json (made)"} {
		t.Run(ext, func(t *testing.T) {
			dir := t.TempDir()
			warcPath := filepath.Join(dir, "full.warc")
			if err := os.Symlink("/dev/full", warcPath); err != nil {
				t.Fatal(err)
			}
			made := strings.HasSuffix(ext, "(made)")
			out := filepath.Join(dir, "out"+strings.Fields(ext)[0])
			if !made {
				if err := os.WriteFile(out, old, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			code, stderr := runCrawlBin(t, bin, "-d", "0", "-q", "--progress", "never",
				"--warc", warcPath, "-o", out, base+"/")
			if code != 1 || !strings.Contains(stderr, "--warc") {
				t.Fatalf("exit %d, want 1 naming --warc\n%s", code, stderr)
			}
			got, err := os.ReadFile(out)
			switch {
			case made && !os.IsNotExist(err):
				t.Fatalf("the failed run left the output it made: %q, %v", got, err)
			case made:
			case err != nil:
				t.Fatal(err)
			case !bytes.Equal(got, old):
				t.Fatalf("the failed run changed the output: %d bytes before, %d after: %q", len(old), len(got), got[:min(len(got), 80)])
			}
		})
	}
}
