package main

import (
	"context"
	"net"
	"os/exec"
	"strings"
	"testing"
	"time"
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
