package main

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/poolscrape/poolscrape/internal/testsite"
)

// TestCrawlMaxTimeState: a --state crawl held to 10 requests a second
// stops after --max-time 1s with exit 0 and the stats saying so; the same
// command without --max-time finishes the crawl: the output then holds the
// pages of an uninterrupted crawl, each once.
func TestCrawlMaxTimeState(t *testing.T) {
	bin := scaleBinary(t)
	site, base := serveSite(t, testsite.Config{})
	want, err := site.Expected(3)
	if err != nil {
		t.Fatal(err)
	}
	if len(want) < 20 {
		t.Fatalf("the site has %d pages to depth 3: want 20 or more, so that 1s at 10/s cannot crawl them all", len(want))
	}
	dir := t.TempDir()
	out, stats := filepath.Join(dir, "out.jsonl"), filepath.Join(dir, "stats.json")
	args := []string{"--state", filepath.Join(dir, "state"), "-o", out, "-c", "4", "--rate", "10", "--progress", "never"}
	code, stderr := runCrawlBin(t, bin, append(args, "--max-time", "1s", "--stats", stats, base+"/")...)
	if code != 0 {
		t.Fatalf("crawl with --max-time: exit %d, want 0; stderr:\n%s", code, stderr)
	}
	js, err := os.ReadFile(stats)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(js, []byte(`"stopped_by": "max_time"`)) || !bytes.Contains(js, []byte(`"interrupted": false`)) {
		t.Errorf("stats after --max-time: want stopped_by max_time, not interrupted:\n%s", js)
	}
	if n := len(recordPaths(t, out)); n == 0 || n >= len(want) {
		t.Fatalf("the crawl stopped on time wrote %d of %d pages: want some, not all", n, len(want))
	}
	code, stderr = runCrawlBin(t, bin, append(args, base+"/")...)
	if code != 0 {
		t.Fatalf("resumed crawl: exit %d; stderr:\n%s", code, stderr)
	}
	mustContain(t, "the resumed crawl's stderr", stderr, "resuming the crawl in")
	if dups := compareUnion(t, want, recordPaths(t, out)); dups != 0 {
		t.Errorf("%d records written twice", dups)
	}
}
