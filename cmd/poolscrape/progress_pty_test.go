//go:build unix

package main

import (
	"bytes"
	"errors"
	"io"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/creack/pty"
	"github.com/poolscrape/poolscrape/internal/testsite"
)

// ptyRun is a command whose stdout and stderr are one pseudo-terminal, as
// in a person's shell; out collects what the terminal shows.
type ptyRun struct {
	cmd  *exec.Cmd
	mu   sync.Mutex
	out  bytes.Buffer
	done chan struct{}
	more chan struct{} // signalled on every read
}

func startPTY(t *testing.T, bin string, args ...string) *ptyRun {
	t.Helper()
	ptmx, tty, err := pty.Open()
	if err != nil {
		t.Skipf("no pseudo-terminal: %v", err)
	}
	_ = pty.Setsize(ptmx, &pty.Winsize{Rows: 40, Cols: 200})
	r := &ptyRun{cmd: exec.Command(bin, args...), done: make(chan struct{}), more: make(chan struct{}, 1)}
	r.cmd.Stdin, r.cmd.Stdout, r.cmd.Stderr = tty, tty, tty
	r.cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true, Setctty: true}
	if err := r.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	tty.Close()
	go func() {
		defer close(r.done)
		defer ptmx.Close()
		buf := make([]byte, 4096)
		for {
			n, err := ptmx.Read(buf)
			r.mu.Lock()
			r.out.Write(buf[:n])
			r.mu.Unlock()
			select {
			case r.more <- struct{}{}:
			default:
			}
			if err != nil { // EIO once the command has exited
				return
			}
		}
	}()
	return r
}

// waitFor waits until the terminal has shown s.
func (r *ptyRun) waitFor(t *testing.T, s string) {
	t.Helper()
	timeout := time.After(60 * time.Second)
	for !strings.Contains(r.text(), s) {
		select {
		case <-r.more:
		case <-r.done:
			if !strings.Contains(r.text(), s) {
				t.Fatalf("exited without showing %q:\n%q", s, r.text())
			}
		case <-timeout:
			t.Fatalf("%q not shown:\n%q", s, r.text())
		}
	}
}

// wait waits for the command to exit and returns its status and all the
// terminal showed.
func (r *ptyRun) wait(t *testing.T) (int, string) {
	t.Helper()
	err := r.cmd.Wait()
	<-r.done
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		return ee.ExitCode(), r.text()
	} else if err != nil && !errors.Is(err, io.EOF) {
		t.Fatal(err)
	}
	return 0, r.text()
}

func (r *ptyRun) text() string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.out.String()
}

// TestCrawlProgressNotIntoRecords: with records on stdout and stdout and
// stderr the same terminal, --progress auto draws no bar (it would be drawn
// into the JSON lines); with records in a file, it does.
func TestCrawlProgressNotIntoRecords(t *testing.T) {
	bin := crawlBin(t)
	site, _ := testsite.New(testsite.Config{Pages: 30, Plain: true})
	srv := httptest.NewServer(site.Handler())
	defer srv.Close()

	for _, o := range []string{"-", "/dev/stdout"} {
		r := startPTY(t, bin, "crawl", "-d", "-1", "-o", o, srv.URL+"/")
		code, out := r.wait(t)
		if code != 0 {
			t.Fatalf("-o %s: exit %d:\n%s", o, code, out)
		}
		if strings.Contains(out, "\rcrawl ") {
			t.Errorf("-o %s: bar drawn on the terminal the records go to:\n%q", o, out)
		}
		for _, line := range strings.Split(out, "\n") {
			line = strings.TrimRight(line, "\r")
			if strings.HasPrefix(line, "{") && !strings.HasSuffix(line, "}") {
				t.Errorf("-o %s: record line mixed with something else: %q", o, line)
			}
		}
	}

	r := startPTY(t, bin, "crawl", "-d", "-1", "-o", filepath.Join(t.TempDir(), "o.jsonl"), srv.URL+"/")
	if code, out := r.wait(t); code != 0 || !strings.Contains(out, "\rcrawl ") {
		t.Errorf("records in a file, stderr a terminal: exit %d, want 0 and a bar:\n%q", code, out)
	}
}

