package main

import (
	"bytes"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/poolscrape/poolscrape/internal/fulldisk"
	"github.com/poolscrape/poolscrape/internal/testsite"
	"github.com/poolscrape/poolscrape/internal/warcread"
	"github.com/poolscrape/poolscrape/scrape"
)

// TestCrawlCommandWARCBadName: a --warc name that is neither .warc nor
// .warc.gz is exit 2 naming the flag and the value, before any request.
func TestCrawlCommandWARCBadName(t *testing.T) {
	bin := crawlBin(t)
	for _, name := range []string{"out.gz", "out.warc.zst", "out"} {
		code, stderr := crawlRun(t, bin, "", "crawl", "-q", "--warc", name, "http://127.0.0.1:1/")
		if code != 2 || !strings.Contains(stderr, "--warc") || !strings.Contains(stderr, name) {
			t.Errorf("--warc %s: exit %d, stderr %q; want 2 naming --warc and the name", name, code, stderr)
		}
	}
}

// TestCrawlCommandWARCResume stops a --state --warc crawl with SIGINT and
// with SIGKILL and resumes it: after SIGINT the file reads back whole;
// after SIGKILL its records read back whole up to at most a torn last
// write; the resumed crawl cuts that off and appends, and the file then
// reads back whole with an independent reader: two warcinfo records, every
// page of the output archived, each body as the site serves it.
func TestCrawlCommandWARCResume(t *testing.T) {
	bin := scaleBinary(t)
	for _, sig := range []syscall.Signal{syscall.SIGINT, syscall.SIGKILL} {
		for _, name := range []string{"crawl.warc", "crawl.warc.gz"} {
			t.Run(sig.String()+"/"+name, func(t *testing.T) {
				site, base := serveSite(t, testsite.Config{Latency: 10 * time.Millisecond})
				want, err := site.Expected(3)
				if err != nil {
					t.Fatal(err)
				}
				dir := t.TempDir()
				out, archive := filepath.Join(dir, "out.jsonl"), filepath.Join(dir, name)
				args := []string{"--state", filepath.Join(dir, "state"), "-o", out, "--warc", archive, "-c", "4", "--progress", "never", base + "/"}
				p := startCrawl(t, bin, args...)
				waitLines(t, p, out, len(want)/2)
				p.signal(t, sig)
				p.wait(t)
				recs, err := warcread.File(archive)
				switch {
				case len(recs) < 3:
					t.Fatalf("the stopped crawl's WARC: %d whole records (%v)", len(recs), err)
				case err != nil && sig == syscall.SIGINT:
					t.Fatalf("after SIGINT: %v", err)
				case err != nil:
					t.Logf("after SIGKILL, a torn last write: %v", err)
				}
				if sig == syscall.SIGKILL {
					tearTail(t, archive) // as the kernel may cut a write at SIGKILL: the resume must cut it
				}
				if code, stderr := runCrawlBin(t, bin, args...); code != 0 {
					t.Fatalf("resumed crawl: exit %d; stderr:\n%s", code, stderr)
				}
				recs, err = warcread.File(archive)
				if err != nil {
					t.Fatalf("the resumed crawl's WARC: %v", err)
				}
				checkArchived(t, base, recs, recordPaths(t, out))
			})
		}
	}
}

// tearTail appends the first half of the file's first record to it: a
// torn last record.
func tearTail(t *testing.T, path string) {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := f.Write(data[:200]); err != nil {
		t.Fatal(err)
	}
	if _, err := warcread.File(path); err == nil {
		t.Fatal("the torn file reads back whole")
	}
}

