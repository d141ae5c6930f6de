package main

import (
	"bytes"
	"context"
	"net"
	"net/http/httptest"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/poolscrape/poolscrape/internal/testsite"
)

// TestRedisUnreachableFirstConnection: a --redis server that never answered
// fails crawl and crawl status with exit 1 and one clear line, without
// go-redis's dial logs and without waiting out --redis-max-outage (10m
// here: the command must not get there).
func TestRedisUnreachableFirstConnection(t *testing.T) {
	bin := crawlBin(t)
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	url := "redis://" + addr + "/0"
	for _, args := range [][]string{
		{"crawl", "-q", "--redis", url, "--redis-max-outage", "10m", "-o", t.TempDir() + "/o.jsonl", "http://127.0.0.1:1/"},
		{"crawl", "status", "--redis", url, "--job", "shop"},
	} {
		ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
		out, err := exec.CommandContext(ctx, bin, args...).CombinedOutput()
		cancel()
		ee, ok := err.(*exec.ExitError)
		if !ok || ee.ExitCode() != 1 {
			t.Errorf("%v: %v, want exit 1:\n%s", args, err, out)
			continue
		}
		text := strings.TrimSpace(string(out))
		if n := strings.Count(text, "\n") + 1; n != 1 || !strings.Contains(text, "cannot connect to Redis at "+addr) {
			t.Errorf("%v: %d lines, want 1 saying it cannot connect to %s:\n%s", args, n, addr, text)
		}
	}
}

// TestRedisOutageOneLine: once connected, a Redis that goes away gets one
// "retrying" line for the outage (not one per retried error: each call
// retries several times in 2s), none of go-redis's own dial logs, and the
// crawl stops with exit 1 after --redis-max-outage.
func TestRedisOutageOneLine(t *testing.T) {
	redisBin, err := exec.LookPath("redis-server")
	if err != nil {
		t.Skip("no redis-server")
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := strconv.Itoa(l.Addr().(*net.TCPAddr).Port)
	l.Close()
	srvCmd := exec.Command(redisBin, "--port", port, "--bind", "127.0.0.1", "--save", "", "--appendonly", "no")
	if err := srvCmd.Start(); err != nil {
		t.Fatal(err)
	}
	stopRedis := sync.OnceFunc(func() { _ = srvCmd.Process.Kill(); _ = srvCmd.Wait() })
	defer stopRedis()
	waitTCP(t, "127.0.0.1:"+port)

	bin := crawlBin(t)
	site, _ := testsite.New(testsite.Config{Pages: 2000, Plain: true, Latency: 50 * time.Millisecond})
	srv := httptest.NewServer(site.Handler())
	defer srv.Close()
	out := filepath.Join(t.TempDir(), "o.jsonl")
	crawl := exec.Command(bin, "crawl", "-q", "-d", "-1", "-c", "1", "--per-host", "1",
		"--redis", "redis://127.0.0.1:"+port+"/0", "--redis-max-outage", "2s", "-o", out, srv.URL+"/")
	var stderr bytes.Buffer
	crawl.Stderr = &stderr
	if err := crawl.Start(); err != nil {
		t.Fatal(err)
	}
	waitForLines(t, out, 3)
	stopRedis()
	err = crawl.Wait()
	if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != 1 {
		t.Errorf("exit %v, want 1:\n%s", err, stderr.String())
	}
	retries := 0
	for _, line := range strings.Split(strings.TrimSpace(stderr.String()), "\n") {
		switch {
		case strings.HasPrefix(line, "poolscrape: Redis unreachable, retrying (for up to --redis-max-outage 2s): "):
			retries++
		case strings.HasPrefix(line, "redis: "):
			t.Errorf("go-redis log line: %q", line)
		}
	}
	if retries != 1 {
		t.Errorf("%d retry lines, want 1:\n%s", retries, stderr.String())
	}
}

// waitTCP waits until addr accepts a connection.
func waitTCP(t *testing.T, addr string) {
	t.Helper()
	for range 500 {
		if c, err := net.Dial("tcp", addr); err == nil {
			c.Close()
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatalf("%s never accepted a connection", addr)
}
