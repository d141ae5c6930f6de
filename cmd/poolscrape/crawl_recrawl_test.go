package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/poolscrape/poolscrape/internal/testsite"
	"github.com/poolscrape/poolscrape/output"
	"github.com/poolscrape/poolscrape/scrape"
	"github.com/poolscrape/poolscrape/scrape/diskfrontier"
	bolt "go.etcd.io/bbolt"
)

// TestRecrawl recrawls a finished --state crawl: its page, served again
// alike, is unchanged; --recrawl without --state, with --redis, or on a
// state that holds no crawl is refused with exit 2.
func TestRecrawl(t *testing.T) {
	bin, base, dir, state := crawledState(t)
	out, stats := filepath.Join(dir, "b.jsonl"), filepath.Join(dir, "stats.json")
	if code, stderr := runCrawlBin(t, bin, "--state", state, "--recrawl", "-d", "0", "-o", out, "--stats", stats, base+"/"); code != 0 {
		t.Fatalf("--recrawl: exit %d\n%s", code, stderr)
	}
	var st scrape.Stats
	if b, err := os.ReadFile(stats); err != nil || json.Unmarshal(b, &st) != nil || st.Changes["unchanged"] != 1 || len(st.Changes) != 1 {
		t.Errorf("--stats of the recrawl: changes %v (%v), want unchanged 1", st.Changes, err)
	}
	recs, err := output.ReadFile(out, "")
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 1 || recs[0].Change != "unchanged" {
		t.Fatalf("--recrawl records: %+v, want the start page unchanged", recs)
	}
	for _, c := range []struct {
		args []string
		subs []string
	}{
		{[]string{"--recrawl", base + "/"}, []string{"--recrawl", "--state"}},
		{[]string{"--recrawl", "--redis", "redis://127.0.0.1:1/0", base + "/"}, []string{"--recrawl", "--redis", "validators"}},
		{[]string{"--recrawl", "--state", filepath.Join(dir, "none"), base + "/"}, []string{"--recrawl", "holds no crawl"}},
	} {
		code, stderr := runCrawlBin(t, bin, c.args...)
		if code != 2 {
			t.Errorf("%q: exit %d, want 2\n%s", c.args, code, stderr)
		}
		mustContain(t, "the refusal", stderr, c.subs...)
	}
}

// TestRecrawlRefusesAnUnfinishedState stops a --state crawl mid-way:
// --recrawl on its state is refused with exit 2, and the state is left as
// it was (the same command without --recrawl still resumes it).
func TestRecrawlRefusesAnUnfinishedState(t *testing.T) {
	bin := scaleBinary(t)
	site, base := serveSite(t, testsite.Config{Latency: 20 * time.Millisecond})
	want, err := site.Expected(3)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	out := filepath.Join(dir, "out.jsonl")
	args := []string{"--state", filepath.Join(dir, "state"), "-o", out, "-c", "4", "--progress", "never", base + "/"}
	p := startCrawl(t, bin, args...)
	waitLines(t, p, out, 3)
	p.signal(t, syscall.SIGINT)
	p.wait(t)
	if n := len(recordPaths(t, out)); n >= len(want) {
		t.Fatalf("the stopped crawl wrote all %d pages: stop it earlier", n)
	}
	code, stderr := runCrawlBin(t, bin, append([]string{"--recrawl"}, args...)...)
	if code != 2 {
		t.Errorf("--recrawl on an unfinished state: exit %d, want 2\n%s", code, stderr)
	}
	mustContain(t, "the refusal", stderr, "--recrawl", "has not finished")
	if code, stderr := runCrawlBin(t, bin, args...); code != 0 {
		t.Fatalf("resuming after the refusal: exit %d\n%s", code, stderr)
	}
	if n := len(recordPaths(t, out)); n != len(want) {
		t.Errorf("resumed crawl: %d records, want %d", n, len(want))
	}
}

