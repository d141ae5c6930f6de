package main

import (
	"bytes"
	"context"
	"io"
	"io/fs"
	"log"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/poolscrape/poolscrape/internal/redistest"
)

// reqLog is a site that keeps the requests it got: / links to /a, and
// /hidden is only in /sitemap.xml.
type reqLog struct {
	mu   sync.Mutex
	reqs []*http.Request
}

func (l *reqLog) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	l.mu.Lock()
	l.reqs = append(l.reqs, r.Clone(context.Background()))
	l.mu.Unlock()
	switch r.URL.Path {
	case "/robots.txt":
		_, _ = io.WriteString(w, "User-agent: *\nAllow: /\n")
	case "/sitemap.xml":
		w.Header().Set("Content-Type", "application/xml")
		_, _ = io.WriteString(w, `<urlset><url><loc>http://`+r.Host+`/hidden</loc></url></urlset>`)
	case "/":
		w.Header().Set("Content-Type", "text/html")
		_, _ = io.WriteString(w, `<a href="/a">a</a>`)
	case "/a", "/hidden":
		w.Header().Set("Content-Type", "text/html")
		_, _ = io.WriteString(w, `page`)
	default:
		http.NotFound(w, r)
	}
}

func (l *reqLog) paths() map[string]*http.Request {
	l.mu.Lock()
	defer l.mu.Unlock()
	out := map[string]*http.Request{}
	for _, r := range l.reqs {
		out[r.URL.Path] = r
	}
	return out
}

func (l *reqLog) all() []*http.Request {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]*http.Request(nil), l.reqs...)
}

// withUser puts user:pw into the http:// URL base.
func withUser(base, userinfo string) string {
	return strings.Replace(base, "http://", "http://"+userinfo+"@", 1)
}

// noSecret fails if any file under dir, or text, holds secret.
func noSecret(t *testing.T, secret, text string, paths ...string) {
	t.Helper()
	if strings.Contains(text, secret) {
		t.Errorf("stderr shows the password: %s", text)
	}
	for _, p := range paths {
		_ = filepath.WalkDir(p, func(path string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			b, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			if bytes.Contains(b, []byte(secret)) {
				t.Errorf("%s holds the password", path)
			}
			return nil
		})
	}
}

// TestCrawlRequestFlags: -H, --cookie, a start URL's credentials and
// --sitemaps with --state: what the server got, and no password in the
// records, the stats, stderr or the state folder; a rerun with another
// password is the same crawl (finished already).
func TestCrawlRequestFlags(t *testing.T) {
	bin := scaleBinary(t)
	site := &reqLog{}
	srv := httptest.NewServer(site)
	defer srv.Close()
	dir := t.TempDir()
	out, stats, state := filepath.Join(dir, "out.jsonl"), filepath.Join(dir, "stats.json"), filepath.Join(dir, "state")
	args := []string{"-H", "X-Test: one", "-H", "X-Test: two", "--cookie", "sess=abc; lang=de", "--sitemaps",
		"--state", state, "--stats", stats, "-o", out, "--progress", "never", "-d", "1"}
	code, stderr := runCrawlBin(t, bin, append(args, withUser(srv.URL, "ann:pw:with:colons")+"/")...)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	got := site.paths()
	for _, p := range []string{"/robots.txt", "/sitemap.xml", "/", "/a", "/hidden"} {
		if got[p] == nil {
			t.Fatalf("%s not requested; got %v", p, got)
		}
	}
	for _, r := range site.all() {
		user, pw, ok := r.BasicAuth()
		c, _ := r.Cookie("sess")
		if h := r.Header.Values("X-Test"); len(h) != 2 || h[0] != "one" || h[1] != "two" || !ok || user != "ann" || pw != "pw:with:colons" || c == nil || c.Value != "abc" {
			t.Errorf("%s: X-Test %q, auth %q %q %v, Cookie %q", r.URL.Path, h, user, pw, ok, r.Header.Get("Cookie"))
		}
	}
	if paths := recordPaths(t, out); len(paths) != 3 {
		t.Errorf("records %v, want /, /a, /hidden", paths)
	}
	noSecret(t, "pw:with", stderr, out, stats, state)
	noSecret(t, "ann", "", out, stats, state)
	code, stderr = runCrawlBin(t, bin, append(args, withUser(srv.URL, "ann:other")+"/")...)
	if code != 0 || !strings.Contains(stderr, "finished already") {
		t.Errorf("rerun with another password: exit %d, stderr %s; want the same crawl, finished", code, stderr)
	}
}

