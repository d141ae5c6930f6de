// Package redistest gives tests the Redis server they run against: the URL in
// the POOLSCRAPE_TEST_REDIS environment variable (.ci/run starts a
// redis-server on loopback and sets it). Without it the test is skipped, except
// under CI=true, where a missing Redis is a failure: CI must never silently
// skip the Redis tests.
package redistest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"os"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
)

// EnvURL is the environment variable holding the test Redis URL, for example
// redis://127.0.0.1:6399/0.
const EnvURL = "POOLSCRAPE_TEST_REDIS"

// URL returns the test Redis URL after checking the server answers PING.
// It skips the test when EnvURL is unset (fails when CI=true) and fails it
// when the server does not answer.
func URL(tb testing.TB) string {
	tb.Helper()
	url := os.Getenv(EnvURL)
	if url == "" {
		if os.Getenv("CI") == "true" {
			tb.Fatalf("%s is not set but CI=true: the Redis tests must run in CI", EnvURL)
		}
		tb.Skipf("%s not set: skipping the Redis test (set it to redis://127.0.0.1:PORT/0)", EnvURL)
	}
	opts, err := redis.ParseURL(url)
	if err != nil {
		tb.Fatalf("%s=%q: %v", EnvURL, url, err)
	}
	c := redis.NewClient(opts)
	defer c.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := c.Ping(ctx).Err(); err != nil {
		tb.Fatalf("test Redis %s does not answer PING: %v", url, err)
	}
	return url
}

// Client returns a client for the test Redis, closed when the test ends.
func Client(tb testing.TB) *redis.Client {
	tb.Helper()
	opts, err := redis.ParseURL(URL(tb))
	if err != nil {
		tb.Fatal(err)
	}
	c := redis.NewClient(opts)
	tb.Cleanup(func() { c.Close() })
	return c
}

// Job returns a job name no other test uses, and deletes the job's keys
// (prefix poolscrape:{job}:) when the test ends, so tests can share one
// server and run in parallel.
func Job(tb testing.TB) string {
	tb.Helper()
	var b [6]byte
	if _, err := rand.Read(b[:]); err != nil {
		tb.Fatal(err)
	}
	job := "test-" + hex.EncodeToString(b[:])
	c := Client(tb)
	tb.Cleanup(func() { DeleteJob(tb, c, job) })
	return job
}

// DeleteJob removes every key of a job.
func DeleteJob(tb testing.TB, c *redis.Client, job string) {
	tb.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	iter := c.Scan(ctx, 0, "poolscrape:{"+job+"}:*", 1000).Iterator()
	for iter.Next(ctx) {
		c.Del(ctx, iter.Val())
	}
	if err := iter.Err(); err != nil {
		tb.Logf("cleaning Redis job %s: %v", job, err)
	}
}
