package scrape

import (
	"errors"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
)

// TestSplitCredentials: the user information is read as the WHATWG parser
// (Canonicalize's) reads the URL, percent-decoded, also where net/url
// refuses the URL; the URL left is the same page.
func TestSplitCredentials(t *testing.T) {
	cases := []struct {
		raw, user, pw, canon string
	}{
		{"http://a:b@host/x\ty", "a", "b", "http://host/xy"},
		{"http://a:b@host\\x", "a", "b", "http://host/x"},
		{"http://a b:c@host/", "a b", "c", "http://host/"},
		{"http://ann:p%40ss:w%zz@host/", "ann", "p@ss:w%zz", "http://host/"},
		{"http://a:p%@host/", "a", "p%", "http://host/"},
		{"http://ann:pä@host/", "ann", "pä", "http://host/"},
		{"http://a@b:c@host/", "a@b", "c", "http://host/"},
		{"http://ann@host/", "ann", "", "http://host/"},
		{" http://a:b@Host:80/p#frag ", "a", "b", "http://host/p"},
	}
	for _, c := range cases {
		stripped, user := SplitCredentials(c.raw)
		if user == nil {
			t.Errorf("%q: no credentials", c.raw)
			continue
		}
		pw, _ := user.Password()
		if user.Username() != c.user || pw != c.pw {
			t.Errorf("%q: user %q password %q, want %q %q", c.raw, user.Username(), pw, c.user, c.pw)
		}
		if strings.Contains(stripped, "@") {
			t.Errorf("%q: %q still holds credentials", c.raw, stripped)
		}
		if got, err := Canonicalize(stripped); err != nil || got != c.canon {
			t.Errorf("%q: stripped %q canonicalizes to %q, %v; want %q", c.raw, stripped, got, err, c.canon)
		}
	}
	for _, raw := range []string{"http://host/", "http://@host/", "http://:@host/", "http://host/a@b", "http://a:b@/x", "http://a:b@host:99999/"} {
		if s, user := SplitCredentials(raw); user != nil || s != raw {
			t.Errorf("%q: %q %v, want it as it is and no credentials", raw, s, user)
		}
	}
}

// TestCanonicalizeOddUserinfo: the user information is dropped, even one
// that net/url cannot parse once serialized (a lone "%").
func TestCanonicalizeOddUserinfo(t *testing.T) {
	for _, raw := range []string{"http://a:b%@host/", "http://a:p%zz@host/", "http://a%2@host/"} {
		if got, err := Canonicalize(raw); err != nil || got != "http://host/" {
			t.Errorf("Canonicalize(%q) = %q, %v; want http://host/", raw, got, err)
		}
	}
}

// TestCrawlStartURLCredentialsWHATWG: credentials of start URLs that net/url
// refuses but the WHATWG parser reads are sent as basic auth to the host
// crawled, never dropped.
func TestCrawlStartURLCredentialsWHATWG(t *testing.T) {
	site := twoPageSite()
	site.pages["/xy"], site.pages["/x"] = "<html>xy</html>", "<html>x</html>"
	srv := httptest.NewServer(site)
	defer srv.Close()
	hostport := strings.TrimPrefix(srv.URL, "http://")
	cases := []struct{ start, user, pw, path string }{
		{"http://a:b@" + hostport + "/x\ty", "a", "b", "/xy"},
		{"http://a:b@" + hostport + "\\x", "a", "b", "/x"},
		{"http://a b:c@" + hostport + "/", "a b", "c", "/"},
	}
	for _, c := range cases {
		if _, err := url.Parse(c.start); err == nil {
			t.Fatalf("%q: net/url parses it; the case tests nothing", c.start)
		}
		site.mu.Lock()
		site.reqs = nil
		site.mu.Unlock()
		out, _ := crawl(t, srv, Config{Starts: []string{c.start}, Depth: 0, Rules: []Rule{}})
		if got := site.requests()[c.path]; len(got) != 1 {
			t.Fatalf("%q: %s requested %d times; requests %v", c.start, c.path, len(got), site.requests())
		}
		for _, r := range site.all() {
			if user, pw, ok := r.BasicAuth(); !ok || user != c.user || pw != c.pw {
				t.Errorf("%q: %s got basic auth %q %q %v, want %q %q", c.start, r.URL.Path, user, pw, ok, c.user, c.pw)
			}
		}
		for _, r := range out.recs {
			if strings.Contains(r.URL, "@") {
				t.Errorf("%q: record URL %q holds the credentials", c.start, r.URL)
			}
		}
	}
}

// TestStartCredentialsDiffer: two start URLs (or one and BasicAuth) with
// other credentials are refused, naming neither password.
func TestStartCredentialsDiffer(t *testing.T) {
	cfgs := []Config{
		{Starts: []string{"http://a:topsecret@127.0.0.1:1/", "http://a b:c@127.0.0.1:1/x"}},
		{Starts: []string{"http://a b:topsecret@127.0.0.1:1/"}, RequestOptions: RequestOptions{BasicAuth: url.UserPassword("a b", "pw2secret")}},
	}
	for _, cfg := range cfgs {
		cfg.Output = &collect{}
		_, err := New(cfg)
		if !errors.Is(err, ErrConfig) || strings.Contains(err.Error(), "topsecret") || strings.Contains(err.Error(), "pw2secret") {
			t.Errorf("%q: %v; want ErrConfig naming no password", cfg.Starts, err)
		}
	}
	same := Config{Output: &collect{}, Starts: []string{"http://a%20b:c@127.0.0.1:1/", "http://a b:c@127.0.0.1:1/x"}}
	if _, err := New(same); err != nil {
		t.Errorf("the same credentials spelt twice: %v", err)
	}
}
