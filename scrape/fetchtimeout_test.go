package scrape

import (
	"context"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// TestFetchTimeout: a fetch whose answer stalls, before its headers or in
// its body, ends at Config.Timeout with an error that names it, is a
// timeout (a net.Error whose Timeout is true, a context.DeadlineExceeded),
// and, before the headers, a network failure worth a retry.
func TestFetchTimeout(t *testing.T) {
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/body" {
			w.Header().Set("Content-Type", "text/html")
			_, _ = w.Write([]byte("<html>"))
			w.(http.Flusher).Flush()
		}
		select {
		case <-release:
		case <-r.Context().Done():
		}
	}))
	defer srv.Close()
	defer close(release)
	f := newFetcher(fetcherConfig{userAgent: "test", timeout: 100 * time.Millisecond, maxBody: 1 << 20, concurrency: 1, perHost: 1})
	defer f.client.CloseIdleConnections()
	for _, tc := range []struct {
		path   string
		netErr bool
	}{{"/headers", true}, {"/body", false}} {
		st := f.Fetch(context.Background(), srv.URL+tc.path)
		var ne net.Error
		switch {
		case st.Err == nil || !strings.Contains(st.Err.Error(), "Config.Timeout (100ms)"):
			t.Errorf("%s: error %v, want one naming Config.Timeout", tc.path, st.Err)
		case !errors.Is(st.Err, context.DeadlineExceeded) || !errors.As(st.Err, &ne) || !ne.Timeout():
			t.Errorf("%s: error %v is not a timeout", tc.path, st.Err)
		case st.NetErr != tc.netErr:
			t.Errorf("%s: NetErr %v, want %v", tc.path, st.NetErr, tc.netErr)
		}
	}
}
