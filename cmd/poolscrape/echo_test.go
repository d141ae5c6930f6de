package main

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/poolscrape/poolscrape/internal/echotest"
)

// echoBinary builds poolscrape into a fresh temporary directory.
func echoBinary(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "poolscrape")
	out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput()
	if err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// echoProc is a running `poolscrape echo` and what it printed.
type echoProc struct {
	cmd  *exec.Cmd
	addr string
	mu   sync.Mutex
	out  bytes.Buffer
	done chan error
}

var listeningRE = regexp.MustCompile(`listening on (\S+)`)

// startEcho runs the echo command through argv0 (the binary, or a shell
// line that execs it) and waits for its listening line.
func startEcho(t *testing.T, argv ...string) *echoProc {
	t.Helper()
	p := &echoProc{cmd: exec.Command(argv[0], argv[1:]...), done: make(chan error, 1)}
	stdout, err := p.cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	p.cmd.Stderr = os.Stderr
	if err := p.cmd.Start(); err != nil {
		t.Fatalf("start %v: %v", argv, err)
	}
	addrc := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			p.mu.Lock()
			p.out.WriteString(sc.Text() + "\n")
			p.mu.Unlock()
			if m := listeningRE.FindStringSubmatch(sc.Text()); m != nil {
				addrc <- m[1]
			}
		}
		p.done <- p.cmd.Wait()
	}()
	t.Cleanup(func() {
		p.cmd.Process.Kill()
		<-p.done
	})
	select {
	case p.addr = <-addrc:
	case err := <-p.done:
		p.done <- err
		t.Fatalf("echo exited before listening: %v\n%s", err, p.output())
	case <-time.After(60 * time.Second):
		t.Fatalf("no listening line from %v", argv)
	}
	return p
}

func (p *echoProc) output() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.out.String()
}

// wait waits for the process to exit and returns its exit status.
func (p *echoProc) wait(t *testing.T) int {
	t.Helper()
	select {
	case err := <-p.done:
		p.done <- err
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			return ee.ExitCode()
		}
		if err != nil {
			t.Fatalf("wait: %v", err)
		}
		return 0
	case <-time.After(60 * time.Second):
		t.Fatalf("echo did not exit; output:\n%s", p.output())
		return -1
	}
}

// TestEchoSIGTERMDrain: on SIGTERM the binary stops accepting, serves the
// open connections during the drain, closes them at the drain deadline,
// prints its counters and exits 0.
func TestEchoSIGTERMDrain(t *testing.T) {
	bin := echoBinary(t)
	for _, mode := range []string{"thread", "process"} {
		t.Run(mode, func(t *testing.T) {
			const drain = time.Second
			p := startEcho(t, bin, "echo", "--pool", mode, "--listen", "127.0.0.1:0", "--drain-timeout", drain.String())
			stays, leaves := echotest.Dial(t, p.addr), echotest.Dial(t, p.addr)
			for _, c := range []net.Conn{stays, leaves} {
				if err := echotest.RoundTrip(c, []byte("before")); err != nil {
					t.Fatal(err)
				}
			}
			start := time.Now()
			p.cmd.Process.Signal(syscall.SIGTERM)
			for {
				c, err := net.Dial("tcp", p.addr)
				if err != nil {
					break
				}
				c.Close()
				if time.Since(start) > 30*time.Second {
					t.Fatal("still accepting 30s after SIGTERM")
				}
				time.Sleep(5 * time.Millisecond)
			}
			if err := echotest.RoundTrip(stays, []byte("during the drain")); err != nil {
				t.Fatalf("open connection during the drain: %v", err)
			}
			if err := echotest.RoundTrip(leaves, []byte("bye")); err != nil {
				t.Fatalf("open connection during the drain: %v", err)
			}
			leaves.Close()
			stays.SetReadDeadline(time.Now().Add(30 * time.Second))
			if _, err := io.Copy(io.Discard, stays); err != nil && errors.Is(err, os.ErrDeadlineExceeded) {
				t.Fatal("connection not closed at the drain deadline")
			}
			if took := time.Since(start); took < drain {
				t.Errorf("connection closed %v after SIGTERM, before the %v drain deadline", took, drain)
			}
			if code := p.wait(t); code != 0 {
				t.Errorf("exit status %d, want 0; output:\n%s", code, p.output())
			}
			// A probe dial may land before the listener closes: 2 or more
			// accepted; the one connection left open is the one error.
			final := regexp.MustCompile(`echo: accepted=\d+ refused=0 active=0 bytes_in=31 bytes_out=31 errors=1\n`)
			if out := p.output(); !final.MatchString(out) {
				t.Errorf("no final counters line matching %s in:\n%s", final, out)
			}
		})
	}
}

