package main

import (
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/poolscrape/poolscrape/internal/testsite"
)

// TestStateResume stops a --state crawl mid-way, with SIGINT and with
// SIGKILL, reruns the same command, and checks that the output holds
// exactly the pages of an uninterrupted crawl, each once, in whole lines;
// a third run says the crawl is finished and exits 0.
func TestStateResume(t *testing.T) {
	bin := scaleBinary(t)
	for _, sig := range []syscall.Signal{syscall.SIGINT, syscall.SIGKILL} {
		t.Run(sig.String(), func(t *testing.T) {
			site, base := serveSite(t, testsite.Config{Latency: 20 * time.Millisecond})
			want, err := site.Expected(3)
			if err != nil {
				t.Fatal(err)
			}
			dir := t.TempDir()
			out := filepath.Join(dir, "out.jsonl")
			args := []string{"--state", filepath.Join(dir, "state"), "-o", out, "-c", "4", "--progress", "never", base + "/"}
			p := startCrawl(t, bin, args...)
			waitLines(t, p, out, len(want)*2/3) // into the last level, whose pages push no links: acks are held
			p.signal(t, sig)
			code := p.wait(t)
			if sig == syscall.SIGINT && code != 130 {
				t.Errorf("after SIGINT: exit %d, want 130; stderr:\n%s", code, p.stderr.String())
			}
			if before := len(recordPaths(t, out)); before >= len(want) {
				t.Fatalf("the stopped crawl wrote all %d pages: stop it earlier", before)
			}
			code, stderr := runCrawlBin(t, bin, args...)
			if code != 0 {
				t.Fatalf("resumed crawl: exit %d; stderr:\n%s", code, stderr)
			}
			mustContain(t, "the resumed crawl's stderr", stderr, "resuming the crawl in")
			if dups := compareUnion(t, want, recordPaths(t, out)); dups != 0 {
				t.Errorf("%d records written twice", dups)
			}
			code, stderr = runCrawlBin(t, bin, args...)
			if code != 0 {
				t.Errorf("rerun of the finished crawl: exit %d", code)
			}
			mustContain(t, "the finished crawl's stderr", stderr, "finished already")
		})
	}
}

// crawledState crawls the start page of a test site with --state into a
// state folder: the binary, the site, the test's folder and the state
// folder (within it; the output is a.jsonl there).
func crawledState(t *testing.T) (bin, base, dir, state string) {
	t.Helper()
	bin = scaleBinary(t)
	_, base = serveSite(t, testsite.Config{})
	dir = t.TempDir()
	state = filepath.Join(dir, "state")
	if code, stderr := runCrawlBin(t, bin, "--state", state, "-d", "0", "-o", filepath.Join(dir, "a.jsonl"), base+"/"); code != 0 {
		t.Fatalf("first crawl: exit %d\n%s", code, stderr)
	}
	return bin, base, dir, state
}

// TestStateRefusesAnotherCrawl reuses a state folder with another scope.
func TestStateRefusesAnotherCrawl(t *testing.T) {
	bin, base, dir, state := crawledState(t)
	code, stderr := runCrawlBin(t, bin, "--state", state, "-d", "0", "--scope", "any", "-o", filepath.Join(dir, "b.jsonl"), base+"/")
	if code != 2 {
		t.Errorf("crawl with another scope on the same state: exit %d, want 2", code)
	}
	mustContain(t, "the refusal", stderr, state, `scope is "host" there, "any" here`)
	code, stderr = runCrawlBin(t, bin, "--state", state, "--redis", "redis://127.0.0.1:1/0", base+"/")
	if code != 2 {
		t.Errorf("--state with --redis: exit %d, want 2", code)
	}
	mustContain(t, "the refusal", stderr, "--state", "--redis")
}

// TestStateIdentityIsOfCanonicalStarts: a start URL written another way
// that canonicalizes alike (scheme case, no path) is the same crawl, so the
// state is accepted (finished already, exit 0); another start URL is
// refused.
func TestStateIdentityIsOfCanonicalStarts(t *testing.T) {
	bin, base, dir, state := crawledState(t)
	alike := "HTTP://" + strings.TrimPrefix(base, "http://")
	code, stderr := runCrawlBin(t, bin, "--state", state, "-d", "0", "-o", filepath.Join(dir, "a.jsonl"), alike)
	if code != 0 {
		t.Fatalf("crawl of %s on the state of %s/: exit %d, want 0 (the same crawl)\n%s", alike, base, code, stderr)
	}
	mustContain(t, "the same crawl's stderr", stderr, "is finished already")
	code, stderr = runCrawlBin(t, bin, "--state", state, "-d", "0", "-o", filepath.Join(dir, "b.jsonl"), base+"/other")
	if code != 2 {
		t.Errorf("crawl of another start URL on the same state: exit %d, want 2", code)
	}
	mustContain(t, "the refusal", stderr, state, "start URLs is")
}
