package main

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/poolscrape/poolscrape/internal/testsite"
	"github.com/poolscrape/poolscrape/output"
)

// scaleBinary builds poolscrape into the test's temporary directory.
func scaleBinary(tb testing.TB) string {
	tb.Helper()
	bin := filepath.Join(tb.TempDir(), "poolscrape")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		tb.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// serveSite serves a test site on loopback until the test ends.
func serveSite(tb testing.TB, cfg testsite.Config) (*testsite.Site, string) {
	tb.Helper()
	site, err := testsite.New(cfg)
	if err != nil {
		tb.Fatal(err)
	}
	srv, err := site.Start("")
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		srv.Close(ctx)
	})
	return site, srv.URL
}

// crawlProc is a running poolscrape crawl.
type crawlProc struct {
	cmd    *exec.Cmd
	stderr bytes.Buffer
	done   chan struct{}
	err    error
}

func startCrawl(tb testing.TB, bin string, args ...string) *crawlProc {
	tb.Helper()
	p := &crawlProc{cmd: exec.Command(bin, append([]string{"crawl"}, args...)...), done: make(chan struct{})}
	p.cmd.Stderr = &p.stderr
	if err := p.cmd.Start(); err != nil {
		tb.Fatal(err)
	}
	go func() { p.err = p.cmd.Wait(); close(p.done) }()
	tb.Cleanup(func() {
		p.cmd.Process.Kill()
		<-p.done
	})
	return p
}

// wait waits for the process (up to a generous bound) and returns its exit
// code (-1: killed by a signal).
func (p *crawlProc) wait(tb testing.TB) int {
	tb.Helper()
	select {
	case <-p.done:
	case <-time.After(3 * time.Minute):
		p.cmd.Process.Kill()
		<-p.done
		tb.Fatalf("crawl did not end; stderr:\n%s", p.stderr.String())
	}
	return p.cmd.ProcessState.ExitCode()
}

// runCrawlBin runs a crawl to its end and returns its exit code and stderr.
func runCrawlBin(tb testing.TB, bin string, args ...string) (int, string) {
	tb.Helper()
	p := startCrawl(tb, bin, args...)
	code := p.wait(tb)
	return code, p.stderr.String()
}

// waitLines waits until path holds at least n lines or the process ends.
func waitLines(tb testing.TB, p *crawlProc, path string, n int) {
	tb.Helper()
	deadline := time.Now().Add(time.Minute)
	for time.Now().Before(deadline) {
		b, _ := os.ReadFile(path)
		if bytes.Count(b, []byte("\n")) >= n {
			return
		}
		select {
		case <-p.done:
			tb.Fatalf("crawl ended before writing %d records; stderr:\n%s", n, p.stderr.String())
		case <-time.After(5 * time.Millisecond):
		}
	}
	tb.Fatalf("%s never reached %d lines", path, n)
}

// signal sends sig to the crawl.
func (p *crawlProc) signal(tb testing.TB, sig syscall.Signal) {
	tb.Helper()
	if err := p.cmd.Process.Signal(sig); err != nil {
		tb.Fatal(err)
	}
}

// recordPaths reads an output file strictly (no torn line allowed) and
// returns the path (with query) of each record's URL, in file order.
func recordPaths(tb testing.TB, path string) []string {
	tb.Helper()
	recs, err := output.ReadFile(path, "")
	if err != nil {
		tb.Fatal(err)
	}
	paths := make([]string, len(recs))
	for i, r := range recs {
		if paths[i], err = testsite.PathOf(r.URL); err != nil {
			tb.Fatal(err)
		}
	}
	return paths
}

// compareUnion checks that the union of paths is exactly want; it returns
// how many records were duplicates.
func compareUnion(tb testing.TB, want map[string]int, paths []string) int {
	tb.Helper()
	got := map[string]int{}
	for _, p := range paths {
		got[p]++
	}
	var missing, extra []string
	for p := range want {
		if got[p] == 0 {
			missing = append(missing, p)
		}
	}
	for p := range got {
		if _, ok := want[p]; !ok {
			extra = append(extra, p)
		}
	}
	if len(missing) > 0 || len(extra) > 0 {
		tb.Errorf("union of outputs: missing %v, unexpected %v", missing, extra)
	}
	return len(paths) - len(got)
}

func mustContain(tb testing.TB, what, text string, subs ...string) {
	tb.Helper()
	for _, s := range subs {
		if !strings.Contains(text, s) {
			tb.Errorf("%s does not say %q:\n%s", what, s, text)
		}
	}
}
