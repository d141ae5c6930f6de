package main

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"testing"
)

// TestCrawlRefusalMakesNoFile: a crawl refused with exit 2, for its
// --state or --redis flags, an identity mismatch or its --stats, --output or
// --warc path, leaves
// no --stats, output or --warc file behind: every check of the user's input
// comes before the first file is made.
func TestCrawlRefusalMakesNoFile(t *testing.T) {
	bin, base, dir, state := crawledState(t)
	file := filepath.Join(dir, "a-file")
	if err := os.WriteFile(file, nil, 0o644); err != nil {
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