// TestRecrawlRefusesToOverwriteAnEarlierPass: --recrawl writes its output
// afresh, so an --output or --warc FILE that holds something (the records
// of an earlier pass) is refused with exit 2 before the new pass starts
// (the state opened, its pass unchanged):
// the file keeps its bytes and a --recrawl into a new file still works.
func TestRecrawlRefusesToOverwriteAnEarlierPass(t *testing.T) {
	bin, base, dir, state := crawledState(t)
	first := filepath.Join(dir, "a.jsonl")
	before, err := os.ReadFile(first)
	if err != nil || len(before) == 0 {
		t.Fatalf("first pass output: %d bytes, %v", len(before), err)
	}
	oldWARC := filepath.Join(dir, "a.warc")
	if err := os.WriteFile(oldWARC, []byte("WARC/1.1\r\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		args []string
		subs []string
	}{
		{[]string{"-o", first}, []string{"--recrawl", "--output", first, "earlier pass"}},
		{[]string{"-o", filepath.Join(dir, "b.jsonl"), "--warc", oldWARC}, []string{"--recrawl", "--warc", oldWARC, "earlier pass"}},
	} {
		code, stderr := runCrawlBin(t, bin, append([]string{"--state", state, "--recrawl", "-d", "0", "--progress", "never"}, append(c.args, base+"/")...)...)
		if code != 2 {
			t.Errorf("%q: exit %d, want 2\n%s", c.args, code, stderr)
		}
		mustContain(t, "the refusal", stderr, c.subs...)
	}
	if after, err := os.ReadFile(first); err != nil || string(after) != string(before) {
		t.Errorf("the first pass's output after the refusal: %q (%v), want it as it was: %q", after, err, before)
	}
	if _, err := os.Stat(filepath.Join(dir, "b.jsonl")); err == nil {
		t.Error("the refused recrawl created its --output")
	}
	out := filepath.Join(dir, "c.jsonl")
	if code, stderr := runCrawlBin(t, bin, "--state", state, "--recrawl", "-d", "0", "-o", out, base+"/"); code != 0 {
		t.Fatalf("--recrawl into a new file after the refusals: exit %d\n%s", code, stderr)
	}
	recs, err := output.ReadFile(out, "")
	if err != nil || len(recs) != 1 || recs[0].Change != "unchanged" {
		t.Fatalf("--recrawl after the refusals: %+v (%v), want the start page unchanged (the state still a finished pass)", recs, err)
	}
}

// TestRecrawlOfAnOldState: a state made before page data was kept (a
// finished crawl without the pages bucket) is recrawled afresh with a
// one-line warning naming the folder and saying the pass cannot tell
// changes: its records have no change (not all "new"), --stats no changes;
// the next --recrawl compares with it.
func TestRecrawlOfAnOldState(t *testing.T) {
	bin, base, dir, state := crawledState(t)
	db, err := bolt.Open(filepath.Join(state, diskfrontier.FileName), 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	err = db.Update(func(tx *bolt.Tx) error { return tx.DeleteBucket([]byte("pages")) })
	if cerr := db.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		t.Fatalf("making the state old (no pages bucket): %v", err)
	}
	out, stats := filepath.Join(dir, "b.jsonl"), filepath.Join(dir, "stats.json")
	code, stderr := runCrawlBin(t, bin, "--state", state, "--recrawl", "-d", "0", "-o", out, "--stats", stats, "--progress", "never", base+"/")
	if code != 0 {
		t.Fatalf("--recrawl of an old state: exit %d\n%s", code, stderr)
	}
	var warning []string
	for _, l := range strings.Split(stderr, "\n") {
		if strings.HasPrefix(l, "poolscrape: warning:") {
			warning = append(warning, l)
		}
	}
	if len(warning) != 1 {
		t.Fatalf("stderr has %d warning lines, want 1:\n%s", len(warning), stderr)
	}
	mustContain(t, "the warning", warning[0], "--recrawl", state, "no page data", "cannot tell changes")
	recs, err := output.ReadFile(out, "")
	if err != nil || len(recs) != 1 || recs[0].Change != "" || recs[0].Status != 200 {
		t.Fatalf("records of the recrawl of an old state: %+v (%v), want the start page, 200, no change", recs, err)
	}
	var st scrape.Stats
	if b, err := os.ReadFile(stats); err != nil || json.Unmarshal(b, &st) != nil || len(st.Changes) != 0 {
		t.Errorf("--stats: changes %v (%v), want none", st.Changes, err)
	}
	next := filepath.Join(dir, "c.jsonl")
	code, stderr = runCrawlBin(t, bin, "--state", state, "--recrawl", "-d", "0", "-o", next, "--progress", "never", base+"/")
	if code != 0 || strings.Contains(stderr, "warning") {
		t.Fatalf("the next --recrawl: exit %d, want 0 and no warning\n%s", code, stderr)
	}
	if recs, err := output.ReadFile(next, ""); err != nil || len(recs) != 1 || recs[0].Change != "unchanged" {
		t.Fatalf("the next --recrawl: %+v (%v), want the start page unchanged", recs, err)
	}
}
