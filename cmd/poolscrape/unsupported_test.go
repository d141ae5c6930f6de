//go:build !unix || aix

package main

import (
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
)

// On a system without a ProcessPool, asking for one is a usage error (exit
// 2) before any request; the thread pool still serves.
func TestProcessModeUnsupported(t *testing.T) {
	var requests atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		requests.Add(1)
	}))
	defer srv.Close()
	for _, args := range [][]string{
		{"echo", "--pool", "process", "--listen", "127.0.0.1:0"},
		{"crawl", "-q", "--extract-in", "process", srv.URL + "/"},
	} {
		if code := run(args); code != 2 {
			t.Errorf("%q: exit %d, want 2", args, code)
		}
	}
	if n := requests.Load(); n != 0 {
		t.Errorf("%d requests made; want none", n)
	}
}
