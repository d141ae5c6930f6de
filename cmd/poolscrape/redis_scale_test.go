package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os/exec"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/poolscrape/poolscrape/internal/redistest"
	"github.com/poolscrape/poolscrape/internal/testsite"
)

// TestRedisThreeProcessesOneKilled runs three crawl processes on one Redis
// job against the test site and SIGKILLs one mid-crawl: the union of the
// three outputs is exactly the site's pages, and the only duplicates are
// URLs the killed process had leased (at most its --concurrency), each
// counted as refetched.
func TestRedisThreeProcessesOneKilled(t *testing.T) {
	redisURL := redistest.URL(t)
	job := redistest.Job(t)
	bin := scaleBinary(t)
	site, base := serveSite(t, testsite.Config{Pages: 300, Plain: true, Latency: 20 * time.Millisecond})
	want, err := site.Expected(-1)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	const conc = 4
	procs := make([]*crawlProc, 3)
	outs := make([]string, 3)
	for i := range procs {
		outs[i] = filepath.Join(dir, fmt.Sprintf("out%d.jsonl", i))
		procs[i] = startCrawl(t, bin, "--redis", redisURL, "--job", job, "--lease-timeout", "2s",
			"-d", "-1", "-c", fmt.Sprint(conc), "--per-host", "64", "-q", "-o", outs[i], base+"/")
	}
	waitLines(t, procs[0], outs[0], 10)
	procs[0].signal(t, syscall.SIGKILL)
	procs[0].wait(t)
	for i, p := range procs[1:] {
		if code := p.wait(t); code != 0 {
			t.Fatalf("process %d: exit %d\n%s", i+1, code, p.stderr.String())
		}
	}
	var all []string
	for _, o := range outs {
		all = append(all, recordPaths(t, o)...)
	}
	dups := compareUnion(t, want, all)
	st := crawlStatus(t, bin, redisURL, job)
	if dups > conc || int64(dups) > st.Refetched {
		t.Errorf("%d duplicate records, want at most %d (the killed process's leases) and at most the %d refetched", dups, conc, st.Refetched)
	}
	if st.State != "finished" || st.Done+st.Failed != int64(len(want)) || st.Queued != 0 || st.Leased != 0 || st.Processes != 3 {
		t.Errorf("status after the crawl: %+v; want finished, %d done, 3 processes", st, len(want))
	}
	// A process joining the finished job says so and exits 0.
	code, stderr := runCrawlBin(t, bin, "--redis", redisURL, "--job", job, "-d", "-1", "-o", filepath.Join(dir, "late.jsonl"), base+"/")
	if code != 0 {
		t.Errorf("joining the finished job: exit %d", code)
	}
	mustContain(t, "the late process's stderr", stderr, "job "+job+" is finished already")
}

func crawlStatus(t *testing.T, bin, redisURL, job string) jobStatus {
	t.Helper()
	cmd := exec.Command(bin, "crawl", "status", "--redis", redisURL, "--job", job, "--json")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("crawl status: %v\n%s", err, stderr.String())
	}
	var st jobStatus
	if err := json.Unmarshal(out, &st); err != nil {
		t.Fatalf("crawl status --json printed %q: %v", out, err)
	}
	return st
}

func TestCrawlStatusErrors(t *testing.T) {
	redisURL := redistest.URL(t)
	bin := scaleBinary(t)
	out, err := exec.Command(bin, "crawl", "status", "--redis", redisURL, "--job", "no-such-job-here").CombinedOutput()
	if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != 1 {
		t.Errorf("status of a missing job: %v, want exit 1", err)
	}
	mustContain(t, "status of a missing job", string(out), "no-such-job-here", "no such job")
	out, err = exec.Command(bin, "crawl", "status", "--redis", "http://x", "--job", "j").CombinedOutput()
	if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != 2 {
		t.Errorf("status with a bad URL: %v, want exit 2", err)
	}
	mustContain(t, "status with a bad URL", string(out), "--redis")
}

// TestCrawlStatusWindowIsTheJobs: crawl status counts the processes, and
// says it does, over three of the lease timeouts the job's processes use,
// not a fixed three times the default.
func TestCrawlStatusWindowIsTheJobs(t *testing.T) {
	redisURL := redistest.URL(t)
	job := redistest.Job(t)
	bin := scaleBinary(t)
	_, base := serveSite(t, testsite.Config{})
	out := filepath.Join(t.TempDir(), "out.jsonl")
	if code, stderr := runCrawlBin(t, bin, "--redis", redisURL, "--job", job, "--lease-timeout", "7s", "-d", "0", "-o", out, base+"/"); code != 0 {
		t.Fatalf("crawl: exit %d\n%s", code, stderr)
	}
	if st := crawlStatus(t, bin, redisURL, job); st.HeartbeatWindow != "21s" || st.Processes != 1 {
		t.Errorf("status --json: %+v; want heartbeat_window 21s, 1 process", st)
	}
	text, err := exec.Command(bin, "crawl", "status", "--redis", redisURL, "--job", job).CombinedOutput()
	if err != nil {
		t.Fatalf("crawl status: %v\n%s", err, text)
	}
	mustContain(t, "status", string(text), "processes  1 (heartbeat in the last 21s)")
}