// checkArchived checks two warcinfo records, and a 200 response record
// for every page path, its body byte for byte what the site serves.
func checkArchived(t *testing.T, base string, recs []warcread.Record, paths []string) {
	t.Helper()
	infos := 0
	bodies := map[string][]byte{}
	for _, r := range recs {
		switch {
		case r.Type == "warcinfo":
			infos++
			if !bytes.Contains(r.Block, []byte("software: poolscrape/")) || !bytes.Contains(r.Block, []byte("poolscrape-depth: 3")) {
				t.Errorf("warcinfo without software or settings:\n%s", r.Block)
			}
		case r.Type == "response" && r.Status == 200:
			bodies[strings.TrimPrefix(r.TargetURI, base)] = r.Payload
		}
	}
	if infos != 2 {
		t.Errorf("%d warcinfo records, want 2 (one a run)", infos)
	}
	raw := &http.Client{Transport: &http.Transport{DisableCompression: true}}
	defer raw.CloseIdleConnections()
	checked := 0
	for _, p := range paths {
		got, ok := bodies[p]
		if !strings.HasPrefix(p, "/page/") {
			continue // redirects, errors: their record holds the final URL's status
		}
		if !ok {
			t.Errorf("%s: no 200 response record", p)
			continue
		}
		resp, err := raw.Get(base + p)
		if err != nil {
			t.Fatal(err)
		}
		served, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, served) {
			t.Errorf("%s: archived body of %d bytes is not the %d served", p, len(got), len(served))
		}
		checked++
	}
	if checked == 0 {
		t.Error("no page checked")
	}
}

// TestCrawlCommandWARCFullFilesystem archives into a real 64 KiB tmpfs
// until it is full (needs the right to mount: skipped without it): a
// warning, the crawl goes on, exit 1 naming the error and the file, and
// the file reads back whole.
func TestCrawlCommandWARCFullFilesystem(t *testing.T) {
	bin := crawlBin(t)
	dir := fulldisk.Mount(t, 64<<10)
	_, base := serveSite(t, testsite.Config{Pages: 400, Plain: true})
	for _, name := range []string{"a.warc", "a.warc.gz"} {
		path := filepath.Join(dir, name)
		out := filepath.Join(t.TempDir(), "out.jsonl")
		code, stderr := crawlRun(t, bin, "", "crawl", "-q", "-d", "-1", "-c", "4", "-o", out, "--warc", path, base+"/")
		if code != 1 || !strings.Contains(stderr, "no space left on device") || !strings.Contains(stderr, path) || !strings.Contains(stderr, "warning") {
			t.Errorf("%s: exit %d, stderr %q; want a warning and exit 1 naming the error and the file", name, code, stderr)
		}
		if n := len(recordPaths(t, out)); n < 400 {
			t.Errorf("%s: %d records: the crawl stopped with the archive", name, n)
		}
		if _, err := warcread.File(path); err != nil {
			t.Errorf("%s: %v", name, err)
		}
		if err := os.Remove(path); err != nil {
			t.Fatal(err)
		}
	}
}

// TestWARCInfoRedactsPasswords: the warcinfo record names every flag, but
// masks the password of a URL and leaves the credential flags' values out.
func TestWARCInfoRedactsPasswords(t *testing.T) {
	cmd := newCrawlCmd()
	err := cmd.Flags().Parse([]string{"--redis", "redis://user:s3cret@127.0.0.1:1/0", "-d", "5",
		"--proxy", "http://pu:s3cret@127.0.0.1:2/", "--auth", "ann:s3cret", "--cookie", "session=s3cret", "-H", "Authorization: Bearer s3cret"})
	if err != nil {
		t.Fatal(err)
	}
	var info strings.Builder
	for _, f := range warcInfo(cmd, &scrape.Config{Starts: []string{"http://127.0.0.1:1/", "http://bob:s3cret@127.0.0.1:1/x"}}) {
		info.WriteString(f.Name + ": " + f.Value + "\n")
	}
	mustContain(t, "the warcinfo", info.String(), "poolscrape-depth: 5\n", "poolscrape-redis: redis://user:xxxxx@127.0.0.1:1/0\n",
		"start-url: http://127.0.0.1:1/\n", "start-url: http://bob:xxxxx@127.0.0.1:1/x\n", "poolscrape-auth: (given; not archived)\n",
		"poolscrape-proxy: http://pu:xxxxx@127.0.0.1:2/\n", "poolscrape-insecure: false\n")
	if strings.Contains(info.String(), "s3cret") {
		t.Errorf("the warcinfo holds a password:\n%s", info.String())
	}
}
