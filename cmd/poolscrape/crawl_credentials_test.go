package main

import (
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strings"
	"testing"
)

// TestCrawlStartURLCredentialsWHATWG: the credentials of a start URL that
// net/url refuses but the WHATWG parser (the canonical URL's) reads are
// sent as basic auth to the host crawled, and appear in no record or
// message.
func TestCrawlStartURLCredentialsWHATWG(t *testing.T) {
	bin := scaleBinary(t)
	site := &reqLog{}
	srv := httptest.NewServer(site)
	defer srv.Close()
	hostport := strings.TrimPrefix(srv.URL, "http://")
	cases := []struct{ start, user, pw, path string }{
		{"http://ann:pw-tab@" + hostport + "/a\tb", "ann", "pw-tab", "/ab"},
		{"http://ann:pw-backslash@" + hostport + "\\a", "ann", "pw-backslash", "/a"},
		{"http://a b:pw-space@" + hostport + "/", "a b", "pw-space", "/"},
	}
	for _, c := range cases {
		if _, err := url.Parse(c.start); err == nil {
			t.Fatalf("%q: net/url parses it; the case tests nothing", c.start)
		}
		site.mu.Lock()
		site.reqs = nil
		site.mu.Unlock()
		out := filepath.Join(t.TempDir(), "o.jsonl")
		code, stderr := runCrawlBin(t, bin, "--progress", "never", "-d", "0", "-o", out, c.start)
		if code != 0 && code != 1 { // 1: /ab is a 404, the only start URL failed
			t.Fatalf("%q: exit %d: %s", c.start, code, stderr)
		}
		if site.paths()[c.path] == nil {
			t.Fatalf("%q: %s not requested; got %v", c.start, c.path, site.paths())
		}
		for _, r := range site.all() {
			if user, pw, ok := r.BasicAuth(); !ok || user != c.user || pw != c.pw {
				t.Errorf("%q: %s got Authorization %q, want basic %q %q", c.start, r.URL.Path, r.Header.Get("Authorization"), c.user, c.pw)
			}
		}
		noSecret(t, c.pw, stderr, out)
	}
}
