package main

import (
	"path/filepath"
	"testing"

	"github.com/poolscrape/poolscrape/internal/redistest"
)

// frontierFlags are, for each frontier a crawl can use (in memory, --state,
// --redis), the flags that select it in the test t, with a state folder
// under dir or a job of its own on the test Redis.
var frontierFlags = map[string]func(t *testing.T, dir string) []string{
	"memory": func(*testing.T, string) []string { return nil },
	"state":  func(_ *testing.T, dir string) []string { return []string{"--state", filepath.Join(dir, "state")} },
	"redis": func(t *testing.T, _ string) []string {
		return []string{"--redis", redistest.URL(t), "--job", redistest.Job(t)}
	},
}
