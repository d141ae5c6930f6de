package main

import (
	"encoding/base64"
	"net/http/httptest"
	"net/url"
	"os"
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

// TestCrawlCredentialsNeverPrinted: a start URL, --proxy or --redis that
// cannot be used exits 2 before any request, naming the flag or the start
// URL, but no piece of its password: not where the URL parses otherwise
// than meant (no scheme, a "/", "?" or "#" in the password), nor in the
// parser's own quote of a bad port or escape.
func TestCrawlCredentialsNeverPrinted(t *testing.T) {
	bin := scaleBinary(t)
	tcp := newCountingListener(t)
	u := "http://" + tcp.addr() + "/"
	cases := []struct {
		args       []string
		want, leak string
	}{
		{[]string{"--proxy", "ann:topsecret@127.0.0.1:8080", u}, `--proxy "xxxxx@127.0.0.1:8080"`, "topsecret"},
		{[]string{"--proxy", "http://u:topsecret/x@127.0.0.1:8080", u}, `--proxy "http://xxxxx@127.0.0.1:8080"`, "topsecret"},
		{[]string{"--proxy", "http://u:topsecret#x@127.0.0.1:8080", u}, `--proxy "http://xxxxx@127.0.0.1:8080"`, "topsecret"},
		{[]string{"--proxy", "http://u:topsecret?x@127.0.0.1:8080", u}, `--proxy "http://xxxxx@127.0.0.1:8080"`, "topsecret"},
		{[]string{"--proxy", "http://u:pw%zz@127.0.0.1:8080", u}, `--proxy "http://xxxxx@127.0.0.1:8080"`, "%zz"},
		{[]string{"--proxy", "http://u:80#topsecret@127.0.0.1/", u}, "query or fragment", "topsecret"},
		{[]string{"--proxy", "socks5://u:topsecret@127.0.0.1:99999", u}, "not from 1 to 65535", "topsecret"},
		{[]string{"--redis", "redis://u:topsecret/x@127.0.0.1:1/0", u}, `--redis "redis://xxxxx@127.0.0.1:1/0"`, "topsecret"},
		{[]string{"--state", filepath.Join(t.TempDir(), "st"), "--redis", "redis://u:topsecret@127.0.0.1:1/0", u}, "exclusive", "topsecret"},
		{[]string{"ann:topsecret@" + tcp.addr() + "/"}, `start URL "xxxxx@`, "topsecret"},
		{[]string{"http://u:topsecret/x@" + tcp.addr() + "/"}, `start URL "http://xxxxx@`, "topsecret"},
		{[]string{"http://u:topsecret#x@" + tcp.addr() + "/"}, `start URL "http://xxxxx@`, "topsecret"},
	}
	for _, c := range cases {
		code, out := runBounded(t, bin, append([]string{"crawl", "-q", "-o", os.DevNull}, c.args...)...)
		if code != 2 || !strings.Contains(out, c.want) || strings.Contains(out, c.leak) {
			t.Errorf("%q: exit %d, output %q; want 2 naming %s, without %q", c.args, code, out, c.want, c.leak)
		}
	}
	if n := tcp.accepted.Load(); n != 0 {
		t.Errorf("%d connections: a bad value must exit before any request", n)
	}
}

// TestCrawlProxyCredentials: the credentials of --proxy, percent-decoded,
// go to the proxy (Proxy-Authorization), not to the site, and appear in no
// message or record.
func TestCrawlProxyCredentials(t *testing.T) {
	bin := scaleBinary(t)
	site := &reqLog{}
	proxy := httptest.NewServer(site) // a forward proxy serving the site itself
	defer proxy.Close()
	pu := strings.Replace(proxy.URL, "http://", "http://ann:p%40ss%20w@", 1)
	out := filepath.Join(t.TempDir(), "o.jsonl")
	code, stderr := runCrawlBin(t, bin, "--progress", "never", "-d", "1", "--proxy", pu, "-o", out, "http://site.invalid/")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	want := "Basic " + base64.StdEncoding.EncodeToString([]byte("ann:p@ss w"))
	if len(site.all()) != 3 {
		t.Errorf("%d requests at the proxy, want 3", len(site.all()))
	}
	for _, r := range site.all() {
		if got := r.Header.Get("Proxy-Authorization"); got != want || r.Header.Get("Authorization") != "" {
			t.Errorf("%s: Proxy-Authorization %q, Authorization %q; want %q and none", r.RequestURI, got, r.Header.Get("Authorization"), want)
		}
	}
	noSecret(t, "p@ss", stderr, out)
	noSecret(t, "p%40ss", stderr, out)
}
