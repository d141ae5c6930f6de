package main

import (
	"bytes"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/poolscrape/poolscrape/internal/testsite"
)

// TestCrawlRefusalMakesNoFile: a crawl refused with exit 2, for its
// --state or --redis flags, an identity mismatch or its --stats, --output or
// --warc path, leaves
// no --stats, output or --warc file behind: every check of the user's input
// comes before the first file is made, and an output that fails to open
// after all, or a --stats file (a dangling link), takes away the files the
// run made before it.
func TestCrawlRefusalMakesNoFile(t *testing.T) {
	bin, base, dir, state := crawledState(t)
	file := filepath.Join(dir, "a-file")
	if err := os.WriteFile(file, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	// A dangling link into a missing folder passes the checks of the flags
	// but cannot be created: the output fails to open after the WARC file.
	dangling := filepath.Join(dir, "dangling.jsonl")
	if err := os.Symlink(filepath.Join(dir, "missing", "o.jsonl"), dangling); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name string
		args []string
	}{
		{"--state with --redis", []string{"--state", filepath.Join(dir, "new-state"), "--redis", "redis://127.0.0.1:1/0"}},
		{"--job without --redis", []string{"--job", "j"}},
		{"--lease-timeout 0", []string{"--redis", "redis://127.0.0.1:1/0", "--lease-timeout", "0s"}},
		{"--state a file", []string{"--state", file}},
		{"another crawl's --state", []string{"--state", state, "--scope", "any"}},
		{"--stats a directory", []string{"--stats", dir}},
		{"--stats in a missing directory", []string{"--stats", filepath.Join(dir, "missing", "s.json")}},
		{"--stats in a file", []string{"--stats", filepath.Join(file, "s.json")}},
		{"--output a directory", []string{"-o", dir}},
		{"--output in a missing directory", []string{"-o", filepath.Join(dir, "missing", "o.jsonl")}},
		{"--output a dangling link", []string{"-o", dangling}},
		{"--stats a dangling link", []string{"--stats", dangling}},
		{"--warc a directory", []string{"--warc", dir}},
		{"--warc in a missing directory", []string{"--warc", filepath.Join(dir, "missing", "o.warc")}},
	} {
		t.Run(c.name, func(t *testing.T) {
			run := t.TempDir()
			made := []string{filepath.Join(run, "stats.json"), filepath.Join(run, "out.jsonl"), filepath.Join(run, "out.warc")}
			args := append([]string{"-d", "0", "--stats", made[0], "-o", made[1], "--warc", made[2]}, c.args...)
			code, stderr := runCrawlBin(t, bin, append(args, base+"/")...)
			if code != 2 {
				t.Fatalf("exit %d, want 2\n%s", code, stderr)
			}
			for _, p := range made {
				if _, err := os.Stat(p); !errors.Is(err, fs.ErrNotExist) {
					t.Errorf("refused run left %s behind (%v)\n%s", filepath.Base(p), err, stderr)
				}
			}
			if _, err := os.Stat(filepath.Join(dir, "new-state")); !errors.Is(err, fs.ErrNotExist) {
				t.Errorf("refused run made the --state folder")
			}
		})
	}
}

// TestCrawlRefusalKeepsAResumedWARC: a resumed --warc crawl whose output
// fails to open (a dangling link) is refused with exit 2 and leaves the
// WARC file it was to append to as it was: only a file the refused run
// made is taken away.
func TestCrawlRefusalKeepsAResumedWARC(t *testing.T) {
	bin := scaleBinary(t)
	_, base := serveSite(t, testsite.Config{Latency: 20 * time.Millisecond})
	dir := t.TempDir()
	out, archive := filepath.Join(dir, "out.jsonl"), filepath.Join(dir, "out.warc")
	args := []string{"--state", filepath.Join(dir, "state"), "--warc", archive, "-c", "4", "--progress", "never", base + "/"}
	p := startCrawl(t, bin, append([]string{"-o", out}, args...)...)
	waitLines(t, p, out, 3)
	p.signal(t, syscall.SIGINT)
	p.wait(t)
	before, err := os.ReadFile(archive)
	if err != nil || len(before) == 0 {
		t.Fatalf("the stopped crawl's WARC: %d bytes, %v", len(before), err)
	}
	dangling := filepath.Join(dir, "dangling.jsonl")
	if err := os.Symlink(filepath.Join(dir, "missing", "o.jsonl"), dangling); err != nil {
		t.Fatal(err)
	}
	if code, stderr := runCrawlBin(t, bin, append([]string{"-o", dangling}, args...)...); code != 2 {
		t.Fatalf("resumed crawl with an output that cannot open: exit %d, want 2\n%s", code, stderr)
	}
	if after, err := os.ReadFile(archive); err != nil || !bytes.Equal(after, before) {
		t.Errorf("the refused resumed run changed its WARC: %d bytes before, %d after (%v)", len(before), len(after), err)
	}
}
