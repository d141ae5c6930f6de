package main

import (
	"bytes"
	"context"
	"errors"
	"net"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/poolscrape/poolscrape/internal/testsite"
)

// countingListener is a raw TCP listener on loopback that counts and drops
// the connections made to it: a stand-in Redis or echo server that must see
// none.
type countingListener struct {
	ln       net.Listener
	accepted atomic.Int64
	wg       sync.WaitGroup
}

func newCountingListener(t *testing.T) *countingListener {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	l := &countingListener{ln: ln}
	l.wg.Go(func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			l.accepted.Add(1)
			c.Close()
		}
	})
	t.Cleanup(func() { ln.Close(); l.wg.Wait() })
	return l
}

func (l *countingListener) addr() string { return l.ln.Addr().String() }

// TestBadFlagValues runs the binary with values that parse as their type
// but are not usable (fractions of a byte, NaN, absurd durations and
// counts, control characters, a file where a directory must be): each
// exits 2 with an error that names the flag and the value, before any
// request reaches the test site, the stand-in Redis or echo server, and
// before bench serves its site or echo listens.
func TestBadFlagValues(t *testing.T) {
	bin := crawlBin(t)
	site, err := testsite.New(testsite.Config{})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(site.Handler())
	defer srv.Close()
	u := srv.URL + "/"
	tcp := newCountingListener(t)
	redisURL := "redis://" + tcp.addr() + "/0"
	dir := t.TempDir()
	file := filepath.Join(dir, "file")
	if err := os.WriteFile(file, []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "out.jsonl")
	crawl := func(args ...string) []string { return append(append([]string{"crawl", "-q"}, args...), u) }
	cases := []struct {
		args []string
		want string // names the flag and the value
	}{
		{crawl("--max-body", "0.1"), `--max-body "0.1"`},
		{crawl("--max-body", "nan"), `--max-body "nan"`},
		{crawl("--max-body", "NaN"), `--max-body "NaN"`},
		{crawl("--max-body", "inf"), `--max-body "inf"`},
		{crawl("--max-body", "1e-300"), `--max-body "1e-300"`},
		{crawl("--max-body", "0.3KiB"), `--max-body "0.3KiB"`},
		{crawl("--max-body", "-1MiB"), `--max-body "-1MiB"`},
		{crawl("--max-body", "1e300"), `--max-body "1e300"`},
		{crawl("--max-body", "0x10"), `--max-body "0x10"`},
		{crawl("--user-agent", "bot\nX-Evil: 1"), `--user-agent "bot\nX-Evil: 1"`},
		{crawl("--user-agent", "bot\r"), `--user-agent "bot\r"`},
		{crawl("--user-agent", "bot\x7f"), `--user-agent "bot\x7f"`},
		{crawl("--user-agent", "bot\xff"), `--user-agent "bot\xff"`},
		{crawl("--state", file), `--state "` + file + `"`},
		{crawl("--state", filepath.Join(file, "sub")), `--state "` + filepath.Join(file, "sub") + `"`},
		{crawl("--redis", redisURL, "--job", "shop\nx"), `--job "shop\nx"`},
		{crawl("--redis", redisURL, "--redis-max-outage", "-1s"), "--redis-max-outage -1s"},
		{crawl("--redis", redisURL, "--redis-max-outage", "0s"), "--redis-max-outage 0s"},
		{crawl("--redis", redisURL, "--lease-timeout", "1000h"), "--lease-timeout 1000h0m0s"},
		{crawl("--order", "random"), `--order "random"`},
		{crawl("--order", ""), `--order ""`},
		{crawl("--rate", "-1"), "--rate -1"},
		{crawl("--max-time", "-1s"), "--max-time -1s"},
		{crawl("--max-time", "2000h"), "--max-time 2000h0m0s"},
		{crawl("--rate", "NaN"), "--rate NaN"},
		{crawl("--rate", "1e9"), "--rate 1e+09"},
		{crawl("--rate", "inf"), "--rate +Inf"},
		{crawl("-c", "100001"), "--concurrency 100001"},
		{crawl("-c", "9223372036854775807"), "--concurrency 9223372036854775807"},
		{crawl("-c", "99999999999999999999"), `"99999999999999999999" for "-c, --concurrency"`},
		{crawl("--per-host", "1000000"), "--per-host 1000000"},
		{crawl("--retries", "-1"), "--retries -1"},
		{crawl("--retries", "1000"), "--retries 1000"},
		{crawl("--workers", "5000"), "--workers 5000"},
		{crawl("--workers", "-1"), "--workers -1"},
		{crawl("--depth", "-2"), "--depth -2"},
		{crawl("--max-pages", "-1"), "--max-pages -1"},
		{crawl("--delay", "-1s"), "--delay -1s"},
		{crawl("--delay", "25h"), "--delay 25h0m0s"},
		{crawl("--max-delay", "1000h"), "--max-delay 1000h0m0s"},
		{crawl("--delay", "99999999999h"), `"99999999999h" for "--delay"`},
		{crawl("--timeout", "0s"), "--timeout 0s"},
		{crawl("--timeout", "1000h"), "--timeout 1000h0m0s"},
		{crawl("-o", out, "--stats", out), `--stats "` + out + `"`},
		{crawl("--regex", "na\x01me=x"), `--regex "na\x01me=x"`},
		{crawl("--css", "na\xffme=h1"), `--css "na\xffme=h1"`},
		{[]string{"crawl", "status", "--redis", redisURL, "--job", "shop\tx"}, `--job "shop\tx"`},
		{[]string{"bench", "--pages", "100000000"}, "--pages 100000000"},
		{[]string{"bench", "--fanout", "5000"}, "--fanout 5000"},
		{[]string{"bench", "-c", "1000000"}, "--concurrency 1000000"},
		{[]string{"bench", "--latency", "2m"}, "--latency 2m0s"},
		{[]string{"echo", "--pool", "process", "--workers", "5000"}, "--workers 5000"},
		{[]string{"echo", "--idle-timeout", "1000h"}, "--idle-timeout 1000h0m0s"},
		{[]string{"echo", "--write-timeout", "-1s"}, "--write-timeout -1s"},
		{[]string{"echo", "--stats-interval", "25h"}, "--stats-interval 25h0m0s"},
		{[]string{"echo", "--listen", "local\nhost:0"}, `--listen "local\nhost:0"`},
		{[]string{"echo", "bench", "--addr", "local\x01host:1"}, `--addr "local\x01host:1"`},
		{[]string{"echo", "bench", "--addr", tcp.addr(), "-s", "100000000"}, "-s/--size 100000000"},
		{[]string{"echo", "bench", "--addr", tcp.addr(), "-c", "1000000"}, "-c/--connections 1000000"},
		{[]string{"echo", "bench", "--addr", tcp.addr(), "--timeout", "1000h"}, "--timeout 1000h0m0s"},
		{[]string{"echo", "bench", "--addr", tcp.addr(), "--round-trip-timeout", "25h"}, "--round-trip-timeout 25h0m0s"},
		{[]string{"echo", "bench", "--addr", "127.0.0.1:0"}, `--addr "127.0.0.1:0"`},
		{[]string{"echo", "bench", "--addr", "127.0.0.1:99999"}, `--addr "127.0.0.1:99999"`},
		{[]string{"echo", "bench", "--addr", "nonsense"}, `--addr "nonsense"`},
		{[]string{"echo", "bench", "--addr", ""}, `--addr ""`},
	}
	for _, c := range cases {
		code, output := runBounded(t, bin, c.args...)
		if code != 2 || !strings.Contains(output, c.want) {
			t.Errorf("poolscrape %q: exit %d, output %q; want exit 2 naming %q", c.args, code, output, c.want)
		}
		for _, started := range []string{"site: ", "listening on ", "echo bench: "} {
			if strings.Contains(output, started) {
				t.Errorf("poolscrape %q started (%q) before failing:\n%s", c.args, started, output)
			}
		}
	}
	if n := site.TotalRequests(); n != 0 {
		t.Errorf("bad flag values made %d requests to the site", n)
	}
	if n := tcp.accepted.Load(); n != 0 {
		t.Errorf("bad flag values made %d connections to the stand-in Redis or echo server", n)
	}
}

// runBounded runs the binary and returns its exit code and output; one
// that has not ended after a generous bound (a bad value taken, and a
// server listening or a crawl running) is killed: exit -1.
func runBounded(t *testing.T, bin string, args ...string) (int, string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, args...)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	err := cmd.Run()
	var ee *exec.ExitError
	if err != nil && !errors.As(err, &ee) {
		t.Fatalf("run %q: %v", args, err)
	}
	return cmd.ProcessState.ExitCode(), out.String()
}
