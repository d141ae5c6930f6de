package main

import (
	"path/filepath"
	"testing"

	"github.com/poolscrape/poolscrape/internal/redistest"
)

// TestStateRefusesAnotherSitemaps: --sitemaps is part of the crawl's
// identity: a --state folder or a --redis job made without it refuses a
// crawl with it (exit 2, naming sitemaps), instead of mixing the sitemaps'
// URLs into the other crawl.
func TestStateRefusesAnotherSitemaps(t *testing.T) {
	bin, base, dir, state := crawledState(t)
	code, stderr := runCrawlBin(t, bin, "--state", state, "-d", "0", "--sitemaps", "-o", filepath.Join(dir, "b.jsonl"), base+"/")
	if code != 2 {
		t.Errorf("crawl with --sitemaps on the state of one without: exit %d, want 2\n%s", code, stderr)
	}
	mustContain(t, "the refusal", stderr, state, `sitemaps is "false" there, "true" here`)

	job := redistest.Job(t)
	redisArgs := []string{"--redis", redistest.URL(t), "--job", job, "-d", "0", "--progress", "never"}
	if code, stderr := runCrawlBin(t, bin, append(redisArgs, "--sitemaps", "-o", filepath.Join(dir, "c.jsonl"), base+"/")...); code != 0 {
		t.Fatalf("redis crawl with --sitemaps: exit %d\n%s", code, stderr)
	}
	code, stderr = runCrawlBin(t, bin, append(redisArgs, "-o", filepath.Join(dir, "d.jsonl"), base+"/")...)
	if code != 2 {
		t.Errorf("crawl without --sitemaps joining a job with: exit %d, want 2\n%s", code, stderr)
	}
	mustContain(t, "the refusal", stderr, job, `sitemaps is "true" there, "false" here`)
}
