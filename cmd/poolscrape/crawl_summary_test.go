package main

import (
	"bytes"
	"net/http/httptest"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"syscall"
	"testing"
	"time"

	"github.com/poolscrape/poolscrape/internal/testsite"
)

// TestCrawlSummaryAfterResume: after a --state resume the summary gives
// this run's pages and the whole crawl's URLs done of discovered, each
// labelled: the second run's pages are fewer than the crawl's URLs done.
func TestCrawlSummaryAfterResume(t *testing.T) {
	bin := crawlBin(t)
	site, _ := testsite.New(testsite.Config{Pages: 30, Plain: true, Latency: 50 * time.Millisecond})
	srv := httptest.NewServer(site.Handler())
	defer srv.Close()
	dir := t.TempDir()
	out, state := filepath.Join(dir, "o.jsonl"), filepath.Join(dir, "state")
	args := []string{"crawl", "-d", "-1", "-c", "1", "--per-host", "1", "--state", state, "-o", out, srv.URL + "/"}
	first := exec.Command(bin, args...)
	if err := first.Start(); err != nil {
		t.Fatal(err)
	}
	waitForLines(t, out, 3)
	_ = first.Process.Signal(syscall.SIGINT)
	_ = first.Wait()

	second := exec.Command(bin, args...)
	var stderr bytes.Buffer
	second.Stderr = &stderr
	if err := second.Run(); err != nil {
		t.Fatalf("resume: %v\n%s", err, stderr.String())
	}
	text := stderr.String()
	pages := regexp.MustCompile(`this run\n(?:.*\n)*?  pages: +(\d+)\n`).FindStringSubmatch(text)
	done := regexp.MustCompile(`whole crawl .*\n  URLs done: +(\d+) of (\d+) discovered\n`).FindStringSubmatch(text)
	if pages == nil || done == nil {
		t.Fatalf("summary without this run's pages or the whole crawl's URLs done:\n%s", text)
	}
	p, _ := strconv.Atoi(pages[1])
	d, _ := strconv.Atoi(done[1])
	if d != 36 || done[2] != "36" || p >= d || p == 0 {
		t.Errorf("this run %d pages, whole crawl %d of %s done; want fewer than 36, and 36 of 36:\n%s", p, d, done[2], text)
	}
}
