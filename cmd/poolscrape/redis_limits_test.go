package main

import (
	"bytes"
	"context"
	"fmt"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/poolscrape/poolscrape/internal/redistest"
	"github.com/poolscrape/poolscrape/internal/testsite"
	"github.com/poolscrape/poolscrape/output"
	"github.com/poolscrape/poolscrape/scrape"
	"github.com/poolscrape/poolscrape/scrape/record"
	"github.com/poolscrape/poolscrape/scrape/redisfrontier"
	"github.com/poolscrape/poolscrape/scrape/resume"
)

// crawlThree runs three processes on one Redis job over base with args
// and returns the record paths of all three outputs.
func crawlThree(t *testing.T, bin, base string, args ...string) []string {
	t.Helper()
	redisURL, job, dir := redistest.URL(t), redistest.Job(t), t.TempDir()
	procs := make([]*crawlProc, 3)
	outs := make([]string, 3)
	for i := range procs {
		outs[i] = filepath.Join(dir, fmt.Sprintf("out%d.jsonl", i))
		procs[i] = startCrawl(t, bin, append([]string{"--redis", redisURL, "--job", job, "-d", "-1", "-c", "4",
			"--per-host", "64", "-q", "-o", outs[i]}, append(args, base+"/")...)...)
	}
	for i, p := range procs {
		if code := p.wait(t); code != 0 {
			t.Fatalf("process %d: exit %d\n%s", i, code, p.stderr.String())
		}
	}
	var all []string
	for _, o := range outs {
		all = append(all, recordPaths(t, o)...)
	}
	return all
}

// TestRedisJobWideMaxPages: three processes with --max-pages 40 on one job
// of a 300-page site fetch 40 pages in all, each once.
func TestRedisJobWideMaxPages(t *testing.T) {
	bin := scaleBinary(t)
	_, base := serveSite(t, testsite.Config{Pages: 300, Plain: true})
	all := crawlThree(t, bin, base, "--max-pages", "40")
	seen := map[string]bool{}
	for _, p := range all {
		if seen[p] {
			t.Errorf("%s recorded twice", p)
		}
		seen[p] = true
	}
	if len(all) != 40 {
		t.Errorf("%d records from three processes with --max-pages 40 each on one job: want 40 in all", len(all))
	}
}

// TestRedisJobWideRate: three processes with --rate 30 on one job send 30
// requests a second in all (robots.txt included), not 30 each: their
// arrivals span at least (n-burst)/30 (halved for the network's jitter).
func TestRedisJobWideRate(t *testing.T) {
	bin := scaleBinary(t)
	site, err := testsite.New(testsite.Config{Pages: 300, Plain: true})
	if err != nil {
		t.Fatal(err)
	}
	a := &arrivals{inner: site.Handler()}
	srv := httptest.NewServer(a)
	defer srv.Close()
	all := crawlThree(t, bin, srv.URL, "--rate", "30", "--max-pages", "60")
	if len(all) != 60 {
		t.Fatalf("%d records, want 60", len(all))
	}
	n, span := a.span()
	if least := leastSpan(n, 30); span < least {
		t.Errorf("%d requests from three processes at --rate 30 on one job in %v: want at least %v", n, span, least)
	}
}

// TestRedisJobWideMaxTime: --max-time is the job's, from its first
// process's start: a process joining with the same --max-time after the
// deadline stops at once (exit 0, stopped by max_time, no page fetched).
func TestRedisJobWideMaxTime(t *testing.T) {
	redisURL, job := redistest.URL(t), redistest.Job(t)
	bin := scaleBinary(t)
	_, base := serveSite(t, testsite.Config{Pages: 300, Plain: true})
	dir := t.TempDir()
	args := []string{"--redis", redisURL, "--job", job, "-d", "-1", "--rate", "10", "--max-time", "1s", "--progress", "never"}
	for i, want := range []bool{true, false} {
		out, stats := filepath.Join(dir, fmt.Sprintf("out%d.jsonl", i)), filepath.Join(dir, fmt.Sprintf("stats%d.json", i))
		code, stderr := runCrawlBin(t, bin, append(args, "-o", out, "--stats", stats, base+"/")...)
		if code != 0 {
			t.Fatalf("process %d: exit %d\n%s", i, code, stderr)
		}
		js, err := os.ReadFile(stats)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Contains(js, []byte(`"stopped_by": "max_time"`)) {
			t.Errorf("process %d's stats: want stopped_by max_time:\n%s", i, js)
		}
		if n := len(recordPaths(t, out)); (n > 0) != want {
			t.Errorf("process %d wrote %d records; want some: %v", i, n, want)
		}
	}
}

// TestRedisRerunMarksOutputWritten: a process wrote the start page's
// record but never acked it; its lease went back to the queue (as when it
// expires; the leased case is redisfrontier's TestMarkWritten). The
// process's rerun with the same output settles that URL from the output:
// the job finishes without fetching it again.
func TestRedisRerunMarksOutputWritten(t *testing.T) {
	redisURL, job := redistest.URL(t), redistest.Job(t)
	bin := scaleBinary(t)
	site := &arrivals{}
	srv := httptest.NewServer(site)
	defer srv.Close()
	start := srv.URL + "/"
	id, err := resume.IdentityOf(scrape.Config{Starts: []string{start}, Depth: 0})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	dead, err := redisfrontier.Open(ctx, redistest.Client(t), job, id, redisfrontier.Config{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := dead.Push(ctx, scrape.Request{URL: start}); err != nil {
		t.Fatal(err)
	}
	l, _, err := dead.Pop(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "out.jsonl")
	w, err := output.Open(out, output.JSONL, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := w.Write(record.Record{URL: l.URL, FinalURL: l.URL, Status: 200, FetchedAt: time.Now()}); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	if err := dead.Close(ctx); err != nil { // the lease goes back, unacked
		t.Fatal(err)
	}
	code, stderr := runCrawlBin(t, bin, "--redis", redisURL, "--job", job, "-d", "0", "--progress", "never", "-o", out, start)
	if code != 0 {
		t.Fatalf("rerun: exit %d\n%s", code, stderr)
	}
	if n, _ := site.span(); n != 0 {
		t.Errorf("the rerun sent %d requests: want none, the start page's record is in its output", n)
	}
	st := crawlStatus(t, bin, redisURL, job)
	if st.State != "finished" || st.Done != 1 || st.Refetched != 0 {
		t.Errorf("status after the rerun: %+v; want finished, 1 done, 0 refetched", st)
	}
	if n := len(recordPaths(t, out)); n != 1 {
		t.Errorf("%d records in the output, want the one", n)
	}
}