// TestCrawlInterruptClearsBar: Ctrl-C writes "stopping" on a line of its
// own, the bar's line cleared first, not glued to the bar.
func TestCrawlInterruptClearsBar(t *testing.T) {
	bin := crawlBin(t)
	site, _ := testsite.New(testsite.Config{Pages: 2000, Plain: true, Latency: 100 * time.Millisecond})
	srv := httptest.NewServer(site.Handler())
	defer srv.Close()
	r := startPTY(t, bin, "crawl", "-d", "-1", "-c", "4", "-o", filepath.Join(t.TempDir(), "o.jsonl"), srv.URL+"/")
	r.waitFor(t, "pages")
	_ = r.cmd.Process.Signal(syscall.SIGINT)
	code, out := r.wait(t)
	if code != 130 {
		t.Errorf("exit %d, want 130", code)
	}
	i := strings.Index(out, "poolscrape: stopping")
	if i < 0 {
		t.Fatalf("no stopping line:\n%q", out)
	}
	line := out[strings.LastIndexByte(out[:i], '\n')+1 : i]
	segs := strings.Split(line, "\r")
	if last := segs[len(segs)-1]; last != "" {
		t.Errorf("stopping glued to %q (the terminal line before it: %q)", last, line)
	}
	if len(segs) >= 2 && strings.TrimSpace(segs[len(segs)-2]) != "" {
		t.Errorf("bar line not cleared before stopping: %q", line)
	}
}

// TestBenchSaysWhatItDoes: bench on a terminal says what it serves and
// crawls (the page count explained: home page, --pages pages, author pages)
// and shows the crawl's progress on stderr.
func TestBenchSaysWhatItDoes(t *testing.T) {
	bin := crawlBin(t)
	r := startPTY(t, bin, "bench", "--pages", "200", "--baseline=false")
	code, out := r.wait(t)
	if code != 0 {
		t.Fatalf("exit %d:\n%q", code, out)
	}
	for _, want := range []string{
		"206 URLs: the home page, 200 pages (--pages, 4 links each), 5 author pages",
		"crawling it all with poolscrape",
		"\rcrawl ", // the bar
		"poolscrape: 206 pages in ",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("no %q in:\n%q", want, out)
		}
	}
}

// TestCrawlProgressOtherTerminal: records on one terminal, stderr on
// another: --progress auto draws the bar on stderr's.
func TestCrawlProgressOtherTerminal(t *testing.T) {
	bin := crawlBin(t)
	site, _ := testsite.New(testsite.Config{Pages: 30, Plain: true})
	srv := httptest.NewServer(site.Handler())
	defer srv.Close()
	outM, outT, err := pty.Open()
	if err != nil {
		t.Skipf("no pseudo-terminal: %v", err)
	}
	errM, errT, err := pty.Open()
	if err != nil {
		t.Skipf("no pseudo-terminal: %v", err)
	}
	cmd := exec.Command(bin, "crawl", "-d", "-1", "-o", "-", srv.URL+"/")
	cmd.Stdout, cmd.Stderr = outT, errT
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	outT.Close()
	errT.Close()
	drain := func(m *os.File) <-chan []byte {
		ch := make(chan []byte, 1)
		go func() {
			defer m.Close()
			var b bytes.Buffer
			_, _ = io.Copy(&b, m) // to EIO once the command has exited
			ch <- b.Bytes()
		}()
		return ch
	}
	outC, errC := drain(outM), drain(errM)
	if err := cmd.Wait(); err != nil {
		t.Fatal(err)
	}
	stdout, stderr := <-outC, <-errC
	if !bytes.Contains(stderr, []byte("\rcrawl ")) || bytes.Contains(stdout, []byte("\rcrawl ")) {
		t.Errorf("want the bar on stderr's terminal only; stdout:\n%q\nstderr:\n%q", stdout, stderr)
	}
}