// TestCrawlAuthFlag: --auth splits at the first colon and is sent to the
// start host, robots.txt included.
func TestCrawlAuthFlag(t *testing.T) {
	bin := scaleBinary(t)
	site := &reqLog{}
	srv := httptest.NewServer(site)
	defer srv.Close()
	code, stderr := runCrawlBin(t, bin, "-q", "--auth", "bob:a:b", "-o", filepath.Join(t.TempDir(), "o.jsonl"), srv.URL+"/")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	for _, r := range site.all() {
		if u, p, ok := r.BasicAuth(); !ok || u != "bob" || p != "a:b" {
			t.Errorf("%s: basic auth %q %q %v", r.URL.Path, u, p, ok)
		}
	}
}

// TestCrawlRequestFlagsRedis: with --redis, the job named after the crawl
// does not hold the password, and another password joins the same job.
func TestCrawlRequestFlagsRedis(t *testing.T) {
	redisURL := redistest.URL(t)
	bin := scaleBinary(t)
	site := &reqLog{}
	srv := httptest.NewServer(site)
	defer srv.Close()
	dir := t.TempDir()
	// A path of its own: the job name is derived from the start URLs.
	start := withUser(srv.URL, "ann:redis-secret") + "/?run=" + filepath.Base(dir)
	code, stderr := runCrawlBin(t, bin, "--redis", redisURL, "--progress", "never", "-o", filepath.Join(dir, "a.jsonl"), start)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	noSecret(t, "redis-secret", stderr, dir)
	if _, _, ok := site.paths()["/"].BasicAuth(); !ok {
		t.Error("no basic auth sent")
	}
	code, stderr = runCrawlBin(t, bin, "--redis", redisURL, "--progress", "never", "-o", filepath.Join(dir, "b.jsonl"),
		strings.Replace(start, "redis-secret", "other", 1))
	if code != 0 || !strings.Contains(stderr, "finished") {
		t.Errorf("rerun with another password: exit %d, stderr %s; want the same job, finished", code, stderr)
	}
}

// TestCrawlProxyFlagAndEnvironment: HTTP_PROXY is honoured by default;
// --proxy wins over it. The target host resolves nowhere: only the proxy
// can answer.
func TestCrawlProxyFlagAndEnvironment(t *testing.T) {
	bin := scaleBinary(t)
	site := &reqLog{}
	proxy := httptest.NewServer(site) // a forward proxy serving the site itself
	defer proxy.Close()
	dead := httptest.NewServer(http.NotFoundHandler())
	deadURL := dead.URL
	dead.Close() // nothing listens there now
	run := func(env []string, args ...string) (int, string) {
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		cmd := exec.CommandContext(ctx, bin, append([]string{"crawl", "-q", "--retries", "0", "-o", filepath.Join(t.TempDir(), "o.jsonl")}, args...)...)
		cmd.Env = append(os.Environ(), env...)
		b, _ := cmd.CombinedOutput()
		return cmd.ProcessState.ExitCode(), string(b)
	}
	if code, out := run([]string{"HTTP_PROXY=" + proxy.URL}, "http://site.invalid/"); code != 0 {
		t.Fatalf("HTTP_PROXY: exit %d: %s", code, out)
	}
	n := len(site.all())
	if n != 3 {
		t.Fatalf("HTTP_PROXY: %d requests at the proxy, want 3", n)
	}
	if code, out := run([]string{"HTTP_PROXY=" + deadURL}, "--proxy", proxy.URL, "http://site.invalid/"); code != 0 {
		t.Fatalf("--proxy over a dead HTTP_PROXY: exit %d: %s", code, out)
	}
	for _, r := range site.all() {
		if !strings.HasPrefix(r.RequestURI, "http://site.invalid/") {
			t.Errorf("%q is not a proxy request", r.RequestURI)
		}
	}
	if len(site.all()) != 2*n {
		t.Errorf("%d requests at the proxy after --proxy, want %d", len(site.all()), 2*n)
	}
}