// TestEchoBadFlags: bad values are usage errors naming the flag (exit 2); a
// failed listen is exit 1.
func TestEchoBadFlags(t *testing.T) {
	bin := echoBinary(t)
	busy, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer busy.Close()
	for _, tc := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"echo", "--pool", "fork"}, 2, `--pool "fork"`},
		{[]string{"echo", "--workers", "-1"}, 2, "--workers -1"},
		{[]string{"echo", "--max-conns", "0"}, 2, "--max-conns 0"},
		{[]string{"echo", "--idle-timeout", "0s"}, 2, "--idle-timeout 0s"},
		{[]string{"echo", "--drain-timeout", "-1s"}, 2, "--drain-timeout -1s"},
		{[]string{"echo", "--stats-interval", "-1s"}, 2, "--stats-interval -1s"},
		{[]string{"echo", "--idle-timeout", "soon"}, 2, "idle-timeout"},
		{[]string{"echo", "stray"}, 2, "stray"},
		{[]string{"echo", "--listen", "nonsense"}, 2, `--listen "nonsense"`},
		{[]string{"echo", "--listen", "127.0.0.1:99999"}, 2, `--listen "127.0.0.1:99999"`},
		{[]string{"echo", "--listen", "127.0.0.1:"}, 2, `--listen "127.0.0.1:"`},
		{[]string{"echo", "--listen", busy.Addr().String()}, 1, "listen on " + busy.Addr().String()},
		{[]string{"echo", "bench", "-c", "0"}, 2, "-c/--connections 0"},
		{[]string{"echo", "bench", "-n", "-3"}, 2, "-n/--round-trips -3"},
		{[]string{"echo", "bench", "-s", "0"}, 2, "-s/--size 0"},
		{[]string{"echo", "bench", "--round-trip-timeout", "-1s"}, 2, "--round-trip-timeout -1s"},
	} {
		out, err := exec.Command(bin, tc.args...).CombinedOutput()
		var ee *exec.ExitError
		if !errors.As(err, &ee) || ee.ExitCode() != tc.code || !strings.Contains(string(out), tc.want) {
			t.Errorf("poolscrape %v: %v, output %q; want exit %d naming %q", tc.args, err, out, tc.code, tc.want)
		}
	}
}

