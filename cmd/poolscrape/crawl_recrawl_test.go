package main

import (
	"path/filepath"
	"testing"

	"github.com/poolscrape/poolscrape/output"
)

// TestRecrawl recrawls a finished --state crawl: its page, served again
// alike, is unchanged; --recrawl without --state, with --redis, or on a
// state that holds no crawl is refused with exit 2.
func TestRecrawl(t *testing.T) {
	bin, base, dir, state := crawledState(t)
	out := filepath.Join(dir, "b.jsonl")
	if code, stderr := runCrawlBin(t, bin, "--state", state, "--recrawl", "-d", "0", "-o", out, base+"/"); code != 0 {
		t.Fatalf("--recrawl: exit %d\n%s", code, stderr)
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