// TestCrawlInsecureFlag: a self-signed server fails without --insecure and
// is crawled with it, after a warning.
func TestCrawlInsecureFlag(t *testing.T) {
	bin := scaleBinary(t)
	site := &reqLog{}
	srv := httptest.NewUnstartedServer(site)
	srv.Config.ErrorLog = log.New(io.Discard, "", 0)
	srv.StartTLS()
	defer srv.Close()
	out := filepath.Join(t.TempDir(), "o.jsonl")
	if code, stderr := runCrawlBin(t, bin, "--progress", "never", "--retries", "0", "-o", out, srv.URL+"/"); code != 1 || !strings.Contains(stderr, "every start URL failed") {
		t.Fatalf("without --insecure: exit %d, stderr %s; want 1", code, stderr)
	}
	code, stderr := runCrawlBin(t, bin, "--progress", "never", "--insecure", "-o", out, srv.URL+"/")
	if code != 0 || !strings.Contains(stderr, "warning: TLS certificates are not verified") {
		t.Fatalf("with --insecure: exit %d, stderr %s", code, stderr)
	}
	if p := site.paths(); p["/"] == nil || p["/a"] == nil {
		t.Errorf("requests %v", p)
	}
}

// TestCrawlRequestFlagsBad: bad values exit 2 before any request, naming
// the flag and the value, but never a password.
func TestCrawlRequestFlagsBad(t *testing.T) {
	bin := scaleBinary(t)
	tcp := newCountingListener(t)
	u := "http://" + tcp.addr() + "/"
	cases := []struct {
		args []string
		want string
	}{
		{[]string{"-H", "NoColon"}, `--header "NoColon"`},
		{[]string{"--header", "Bad Name: v"}, `--header "Bad Name: v"`},
		{[]string{"-H", "X-A: a\r\nX-Evil: 1"}, `--header "X-A: a\r\nX-Evil: 1"`},
		{[]string{"-H", "X-A: a\x7f"}, `--header "X-A: a\x7f"`},
		{[]string{"--cookie", "novalue"}, `--cookie "novalue"`},
		{[]string{"--cookie", "a b=c"}, `--cookie "a b=c"`},
		{[]string{"--cookie", "a=b\"c"}, `--cookie "a=b\"c"`},
		{[]string{"--auth", "nocolon"}, `--auth "xxxxx"`},
		{[]string{"--auth", "ann:pw\n"}, `--auth "ann:xxxxx"`},
		{[]string{"--proxy", "ftp://127.0.0.1:21"}, `--proxy "ftp://127.0.0.1:21"`},
		{[]string{"--proxy", "http://"}, `--proxy "http://"`},
		{[]string{"--proxy", "http://u:topsecret@[::1"}, `--proxy "http://xxxxx@[::1"`},
		{[]string{"--auth", "ann:x", withUser(u, "bob:topsecret")}, "credentials differ"},
		{[]string{withUser("http://bad host/", "ann:topsecret")}, "start URL"},
	}
	for _, c := range cases {
		args := append([]string{"crawl", "-q"}, c.args...)
		if strings.HasPrefix(c.want, "--") { // else the case gives its start URL
			args = append(args, u)
		}
		code, out := runBounded(t, bin, args...)
		if code != 2 || !strings.Contains(out, c.want) || strings.Contains(out, "topsecret") {
			t.Errorf("%q: exit %d, output %q; want 2 naming %s, no password", c.args, code, out, c.want)
		}
	}
	if n := tcp.accepted.Load(); n != 0 {
		t.Errorf("%d connections: a bad value must exit before any request", n)
	}
}