// TestEchoBenchCommand runs `echo bench` against the echo binary (exit 0),
// against a server that corrupts a byte and against a closed port (exit 1).
func TestEchoBenchCommand(t *testing.T) {
	bin := echoBinary(t)
	p := startEcho(t, bin, "echo", "--listen", "127.0.0.1:0", "--pool", "process")
	out, err := exec.Command(bin, "echo", "bench", "--addr", p.addr, "-c", "50", "-n", "20", "-s", "4096").CombinedOutput()
	if err != nil || !strings.Contains(string(out), "1000 round trips in") || !strings.Contains(string(out), "failures=0 mismatches=0") {
		t.Errorf("bench against the echo server: %v\n%s", err, out)
	}
	for _, re := range []string{`round trips/s`, `p50=\S+ p99=\S+ p99\.9=\S+`} {
		if !regexp.MustCompile(re).Match(out) {
			t.Errorf("bench output lacks %s:\n%s", re, out)
		}
	}

	bad := echotest.CorruptingServer(t)
	out, err = exec.Command(bin, "echo", "bench", "--addr", bad, "-c", "3", "-n", "5").CombinedOutput()
	var ee *exec.ExitError
	if !errors.As(err, &ee) || ee.ExitCode() != 1 || !strings.Contains(string(out), "mismatches=3") {
		t.Errorf("bench against a corrupting server: %v\n%s", err, out)
	}

	silent, err := net.Listen("tcp", "127.0.0.1:0") // accepts, never echoes
	if err != nil {
		t.Fatal(err)
	}
	defer silent.Close()
	out, err = exec.Command(bin, "echo", "bench", "--addr", silent.Addr().String(), "-c", "2", "-n", "1", "--round-trip-timeout", "300ms").CombinedOutput()
	if !errors.As(err, &ee) || ee.ExitCode() != 1 || !strings.Contains(string(out), "failures=2") || !strings.Contains(string(out), "no echo within") {
		t.Errorf("bench against a server that does not echo: %v\n%s", err, out)
	}

	closed := closedPort(t)
	out, err = exec.Command(bin, "echo", "bench", "--addr", closed, "-c", "2", "-n", "1").CombinedOutput()
	if !errors.As(err, &ee) || ee.ExitCode() != 1 || !strings.Contains(string(out), "failures=2") {
		t.Errorf("bench against a closed port: %v\n%s", err, out)
	}
}

// TestEchoOutOfDescriptors runs the server under an open-files limit it
// cannot raise, fills it, and checks that accept errors back off instead of
// spinning (the process stays nearly idle) and that the connections waiting
// in the backlog are served once descriptors are free.
func TestEchoOutOfDescriptors(t *testing.T) {
	bin := echoBinary(t)
	p := startEcho(t, "bash", "-c", "ulimit -n 32 && exec "+bin+" echo --listen 127.0.0.1:0 --stats-interval 100ms")
	var held []*net.TCPConn
	for i := range 48 {
		c := echotest.Dial(t, p.addr)
		io.WriteString(c, "hello "+strconv.Itoa(i))
		held = append(held, c)
	}
	if !waitOutput(p, "errors=[1-9]") {
		t.Fatalf("no accept error counted with 48 connections under a limit of 32 files:\n%s", p.output())
	}
	cpu := cpuTicks(t, p.cmd.Process.Pid)
	time.Sleep(time.Second)
	if used := cpuTicks(t, p.cmd.Process.Pid) - cpu; used > 50 {
		t.Errorf("server used %d CPU ticks in one second out of descriptors: it spins", used)
	}
	for _, c := range held[:24] {
		c.Close()
	}
	for i, c := range held[24:] {
		msg := "hello " + strconv.Itoa(24+i)
		got := make([]byte, len(msg))
		c.SetReadDeadline(time.Now().Add(30 * time.Second))
		if _, err := io.ReadFull(c, got); err != nil || string(got) != msg {
			t.Fatalf("connection %d from the backlog: %q, %v", 24+i, got, err)
		}
		c.Close() // the limit holds fewer than 24 connections at once
	}
	p.cmd.Process.Signal(syscall.SIGINT)
	if code := p.wait(t); code != 0 {
		t.Errorf("exit status %d after SIGINT", code)
	}
}

// waitOutput polls p's output for a line matching re.
func waitOutput(p *echoProc, re string) bool {
	rx := regexp.MustCompile(re)
	for range 3000 {
		if rx.MatchString(p.output()) {
			return true
		}
		time.Sleep(10 * time.Millisecond)
	}
	return false
}

// cpuTicks returns the user plus system CPU time of pid, in clock ticks.
func cpuTicks(t *testing.T, pid int) int {
	t.Helper()
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		t.Fatal(err)
	}
	f := strings.Fields(string(b[bytes.LastIndexByte(b, ')')+2:]))
	utime, _ := strconv.Atoi(f[11])
	stime, _ := strconv.Atoi(f[12])
	return utime + stime
}

func closedPort(t *testing.T) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	return addr
}
