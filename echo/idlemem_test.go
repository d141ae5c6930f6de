package echo

import (
	"bufio"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/poolscrape/poolscrape/internal/childtest"
	"github.com/poolscrape/poolscrape/internal/echotest"
)

// idleConns is how many idle connections BenchmarkEchoIdleMemory holds.
const idleConns = 5000

// BenchmarkEchoIdleMemory holds 5,000 idle connections (each has echoed one
// 64-byte message, then sends nothing) to a bare goroutine-per-connection
// io.Copy server and to the Server in thread mode and in process mode with
// 2 workers, each in a child process of its own, in one run. It reports
// each one's resident memory with the connections open (in process mode the
// parent's and its workers' together) in MB, and what the connections added
// to it, in bytes per connection. Linux only (it reads VmRSS from /proc).
//
//	go test -run '^$' -bench EchoIdleMemory -benchtime 1x ./echo
func BenchmarkEchoIdleMemory(b *testing.B) {
	if runtime.GOOS != "linux" {
		b.Skip("reads resident memory from /proc/PID/status: Linux only")
	}
	targets := []string{"bare", string(ModeThread), string(ModeProcess)}
	total, perConn := map[string]float64{}, map[string]float64{}
	for b.Loop() {
		for _, name := range targets {
			rss0, rss1 := idleMemory(b, name)
			total[name] = float64(rss1) / 1e6
			perConn[name] = float64(rss1-rss0) / idleConns
		}
	}
	for _, name := range targets {
		b.ReportMetric(total[name], name+"-MB")
		b.ReportMetric(perConn[name], name+"-B/conn")
	}
}

// idleMemory starts the server target in a child, and returns its resident
// memory (with its children's) before and with idleConns idle connections.
func idleMemory(b *testing.B, target string) (before, with int64) {
	cmd := childtest.Command(idleServerRole, target)
	cmd.Stderr = os.Stderr
	stdin, err := cmd.StdinPipe()
	if err != nil {
		b.Fatal(err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		b.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		b.Fatalf("start the %s server: %v", target, err)
	}
	defer func() {
		stdin.Close()
		if err := cmd.Wait(); err != nil {
			b.Errorf("the %s server: %v", target, err)
		}
	}()
	addr, err := bufio.NewReader(stdout).ReadString('\n')
	if err != nil {
		b.Fatalf("the %s server printed no address: %v", target, err)
	}
	addr = strings.TrimSpace(addr)
	settle()
	before = treeRSS(b, cmd.Process.Pid)
	conns := make([]net.Conn, 0, idleConns)
	defer func() {
		for _, c := range conns {
			c.Close()
		}
	}()
	msg := []byte(strings.Repeat("idle", 16))
	for i := range idleConns {
		c, err := net.Dial("tcp", addr)
		if err != nil {
			b.Fatalf("%s: dial connection %d: %v", target, i, err)
		}
		conns = append(conns, c)
		if err := echotest.RoundTrip(c, msg); err != nil {
			b.Fatalf("%s: connection %d: %v", target, i, err)
		}
	}
	settle()
	return before, treeRSS(b, cmd.Process.Pid)
}

// settle gives a server a moment to finish what it started (a worker's
// reply bookkeeping, the runtime's background work) before its memory is
// read; this is a measurement's pause, not a synchronization.
func settle() { time.Sleep(500 * time.Millisecond) }

// treeRSS is the resident memory, in bytes, of process pid and of its
// children.
func treeRSS(b *testing.B, pid int) int64 {
	rss := processRSS(b, pid)
	for _, child := range childrenOf(pid) {
		rss += processRSS(b, child)
	}
	return rss
}

// processRSS reads VmRSS from /proc/PID/status, in bytes.
func processRSS(b *testing.B, pid int) int64 {
	f, err := os.Open(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), "VmRSS:"); ok {
			kb, err := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 10, 64)
			if err != nil {
				b.Fatalf("pid %d: VmRSS %q: %v", pid, v, err)
			}
			return kb << 10
		}
	}
	b.Fatalf("pid %d: no VmRSS in its status", pid)
	return 0
}

// childrenOf lists pid's child processes.
func childrenOf(pid int) []int {
	tasks, _ := filepath.Glob(fmt.Sprintf("/proc/%d/task/*/children", pid))
	var pids []int
	for _, t := range tasks {
		data, err := os.ReadFile(t)
		if err != nil {
			continue // the thread ended
		}
		for _, s := range strings.Fields(string(data)) {
			if p, err := strconv.Atoi(s); err == nil {
				pids = append(pids, p)
			}
		}
	}
	return pids
}
